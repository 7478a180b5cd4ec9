import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { type Classifier, type ResNetOptions, resNet } from '../src/index';
import { ShortcutA } from '../src/internal/shortcut-a';
import {
  expectGradientsForEveryVariable,
  separableProblem,
  trainSteps,
  weightValues,
} from './helpers';

// The stock wasm backend has no Conv2DBackpropFilter kernel (docs/performance.md); @tailwise/backends
// registers one, but this package must not depend on it.
const noConvGradients = tf.getBackend() === 'wasm';

/** Trainable parameters of the CIFAR ResNet, counted independently of the builder. */
function expectedTrainable(
  depth: number,
  width: number,
  inChannels: number,
  classes: number,
  shortcut: 'A' | 'B',
): number {
  const n = (depth - 2) / 6;
  let params = 9 * inChannels * width + 2 * width; // stem conv + bn (γ, β)
  let channels = width;
  for (let stage = 0; stage < 3; stage++) {
    const filters = width * 2 ** stage;
    for (let b = 0; b < n; b++) {
      params += 9 * channels * filters + 2 * filters + 9 * filters * filters + 2 * filters;
      if (channels !== filters && shortcut === 'B') params += channels * filters + 2 * filters;
      channels = filters;
    }
  }
  return params + channels * classes + classes;
}

function trainableCount(classifier: Classifier): number {
  return classifier.trainableVariables.reduce((sum, v) => sum + v.size, 0);
}

describe('resNet', () => {
  let baseline: number;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('ResNet-20 has 272,474 trainable parameters with shortcut B (docs/performance.md) and 269,722 with A', () => {
    expect(expectedTrainable(20, 16, 3, 10, 'B')).toBe(272_474);
    expect(expectedTrainable(20, 16, 3, 10, 'A')).toBe(269_722);
    const b = resNet({ inputShape: [8, 8, 3], numClasses: 10, seed: 1 });
    const a = resNet({ inputShape: [8, 8, 3], numClasses: 10, shortcut: 'A', seed: 1 });
    expect(trainableCount(b)).toBe(272_474);
    expect(trainableCount(a)).toBe(269_722);
    // the rest are moving statistics: two per batch-norm channel, as many as γ and β
    const bnChannels = (c: Classifier) =>
      c.trainableVariables.filter((v) => v.rank === 1).reduce((s, v) => s + v.size, 0) - 10;
    expect(b.countParams?.()).toBe(272_474 + bnChannels(b));
    expect(a.countParams?.()).toBe(269_722 + bnChannels(a));
    // 19 convolutions + 1 dense; B adds two projection convolutions
    expect(b.trainableVariables.filter((v) => v.rank === 4)).toHaveLength(21);
    expect(a.trainableVariables.filter((v) => v.rank === 4)).toHaveLength(19);
    a.dispose();
    b.dispose();
  });

  it('deeper and narrower variants count as expected', () => {
    const m = resNet({ inputShape: [8, 8, 1], numClasses: 4, depth: 32, width: 4, seed: 1 });
    expect(trainableCount(m)).toBe(expectedTrainable(32, 4, 1, 4, 'B'));
    m.dispose();
  });

  it('forward pass on 8×8 inputs, batch 2: logits [2, C], no leak', () => {
    for (const shortcut of ['A', 'B'] as const) {
      const classifier = resNet({
        inputShape: [8, 8, 3],
        numClasses: 5,
        depth: 20,
        shortcut,
        seed: 2,
      });
      const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1);
      const y = expectNoLeak(() => classifier.apply(x));
      const yt = expectNoLeak(() => classifier.apply(x, { training: true }));
      expect(y.shape).toEqual([2, 5]);
      expect(yt.shape).toEqual([2, 5]);
      tf.dispose([x, y, yt]);
      classifier.dispose();
    }
  });

  it('training mode updates the batch-norm moving statistics, inference mode does not', () => {
    const classifier = resNet({ inputShape: [8, 8, 3], numClasses: 3, width: 4, seed: 3 });
    const nTrainable = classifier.trainableVariables.length;
    const stats = () => weightValues(classifier).slice(nTrainable);
    const initial = stats();
    // fresh moving means are 0, moving variances 1
    expect(initial.every((s) => s.every((v) => v === 0 || v === 1))).toBe(true);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 2);
    tf.dispose(classifier.apply(x));
    expect(stats()).toEqual(initial);
    tf.dispose(classifier.apply(x, { training: true }));
    const after = stats();
    expect(after.length).toBe(initial.length);
    after.forEach((s, i) => {
      expect(s).not.toEqual(initial[i]);
    });
    x.dispose();
    classifier.dispose();
  });

  it('the same seed gives identical weights, another seed different ones', () => {
    const options: ResNetOptions = { inputShape: [8, 8, 3], numClasses: 3, width: 4, seed: 21 };
    const a = resNet(options);
    const b = resNet(options);
    const c = resNet({ ...options, seed: 22 });
    expect(weightValues(b)).toEqual(weightValues(a));
    expect(weightValues(c)).not.toEqual(weightValues(a));
    for (const m of [a, b, c]) m.dispose();
  });

  it.skipIf(noConvGradients)(
    'every trainable variable gets a non-zero gradient, both shortcuts (needs Conv2DBackpropFilter)',
    () => {
      const { x, labels } = separableProblem(2, [8, 8, 3], 3);
      for (const shortcut of ['A', 'B'] as const) {
        const classifier = resNet({
          inputShape: [8, 8, 3],
          numClasses: 2,
          depth: 20,
          shortcut,
          seed: 7,
        });
        expectGradientsForEveryVariable(classifier, x, labels);
        classifier.dispose();
      }
      tf.dispose([x, labels]);
    },
  );

  it.skipIf(noConvGradients)('a few SGD steps reduce the loss (needs Conv2DBackpropFilter)', () => {
    const { x, labels } = separableProblem(8, [8, 8, 3], 4);
    const classifier = resNet({
      inputShape: [8, 8, 3],
      numClasses: 2,
      depth: 8,
      width: 4,
      seed: 8,
    });
    const { before, after } = trainSteps(classifier, x, labels, { steps: 15, learningRate: 0.05 });
    expect(after).toBeLessThan(0.75 * before);
    tf.dispose([x, labels]);
    classifier.dispose();
  });

  it('refuses bad options', () => {
    expectTailwiseError(
      () => resNet({ inputShape: [8, 8, 3], numClasses: 2, depth: 21 }),
      'INVALID_OPTION',
      /^resNet: expected `depth` to be an integer 6n \+ 2 >= 8 \(20, 32, 44, 56, 110, …\), got 21$/,
    );
    expectTailwiseError(
      () => resNet({ inputShape: [8, 8, 3], numClasses: 2, shortcut: 'C' as 'A' }),
      'INVALID_OPTION',
      /`shortcut` to be one of 'A', 'B', got "C"/,
    );
    expectTailwiseError(
      () => resNet({ inputShape: [64], numClasses: 2 }),
      'INVALID_OPTION',
      /`inputShape` to be an array of 3 positive integers/,
    );
    expectTailwiseError(
      () => resNet({ inputShape: [8, 8, 3], numClasses: 2, width: 0 }),
      'INVALID_OPTION',
      /`width` to be an integer >= 1, got 0/,
    );
    expectTailwiseError(
      () => resNet({ inputShape: [8, 8, 3], numClasses: 2, batchNormMomentum: -0.1 }),
      'INVALID_OPTION',
      /`batchNormMomentum` to be a number in \[0, 1\]/,
    );
  });
});

describe('option A shortcut (internal)', () => {
  it('subsamples x[:, ::2, ::2] and zero-pads the channels (values by hand)', () => {
    const layer = new ShortcutA({ filters: 4, strides: 2 });
    // [1, 3, 3, 2], value = 10·(row·3 + col) + channel
    const data = Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
    const x = tf.tensor4d(data, [1, 3, 3, 2]);
    const y = expectNoLeak(() => layer.apply(x) as tf.Tensor);
    // odd size 3 → ceil(3/2) = 2: rows and cols 0 and 2; channels [0, c0, c1, 0]
    expect(y.shape).toEqual([1, 2, 2, 4]);
    expectClose(y, [0, 0, 1, 0, 0, 20, 21, 0, 0, 60, 61, 0, 0, 80, 81, 0]);
    expect(layer.computeOutputShape([null, 3, 3, 2])).toEqual([null, 2, 2, 4]);
    // gradient: 1 where a pixel was kept, 0 elsewhere
    const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
    const kept = (i: number) => {
      const pixel = Math.floor(i / 2);
      return Math.floor(pixel / 3) % 2 === 0 && (pixel % 3) % 2 === 0 ? 1 : 0;
    };
    expectClose(
      g,
      data.map((_, i) => kept(i)),
    );
    tf.dispose([x, y, g]);
  });

  it('even sizes: [1, 4, 4, 1] → [1, 2, 2, 3]', () => {
    const layer = new ShortcutA({ filters: 3, strides: 2 });
    const x = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    const y = layer.apply(x) as tf.Tensor;
    // kept pixels 0, 2, 8, 10; padding 1 before, 1 after
    expectClose(y, [0, 0, 0, 0, 2, 0, 0, 8, 0, 0, 10, 0]);
    tf.dispose([x, y]);
  });

  it('builds inside a functional model', () => {
    const input = tfl.input({ shape: [4, 4, 2] });
    const out = new ShortcutA({ filters: 4, strides: 2 }).apply(input) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 2, 2, 4]);
  });
});
