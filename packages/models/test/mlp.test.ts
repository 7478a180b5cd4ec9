import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { type MlpActivation, type MlpOptions, mlp } from '../src/index';
import {
  expectGradientsForEveryVariable,
  separableProblem,
  trainSteps,
  weightValues,
} from './helpers';

describe('mlp', () => {
  let baseline: number;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('flattens image inputs and returns logits [B, C]; parameter count by hand', () => {
    const classifier = mlp({ inputShape: [4, 4, 1], numClasses: 3, seed: 1 });
    expect(classifier.inputShape).toEqual([4, 4, 1]);
    expect(classifier.numClasses).toBe(3);
    // 16·256 + 256 + 256·3 + 3
    expect(classifier.countParams?.()).toBe(16 * 256 + 256 + 256 * 3 + 3);
    expect(classifier.trainableVariables.map((v) => v.shape)).toEqual([
      [16, 256],
      [256],
      [256, 3],
      [3],
    ]);
    const x = tf.randomUniform([5, 4, 4, 1], 0, 1, 'float32', 2);
    const logits = expectNoLeak(() => classifier.apply(x));
    expect(logits.shape).toEqual([5, 3]);
    expect(logits.dtype).toBe('float32');
    tf.dispose([x, logits]);
    classifier.dispose();
  });

  it('hidden: [] is a linear model', () => {
    const classifier = mlp({ inputShape: [6], numClasses: 2, hidden: [], seed: 1 });
    expect(classifier.trainableVariables.map((v) => v.shape)).toEqual([[6, 2], [2]]);
    classifier.dispose();
  });

  it('the same seed gives identical weights, another seed different ones', () => {
    const options: MlpOptions = { inputShape: [5], numClasses: 3, hidden: [7, 4], seed: 42 };
    const a = mlp(options);
    const b = mlp(options);
    const c = mlp({ ...options, seed: 43 });
    // dropout does not change the initial weights of a seed
    const d = mlp({ ...options, dropout: 0.3 });
    const wa = weightValues(a);
    expect(weightValues(b)).toEqual(wa);
    expect(weightValues(d)).toEqual(wa);
    expect(weightValues(c)).not.toEqual(wa);
    // not all zero: the kernels were really initialised
    expect(wa[0]!.some((v) => v !== 0)).toBe(true);
    // unseeded builds differ from each other
    const e = mlp({ inputShape: [5], numClasses: 3 });
    const f = mlp({ inputShape: [5], numClasses: 3 });
    expect(weightValues(e)).not.toEqual(weightValues(f));
    for (const m of [a, b, c, d, e, f]) m.dispose();
  });

  it('a few SGD steps reduce the loss on a separable problem', () => {
    const { x, labels } = separableProblem(32, [4], 7);
    const classifier = mlp({ inputShape: [4], numClasses: 2, hidden: [16], seed: 3 });
    const { before, after } = trainSteps(classifier, x, labels, { steps: 25, learningRate: 0.5 });
    expect(after).toBeLessThan(0.6 * before);
    tf.dispose([x, labels]);
    classifier.dispose();
  });

  it('every trainable variable gets a non-zero gradient, for every activation', () => {
    const { x, labels } = separableProblem(8, [2, 2, 1], 1);
    for (const activation of [
      'relu',
      'elu',
      'selu',
      'swish',
      'tanh',
      'sigmoid',
    ] as MlpActivation[]) {
      const classifier = mlp({
        inputShape: [2, 2, 1],
        numClasses: 2,
        hidden: [8, 8],
        activation,
        dropout: 0.2,
        seed: 5,
      });
      expectGradientsForEveryVariable(classifier, x, labels);
      classifier.dispose();
    }
    tf.dispose([x, labels]);
  });

  it('dropout: a fresh mask per training call, reproducible per seed, off in inference', () => {
    const options: MlpOptions = {
      inputShape: [10],
      numClasses: 4,
      hidden: [64],
      dropout: 0.5,
      seed: 9,
    };
    const a = mlp(options);
    const b = mlp(options);
    const plain = mlp({ ...options, dropout: 0 });
    const x = tf.randomUniform([3, 10], 0, 1, 'float32', 1);
    const read = (t: tf.Tensor) => {
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const a1 = read(a.apply(x, { training: true }));
    const a2 = read(a.apply(x, { training: true }));
    const b1 = read(b.apply(x, { training: true }));
    const b2 = read(b.apply(x, { training: true }));
    expect(a1).not.toEqual(a2); // CONTRIBUTING.md pitfall 3: masks differ across steps
    expect(b1).toEqual(a1); // and repeat across runs
    expect(b2).toEqual(a2);
    // inference: no dropout, equal to the same weights without a dropout layer
    const inf1 = read(a.apply(x));
    const inf2 = read(a.apply(x, { training: false }));
    expect(inf2).toEqual(inf1);
    expectClose(inf1, read(plain.apply(x)), 1e-6);
    x.dispose();
    for (const m of [a, b, plain]) m.dispose();
  });

  it('refuses bad options', () => {
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 2, hidden: [8, 0] }),
      'INVALID_OPTION',
      /^mlp: expected `hidden` to be an array of positive integers, got \[8, 0\]$/,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [], numClasses: 2 }),
      'INVALID_OPTION',
      /^mlp: expected `inputShape` to be an array of at least 1 positive integers, got \[\]$/,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 0 }),
      'INVALID_OPTION',
      /`numClasses` to be an integer >= 1, got 0/,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 2, dropout: 1 }),
      'INVALID_OPTION',
      /`dropout` to be a number in \[0, 1\), got 1/,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 2, activation: 'gelu' as MlpActivation }),
      'INVALID_OPTION',
      /`activation` to be one of 'relu', 'elu', 'selu', 'swish', 'tanh', 'sigmoid', got "gelu"/,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 2, seed: -1 }),
      'INVALID_OPTION',
      /`seed` to be an integer in \[0, /,
    );
    expectTailwiseError(
      () => mlp({ inputShape: [4], numClasses: 2, hiden: [3] } as unknown as MlpOptions),
      'INVALID_OPTION',
      /expected `hiden` to be one of the known options/,
    );
    expectTailwiseError(
      () => mlp(undefined as unknown as MlpOptions),
      'INVALID_OPTION',
      /`inputShape`/,
    );
  });
});
