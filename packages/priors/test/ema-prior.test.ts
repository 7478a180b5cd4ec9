import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { EmaPrior, meanDistribution } from '../src/index';

describe('EmaPrior', () => {
  it('starts uniform and applies two updates (hand-computed)', () => {
    const before = tf.memory().numTensors;
    const prior = new EmaPrior({ numClasses: 2, momentum: 0.9 });
    expectClose(prior.value, [0.5, 0.5]);
    // 0.9·[0.5, 0.5] + 0.1·[1, 0] = [0.55, 0.45]
    prior.update([1, 0]);
    expectClose(prior.value, [0.55, 0.45]);
    // 0.9·[0.55, 0.45] + 0.1·[0, 1] = [0.495, 0.505]
    const estimate = tf.tensor1d([0, 1]);
    prior.update(estimate);
    expectClose(prior.value, [0.495, 0.505]);
    expect(estimate.isDisposed).toBe(false);
    expect(prior.updates).toBe(2);
    expect(tf.memory().numTensors).toBe(before + 2); // the prior's value and `estimate`
    estimate.dispose();
    prior.dispose();
    expect(prior.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('momentum = 1 − μ reproduces the Solar/PLR update r ← (1 − μ)·r + μ·r_new', () => {
    const mu = 0.1;
    const prior = new EmaPrior({ numClasses: 3, momentum: 1 - mu, initial: [0.2, 0.3, 0.5] });
    prior.update([1, 0, 0]);
    // (1 − 0.1)·[0.2, 0.3, 0.5] + 0.1·[1, 0, 0] = [0.28, 0.27, 0.45]
    expectClose(prior.value, [0.28, 0.27, 0.45]);
    prior.dispose();
  });
  it('its value survives an enclosing tf.tidy and the update has no gradient', () => {
    const prior = new EmaPrior({ numClasses: 2, momentum: 0.5 });
    tf.tidy(() =>
      prior.update(
        meanDistribution([
          [0.2, 0.8],
          [0.4, 0.6],
        ]),
      ),
    );
    // 0.5·0.5 + 0.5·[0.3, 0.7] = [0.4, 0.6]
    expectClose(prior.value, [0.4, 0.6]);
    const x = tf.tensor1d([0.3, 0.7]);
    const g = tf.grad((v: tf.Tensor) => {
      prior.update(v);
      return tf.sum(tf.mul(prior.value, v));
    })(x);
    // value no longer depends on v through the tape: d/dv Σ value·v = value = 0.5·[0.4, 0.6] + 0.5·[0.3, 0.7]
    expectClose(g, [0.35, 0.65]);
    tf.dispose([x, g]);
    prior.dispose();
  });
  it('round-trips through JSON', async () => {
    const prior = new EmaPrior({ numClasses: 3, momentum: 0.99 });
    prior.update([0.5, 0.25, 0.25]);
    const json = await prior.toJSON();
    expect(json.kind).toBe('tailwise.EmaPrior');
    const restored = EmaPrior.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(restored.updates).toBe(1);
    expect(restored.momentum).toBe(0.99);
    expectClose(restored.value, Array.from(await prior.value.data()));
    prior.update([1, 0, 0]);
    restored.update([1, 0, 0]);
    expectClose(restored.value, Array.from(await prior.value.data()));
    prior.dispose();
    restored.dispose();
  });
  it('refuses unknown JSON', () => {
    const good = {
      kind: 'tailwise.EmaPrior',
      version: 1,
      numClasses: 2,
      momentum: 0.9,
      updates: 0,
      value: [0.5, 0.5],
    };
    const before = tf.memory().numTensors;
    expectTailwiseError(
      () => EmaPrior.fromJSON(null),
      'INVALID_FORMAT',
      'EmaPrior.fromJSON: expected `json` to be a tailwise.EmaPrior version 1 state, got null',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, kind: 'other' }),
      'INVALID_FORMAT',
      'kind "other"',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, version: 2 }),
      'INVALID_FORMAT',
      'version 2',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, extra: 1 }),
      'INVALID_FORMAT',
      'unknown key "extra"',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, momentum: 2 }),
      'INVALID_FORMAT',
      'momentum 2',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, value: [0.5] }),
      'INVALID_FORMAT',
      'value',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, value: [0.9, 0.9] }),
      'INVALID_FORMAT',
      'not a distribution',
    );
    expectTailwiseError(
      () => EmaPrior.fromJSON({ ...good, updates: -1 }),
      'INVALID_FORMAT',
      'updates -1',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
  it('refuses bad options and estimates', async () => {
    expectTailwiseError(
      () => new EmaPrior({ numClasses: 0, momentum: 0.9 }),
      'INVALID_OPTION',
      'EmaPrior: expected `numClasses` to be an integer >= 1, got 0',
    );
    expectTailwiseError(
      () => new EmaPrior({ numClasses: 2, momentum: 1.5 }),
      'INVALID_OPTION',
      'expected `momentum` to be a number in [0, 1], got 1.5',
    );
    expectTailwiseError(
      () => new EmaPrior({ numClasses: 2, momentum: 0.5, mu: 0.1 } as never),
      'INVALID_OPTION',
      '`mu`',
    );
    expectTailwiseError(
      () => new EmaPrior({ numClasses: 2, momentum: 0.5, initial: [0.5, 0.25, 0.25] }),
      'SHAPE_MISMATCH',
      '`initial` to be of shape [2]',
    );
    expectTailwiseError(
      () => new EmaPrior({ numClasses: 2, momentum: 0.5, initial: [0.9, 0.9] }),
      'NOT_A_DISTRIBUTION',
      '`initial`',
    );
    const before = tf.memory().numTensors;
    const prior = new EmaPrior({ numClasses: 2, momentum: 0.5 });
    expectTailwiseError(
      () => prior.update([1, 0, 0]),
      'SHAPE_MISMATCH',
      'EmaPrior.update: expected `estimate` to be of shape [2], got shape [3]',
    );
    expectTailwiseError(() => prior.update([Number.NaN, 1]), 'NOT_A_DISTRIBUTION', '`estimate`');
    expectClose(prior.value, [0.5, 0.5]);
    prior.dispose();
    prior.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expectTailwiseError(() => prior.value, 'INVALID_STATE', 'disposed');
    expectTailwiseError(() => prior.update([0.5, 0.5]), 'INVALID_STATE', 'disposed');
    await expectTailwiseErrorAsync(() => prior.toJSON(), 'INVALID_STATE', 'disposed');
  });
});
