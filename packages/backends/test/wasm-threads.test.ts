import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backendName, expectTailwiseErrorAsync } from '../../../test/helpers';
import { unregisterTrainingKernels } from '../src';
import { setupBackend } from '../src/node';

// The threaded build can only be chosen before the wasm backend first initialises. Vitest's
// forks pool gives each test file its own process: on the cpu project wasm is untouched here,
// on the wasm project the shared setup already started the single-threaded build.
const projectBackend = backendName();
const fresh = projectBackend === 'cpu';

afterAll(async () => {
  unregisterTrainingKernels('wasm');
  await tf.setBackend(projectBackend);
});

/** A small conv net's loss and gradients on the active backend, as plain arrays. */
function convNetGradients(seed: number): number[][] {
  return tf.tidy(() => {
    const x = tf.randomNormal([8, 12, 12, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
    const w1 = tf.randomNormal([3, 3, 3, 16], 0, 0.3, 'float32', seed + 1);
    const w2 = tf.randomNormal([3, 3, 16, 24], 0, 0.3, 'float32', seed + 2);
    const w3 = tf.randomNormal([6 * 6 * 24, 4], 0, 0.1, 'float32', seed + 3);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
    const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const h1 = tf.relu(tf.conv2d(x as tf.Tensor4D, a as tf.Tensor4D, 1, 'same'));
      const h2 = tf.relu(tf.conv2d(h1 as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
      // MaxPoolGrad is tailwise's JavaScript kernel on the (shared, growable) wasm heap.
      const pooled = tf.maxPool(h2 as tf.Tensor4D, 2, 2, 'valid');
      const logits = tf.matMul(tf.reshape(pooled, [8, -1]), c as tf.Tensor2D);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(loss)([w1, w2, w3]);
    return [value, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

describe.skipIf(!fresh)('setupBackend wasm with wasmThreads', () => {
  it('starts the threaded SIMD build with 2 threads in Node and matches the cpu backend', async () => {
    const seeds = [3, 11];
    await tf.setBackend('cpu');
    const expected = seeds.map(convNetGradients);
    const result = await setupBackend('wasm', { wasmThreads: 2 });
    expect(result.name).toBe('wasm');
    expect(result.threads).toBe(2);
    // The globals patched while the module started are back.
    expect(URL.createObjectURL.name).toBe('createObjectURL');
    expect(globalThis.Blob.name).toBe('Blob');
    for (const [i, seed] of seeds.entries()) {
      const got = convNetGradients(seed);
      for (const [j, values] of got.entries()) {
        const want = expected[i]![j]!;
        expect(values.length).toBe(want.length);
        const scale = Math.max(1, ...want.map(Math.abs));
        const worst = Math.max(...values.map((v, k) => Math.abs(v - want[k]!)));
        expect(worst / scale).toBeLessThan(1e-4);
      }
    }
  });
});

describe('setupBackend wasmThreads validation', () => {
  it('rejects a thread count that is not an integer in 1..8', async () => {
    await expectTailwiseErrorAsync(
      () => setupBackend('wasm', { wasmThreads: 0 }),
      'INVALID_OPTION',
      /^setupBackend: expected `wasmThreads` to be .*got 0/,
    );
    await expectTailwiseErrorAsync(
      () => setupBackend('wasm', { wasmThreads: 1.5 }),
      'INVALID_OPTION',
      /wasmThreads.*got 1\.5/,
    );
  });
});
