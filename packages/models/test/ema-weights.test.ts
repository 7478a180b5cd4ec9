import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectNoLeakAsync,
  expectTailwiseError,
  expectTailwiseErrorAsync,
} from '../../../test/helpers';
import {
  type Classifier,
  EmaWeights,
  fromLayersModel,
  mlp,
  PlainBatchNormalization,
} from '../src/index';
import { ceLoss, separableProblem, weightValues } from './helpers';

/** A classifier with a single weight w: logits = [[x·w]]. */
function oneWeight(w: number): Classifier {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [1], units: 1, useBias: false })],
  });
  const classifier = fromLayersModel(model);
  setWeight(classifier, w);
  return classifier;
}

function setWeight(classifier: Classifier, w: number): void {
  tf.tidy(() => classifier.setWeights([tf.tensor2d([[w]])]));
}

function weightOf(classifier: Classifier): number {
  return weightValues(classifier)[0]![0]!;
}

function emaOf(ema: EmaWeights): number[][] {
  const ws = ema.getWeights();
  const out = ws.map((w) => Array.from(w.dataSync()));
  tf.dispose(ws);
  return out;
}

/** dense 2 → 2 followed by plain batch norm: 6 trainable values, 4 moving statistics. */
function withBatchNorm(): Classifier {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [2], units: 2, kernelInitializer: tfl.initializers.ones() }),
      new PlainBatchNormalization({ momentum: 0.5 }),
    ],
  });
  return fromLayersModel(model);
}

describe('EmaWeights', () => {
  let baseline: number;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('two updates by hand on a one-weight model', () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.9 });
    expect(emaOf(ema)).toEqual([[1]]); // starts at the current weights
    setWeight(classifier, 3);
    expectNoLeak(() => ema.update());
    // 0.9·1 + 0.1·3 = 1.2
    expectClose(emaOf(ema)[0]!, [1.2]);
    setWeight(classifier, 5);
    ema.update();
    // 0.9·1.2 + 0.1·5 = 1.58
    expectClose(emaOf(ema)[0]!, [1.58]);
    expect(ema.step).toBe(2);
    expect(weightOf(classifier)).toBe(5); // update never touches the model
    ema.dispose();
    classifier.dispose();
  });

  it('warm-up uses min(decay, (1 + t)/(10 + t))', () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.9, warmup: true });
    expect(ema.currentDecay).toBeCloseTo(0.1, 12); // (1 + 0)/(10 + 0)
    setWeight(classifier, 3);
    ema.update();
    // 0.1·1 + 0.9·3 = 2.8
    expectClose(emaOf(ema)[0]!, [2.8]);
    expect(ema.currentDecay).toBeCloseTo(2 / 11, 12);
    setWeight(classifier, 5);
    ema.update();
    // (2/11)·2.8 + (9/11)·5 = 50.6/11 = 4.6
    expectClose(emaOf(ema)[0]!, [4.6]);
    for (let i = 0; i < 100; i++) ema.update();
    expect(ema.currentDecay).toBe(0.9); // (1 + 102)/(10 + 102) > 0.9
    ema.dispose();
    classifier.dispose();
  });

  it('matches a plain-JS EMA of the weights over an SGD run', () => {
    const { x, labels } = separableProblem(16, [3], 2);
    const classifier = mlp({ inputShape: [3], numClasses: 2, hidden: [5], seed: 1 });
    const ema = new EmaWeights(classifier, { decay: 0.7 });
    const optimizer = tf.train.sgd(0.3);
    let reference = weightValues(classifier);
    for (let step = 0; step < 5; step++) {
      tf.dispose(
        optimizer.minimize(
          () => ceLoss(classifier, x, labels),
          false,
          classifier.trainableVariables,
        ) ?? [],
      );
      ema.update();
      const w = weightValues(classifier);
      reference = reference.map((r, i) => r.map((v, k) => 0.7 * v + 0.3 * w[i]![k]!));
    }
    const got = emaOf(ema);
    got.forEach((g, i) => {
      expectClose(g, reference[i]!, 1e-5);
    });
    expect(got).not.toEqual(weightValues(classifier)); // the average lags the weights
    optimizer.dispose();
    tf.dispose([x, labels]);
    ema.dispose();
    classifier.dispose();
  });

  it("buffers: 'copy' copies the moving statistics, 'average' averages them", () => {
    const classifier = withBatchNorm();
    expect(classifier.trainableVariables).toHaveLength(4); // kernel, bias, γ, β
    const copy = new EmaWeights(classifier, { decay: 0.9 });
    const average = new EmaWeights(classifier, { decay: 0.9, buffers: 'average' });
    const x = tf.tensor2d([
      [1, 0],
      [3, 2],
    ]);
    // kernel of ones: h = [x0 + x1, x0 + x1] = [[1, 1], [5, 5]], mean 3, unbiased variance 8
    tf.dispose(classifier.apply(x, { training: true }));
    const model = weightValues(classifier);
    expectClose(model[4]!, [1.5, 1.5]); // moving mean 0.5·0 + 0.5·3
    expectClose(model[5]!, [4.5, 4.5]); // moving variance 0.5·1 + 0.5·8
    copy.update();
    average.update();
    const c = emaOf(copy);
    const a = emaOf(average);
    expect(c[4]).toEqual(model[4]);
    expect(c[5]).toEqual(model[5]);
    expectClose(a[4]!, [0.15, 0.15]); // 0.9·0 + 0.1·1.5
    expectClose(a[5]!, [1.35, 1.35]); // 0.9·1 + 0.1·4.5
    // trainable weights are averaged in both modes (and did not move: no optimizer step)
    c.slice(0, 4).forEach((w, i) => {
      expectClose(w, model[i]!, 1e-6);
    });
    x.dispose();
    copy.dispose();
    average.dispose();
    classifier.dispose();
  });

  it('withEma swaps the averaged weights in and restores the training weights', () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.5 });
    setWeight(classifier, 3);
    ema.update(); // ema 2, model 3
    const x = tf.tensor2d([[1]]);
    const logits = expectNoLeak(() => ema.withEma(() => classifier.apply(x)));
    expectClose(logits, [2]); // the logit used the averaged weight
    expect(weightOf(classifier)).toBe(3);
    expect(ema.evaluate(() => weightOf(classifier))).toBe(2);
    expect(weightOf(classifier)).toBe(3);
    tf.dispose([x, logits]);
    ema.dispose();
    classifier.dispose();
  });

  it('withEma restores the weights when fn throws, and refuses update or nesting inside', () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.5 });
    setWeight(classifier, 3);
    ema.update();
    expect(() =>
      ema.withEma(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(weightOf(classifier)).toBe(3);
    ema.withEma(() => {
      expectTailwiseError(
        () => ema.update(),
        'INVALID_STATE',
        /EmaWeights.update: called while the averaged weights are swapped in/,
      );
      expectTailwiseError(
        () => ema.withEma(() => 0),
        'INVALID_STATE',
        /EmaWeights.withEma: called while/,
      );
    });
    expect(weightOf(classifier)).toBe(3);
    ema.update(); // usable again: 0.5·2 + 0.5·3
    expectClose(emaOf(ema)[0]!, [2.5]);
    ema.dispose();
    classifier.dispose();
  });

  it('withEma waits for an async fn before restoring, also when it rejects', async () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.5 });
    setWeight(classifier, 3);
    ema.update();
    const seen = await expectNoLeakAsync(() =>
      ema.withEma(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return weightOf(classifier);
      }),
    );
    expect(seen).toBe(2);
    expect(weightOf(classifier)).toBe(3);
    await expect(
      ema.withEma(async () => {
        await Promise.resolve();
        throw new Error('async boom');
      }),
    ).rejects.toThrow('async boom');
    expect(weightOf(classifier)).toBe(3);
    ema.dispose();
    classifier.dispose();
  });

  it('toJSONAsync / fromJSON round trip, and refusal of foreign data', async () => {
    const classifier = oneWeight(1);
    const ema = new EmaWeights(classifier, { decay: 0.8, warmup: true });
    setWeight(classifier, 2);
    ema.update();
    const json = await ema.toJSONAsync();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json).toMatchObject({
      kind: 'tailwise.EmaWeights',
      version: 1,
      decay: 0.8,
      warmup: true,
      buffers: 'copy',
      step: 1,
    });
    const restored = EmaWeights.fromJSON(classifier, json);
    expect(restored.step).toBe(1);
    expect(restored.currentDecay).toBe(ema.currentDecay);
    expect(emaOf(restored)).toEqual(emaOf(ema));
    expectTailwiseError(
      () => EmaWeights.fromJSON(classifier, { ...json, kind: 'other' }),
      'INVALID_FORMAT',
      'EmaWeights.fromJSON: expected `json` to be a tailwise.EmaWeights version 1 state, got kind "other"',
    );
    expectTailwiseError(
      () => EmaWeights.fromJSON(classifier, { ...json, step: -1 }),
      'INVALID_FORMAT',
      'got a step or weights it does not recognise',
    );
    const other = mlp({ inputShape: [2], numClasses: 2, hidden: [], seed: 1 });
    const before = tf.memory().numTensors;
    expectTailwiseError(
      () => EmaWeights.fromJSON(other, json),
      'INVALID_VALUE',
      /an array of 2 tensors/,
    );
    expect(tf.memory().numTensors).toBe(before);
    other.dispose();
    restored.dispose();
    ema.dispose();
    classifier.dispose();
  });

  it('dispose frees the average; a disposed average refuses use', async () => {
    const classifier = oneWeight(1);
    const before = tf.memory().numTensors;
    const ema = new EmaWeights(classifier);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(ema.decay).toBe(0.999);
    ema.dispose();
    expect(tf.memory().numTensors).toBe(before);
    ema.dispose();
    expectTailwiseError(
      () => ema.update(),
      'INVALID_STATE',
      /EmaWeights.update: the EmaWeights has been disposed/,
    );
    expectTailwiseError(() => ema.withEma(() => 0), 'INVALID_STATE', /disposed/);
    await expectTailwiseErrorAsync(() => ema.toJSONAsync(), 'INVALID_STATE', /disposed/);
    classifier.dispose();
  });

  it('refuses bad options and arguments', () => {
    const classifier = oneWeight(1);
    expectTailwiseError(
      () => new EmaWeights(classifier, { decay: 1.5 }),
      'INVALID_OPTION',
      /^EmaWeights: expected `decay` to be a number in \[0, 1\], got 1.5$/,
    );
    expectTailwiseError(
      () => new EmaWeights(classifier, { buffers: 'skip' as 'copy' }),
      'INVALID_OPTION',
      /`buffers` to be one of 'copy', 'average', got "skip"/,
    );
    expectTailwiseError(
      () => new EmaWeights({} as Classifier),
      'INVALID_VALUE',
      /^EmaWeights: expected `classifier` to be a Classifier, got object$/,
    );
    const ema = new EmaWeights(classifier);
    const wrong = tf.zeros([2, 1]);
    expectTailwiseError(
      () => ema.setWeights([wrong]),
      'SHAPE_MISMATCH',
      /expected `weights\[0\]` to be of shape \[1, 1\], got shape \[2, 1\]/,
    );
    expectTailwiseError(
      () => ema.withEma(42 as unknown as () => number),
      'INVALID_VALUE',
      /`fn` to be a function/,
    );
    wrong.dispose();
    ema.dispose();
    classifier.dispose();
  });
});
