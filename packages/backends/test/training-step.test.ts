// End to end: gradients of whole conv nets through tailwise's kernels, against the stock cpu
// backend. The kernel-level comparisons are in training-kernels.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { backendName } from '../../../test/helpers';
import { registerTrainingKernels, unregisterTrainingKernels } from '../src';
import { maxAbsDiff, seededValues } from './reference';

// The backend this vitest project runs on, read once: some tests switch backends temporarily.
const projectBackend = backendName() as 'cpu' | 'wasm';
const project = (): 'cpu' | 'wasm' => projectBackend;

afterEach(async () => {
  unregisterTrainingKernels('cpu');
  unregisterTrainingKernels('wasm');
  await tf.setBackend(project());
});

const PARAM_SHAPES = {
  w1: [3, 3, 2, 4],
  b1: [4],
  w2: [3, 3, 4, 6],
  dw: [3, 3, 6, 1],
  wd: [24, 3],
  bd: [3],
} as const;
type ParamName = keyof typeof PARAM_SHAPES;
const NAMES = Object.keys(PARAM_SHAPES) as ParamName[];
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Cross-entropy of a small conv net on a [2, 10, 10, 2] batch: fused conv 3×3 'same' + relu
 * → conv 3×3 stride 2 'valid' (4×4) + relu → depthwise 3×3 'same' → max-pool 2 (2×2) →
 * dense 24→3. Exercises FusedConv2D, Conv2D, DepthwiseConv2dNative, MaxPool and matMul
 * gradients.
 */
function convNetLoss(
  x: tf.Tensor4D,
  labels: tf.Tensor2D,
  p: Record<ParamName, tf.Tensor>,
): tf.Scalar {
  const h1 = tf.fused.conv2d({
    x,
    filter: p.w1 as tf.Tensor4D,
    bias: p.b1,
    strides: 1,
    pad: 'same',
    activation: 'relu',
  });
  // ReLU before max-pool gives all-zero windows, which the stock wasm MaxPoolGrad misroutes.
  const h2 = tf.relu(tf.conv2d(h1, p.w2 as tf.Tensor4D, 2, 'valid'));
  const h3 = tf.depthwiseConv2d(h2, p.dw as tf.Tensor4D, 1, 'same');
  const pooled = tf.maxPool(h3, 2, 2, 'valid');
  const logits = tf.add(tf.matMul(tf.reshape(pooled, [2, 24]), p.wd as tf.Tensor2D), p.bd);
  return tf.mean(tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1)));
}

/** Gradients of {@link convNetLoss} with respect to every parameter, read back to the host. */
async function convNetGradients(): Promise<Float32Array[]> {
  const grads = tf.tidy(() => {
    const x = tf.tensor4d(seededValues(2 * 10 * 10 * 2, 31), [2, 10, 10, 2]);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3) as tf.Tensor2D;
    const params = NAMES.map((name, i) =>
      tf.tensor(seededValues(size([...PARAM_SHAPES[name]]), 40 + i), [...PARAM_SHAPES[name]]),
    );
    const f = (...args: tf.Tensor[]) =>
      convNetLoss(
        x,
        labels,
        Object.fromEntries(NAMES.map((n, i) => [n, args[i]!])) as Record<ParamName, tf.Tensor>,
      );
    return tf.grads(f)(params);
  });
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  return values;
}

describe('gradients of a small conv net', () => {
  it('match the stock cpu backend with the training kernels, and leak nothing', async () => {
    await tf.setBackend('cpu');
    const reference = await convNetGradients();

    await tf.setBackend(project());
    registerTrainingKernels(project());
    const before = { numTensors: tf.memory().numTensors, dataIds: tf.backend().numDataIds() };
    const ours = await convNetGradients();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.backend().numDataIds()).toBe(before.dataIds);

    ours.forEach((g, i) => {
      expect(g.length).toBe(reference[i]!.length);
      // The gradient must be informative, not all zeros, for the comparison to mean anything.
      expect(Math.max(...Array.from(reference[i]!, Math.abs))).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(g, reference[i]!), `gradient of ${NAMES[i]}`).toBeLessThanOrEqual(1e-4);
    });
  });

  // What the kernels are for: stock wasm has no Conv2DBackpropFilter (docs/performance.md).
  it.runIf(project() === 'wasm')(
    'fail on stock wasm, which lacks the filter gradient',
    async () => {
      await expect(convNetGradients()).rejects.toThrow(/not registered for backend 'wasm'/);
    },
  );
});

describe('a tfjs-layers model', () => {
  /** One SGD step of a conv net built with tfjs-layers; returns the updated weights. */
  async function trainOneStep(): Promise<Float32Array[]> {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
        }),
        tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3 }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const initial = model
      .getWeights()
      .map((w, i) => tf.tensor(seededValues(w.size, 60 + i), w.shape));
    model.setWeights(initial);
    tf.dispose(initial);
    const x = tf.tensor4d(seededValues(4 * 8 * 8, 70), [4, 8, 8, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    await model.trainOnBatch(x, y);
    const weights = await Promise.all(
      model.getWeights().map((w) => w.data() as Promise<Float32Array>),
    );
    tf.dispose([x, y]);
    model.dispose();
    return weights;
  }

  it('takes the same SGD step as on the stock cpu backend', async () => {
    await tf.setBackend('cpu');
    const reference = await trainOneStep();
    await tf.setBackend(project());
    registerTrainingKernels(project());
    const ours = await trainOneStep();
    expect(ours.length).toBe(reference.length);
    // The step must move every weight tensor, or matching would prove nothing.
    reference.forEach((w, i) => {
      expect(maxAbsDiff(w, seededValues(w.length, 60 + i))).toBeGreaterThan(1e-3);
    });
    ours.forEach((w, i) => {
      expect(maxAbsDiff(w, reference[i]!), `weight ${i}`).toBeLessThanOrEqual(1e-4);
    });
  });
});
