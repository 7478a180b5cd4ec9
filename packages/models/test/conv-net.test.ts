import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { type ConvNetOptions, convNet } from '../src/index';
import {
  expectGradientsForEveryVariable,
  separableProblem,
  trainSteps,
  weightValues,
} from './helpers';

// The stock wasm backend has no Conv2DBackpropFilter kernel (docs/performance.md); @tailwise/backends
// registers one, but this package must not depend on it.
const noConvGradients = tf.getBackend() === 'wasm';

describe('convNet', () => {
  let baseline: number;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('defaults are the docs/performance.md CNN: parameter count by hand', () => {
    const classifier = convNet({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    // conv 3·3·1·32 + 32 = 320; conv 3·3·32·64 + 64 = 18,496; 28 → 26 → 24 → pool 12:
    // dense 12·12·64·10 + 10 = 92,170
    expect(classifier.countParams?.()).toBe(320 + 18_496 + 92_170);
    expect(classifier.trainableVariables.map((v) => v.shape)).toEqual([
      [3, 3, 1, 32],
      [32],
      [3, 3, 32, 64],
      [64],
      [9216, 10],
      [10],
    ]);
    classifier.dispose();
  });

  it('forward pass: logits [B, C], no leak, inference deterministic', () => {
    const classifier = convNet({
      inputShape: [8, 8, 2],
      numClasses: 3,
      filters: [4, 6],
      dense: [5],
      dropout: 0.25,
      seed: 2,
    });
    const x = tf.randomUniform([2, 8, 8, 2], 0, 1, 'float32', 3);
    const a = expectNoLeak(() => classifier.apply(x));
    const b = classifier.apply(x);
    const t = expectNoLeak(() => classifier.apply(x, { training: true }));
    expect(a.shape).toEqual([2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b, t]);
    classifier.dispose();
  });

  it("'same' padding and no pooling keep the image size", () => {
    const classifier = convNet({
      inputShape: [5, 5, 1],
      numClasses: 2,
      filters: [3],
      padding: 'same',
      poolSize: 1,
      seed: 1,
    });
    // conv 3·3·1·3 + 3 = 30; dense 5·5·3·2 + 2 = 152
    expect(classifier.countParams?.()).toBe(30 + 152);
    classifier.dispose();
  });

  it('the same seed gives identical weights, another seed different ones', () => {
    const options: ConvNetOptions = {
      inputShape: [6, 6, 1],
      numClasses: 2,
      filters: [3, 4],
      dense: [5],
      seed: 11,
    };
    const a = convNet(options);
    const b = convNet(options);
    const c = convNet({ ...options, seed: 12 });
    expect(weightValues(b)).toEqual(weightValues(a));
    expect(weightValues(c)).not.toEqual(weightValues(a));
    for (const m of [a, b, c]) m.dispose();
  });

  it.skipIf(noConvGradients)(
    'every trainable variable gets a non-zero gradient (needs Conv2DBackpropFilter)',
    () => {
      const { x, labels } = separableProblem(4, [6, 6, 1], 2);
      const classifier = convNet({
        inputShape: [6, 6, 1],
        numClasses: 2,
        filters: [3, 4],
        dense: [5],
        seed: 4,
      });
      expectGradientsForEveryVariable(classifier, x, labels);
      tf.dispose([x, labels]);
      classifier.dispose();
    },
  );

  it.skipIf(noConvGradients)('a few SGD steps reduce the loss (needs Conv2DBackpropFilter)', () => {
    const { x, labels } = separableProblem(16, [6, 6, 1], 5);
    const classifier = convNet({ inputShape: [6, 6, 1], numClasses: 2, filters: [4], seed: 6 });
    const { before, after } = trainSteps(classifier, x, labels, { steps: 20, learningRate: 0.1 });
    expect(after).toBeLessThan(0.6 * before);
    tf.dispose([x, labels]);
    classifier.dispose();
  });

  it('refuses bad options', () => {
    expectTailwiseError(
      () => convNet({ inputShape: [28, 28], numClasses: 10 }),
      'INVALID_OPTION',
      /^convNet: expected `inputShape` to be an array of 3 positive integers, got \[28, 28\]$/,
    );
    expectTailwiseError(
      () => convNet({ inputShape: [5, 5, 1], numClasses: 10 }),
      'INVALID_OPTION',
      /^convNet: expected `inputShape` to be at least 6×6 pixels for these convolutions and pooling, got \[5, 5, 1\]$/,
    );
    expectTailwiseError(
      () => convNet({ inputShape: [8, 8, 1], numClasses: 2, kernelSize: 0 }),
      'INVALID_OPTION',
      /`kernelSize` to be an integer >= 1/,
    );
    expectTailwiseError(
      () => convNet({ inputShape: [8, 8, 1], numClasses: 2, padding: 'full' as 'same' }),
      'INVALID_OPTION',
      /`padding` to be one of 'valid', 'same', got "full"/,
    );
    expectTailwiseError(
      () => convNet({ inputShape: [8, 8, 1], numClasses: 2, filters: [] }),
      'INVALID_OPTION',
      /`filters` to be an array of at least 1 positive integers/,
    );
  });
});
