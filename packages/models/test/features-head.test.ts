import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { convNet, fromLayersModel, mlp } from '../src/index';

describe('Classifier.features / head', () => {
  let baseline: number;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('mlp: head(features(x)) = apply(x); features are the last hidden layer', () => {
    const c = mlp({ inputShape: [4], numClasses: 3, hidden: [5, 6], seed: 3 });
    expect(c.numFeatures).toBe(6);
    const x = tf.tensor2d([
      [0.1, -0.2, 0.3, 0.4],
      [1, 0, -1, 0.5],
    ]);
    const f = expectNoLeak(() => c.features!(x));
    expect(f.shape).toEqual([2, 6]);
    // relu features: non-negative
    expect(Math.min(...f.dataSync())).toBeGreaterThanOrEqual(0);
    const logits = expectNoLeak(() => c.head!(f));
    const direct = c.apply(x);
    expectClose(logits, Array.from(direct.dataSync()) as never, 1e-6);
    // by hand: features · W_out + b_out
    const w = c.getWeights();
    const manual = tf.tidy(() => tf.add(tf.matMul(f, w[4]!), w[5]!));
    expectClose(manual, Array.from(direct.dataSync()) as never, 1e-5);
    tf.dispose([x, f, logits, direct, manual, ...w]);
    c.dispose();
  });

  it('gradients flow through features and head to every trainable variable', () => {
    const c = mlp({ inputShape: [2, 2, 1], numClasses: 2, hidden: [3], seed: 1 });
    const x = tf.randomNormal([4, 2, 2, 1], 0, 1, 'float32', 7);
    const viaSplit = tf.variableGrads(
      () => tf.sum(tf.square(c.head!(c.features!(x, { training: true })))) as tf.Scalar,
      c.trainableVariables,
    );
    const direct = tf.variableGrads(
      () => tf.sum(tf.square(c.apply(x, { training: true }))) as tf.Scalar,
      c.trainableVariables,
    );
    expect(Object.keys(viaSplit.grads).length).toBe(c.trainableVariables.length);
    for (const k of Object.keys(direct.grads)) {
      expectClose(viaSplit.grads[k]!, Array.from(direct.grads[k]!.dataSync()) as never, 1e-5);
    }
    tf.dispose([x, viaSplit.value, direct.value, viaSplit.grads, direct.grads]);
    c.dispose();
  });

  it('convNet exposes its penultimate dense features', () => {
    const c = convNet({ inputShape: [8, 8, 1], numClasses: 3, seed: 2 });
    expect(c.numFeatures).toBeGreaterThan(0);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
    const f = c.features!(x);
    expect(f.shape).toEqual([2, c.numFeatures!]);
    const a = c.head!(f);
    const b = c.apply(x);
    expectClose(a, Array.from(b.dataSync()) as never, 1e-5);
    tf.dispose([x, f, a, b]);
    c.dispose();
  });

  it('a model whose last layer is not dense exposes no features', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [2], units: 3 }),
        tfl.layers.activation({ activation: 'linear' }),
      ],
    });
    const c = fromLayersModel(model);
    expect(c.features).toBeUndefined();
    expect(c.head).toBeUndefined();
    c.dispose();
  });

  it('refuses bad input and use after dispose', () => {
    const c = mlp({ inputShape: [4], numClasses: 3, hidden: [5], seed: 3 });
    const bad = tf.zeros([2, 3]);
    expectTailwiseError(
      () => c.features!(bad),
      'SHAPE_MISMATCH',
      'Classifier.features: expected `x`',
    );
    expectTailwiseError(
      () => c.head!(bad),
      'SHAPE_MISMATCH',
      'Classifier.head: expected `features` to be of shape [*, 5]',
    );
    c.dispose();
    expectTailwiseError(() => c.features!(bad), 'INVALID_STATE', 'disposed');
    bad.dispose();
  });
});
