import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoLeakAsync, expectTailwiseErrorAsync } from '../../../test/helpers';
import { datasetFromTensors, datasetFromTfData, type TfDataLike } from '../src/index';

/** tf.data's contract, by hand: an async iterator whose elements the consumer owns. */
function fakeTfData(make: () => { xs: tf.Tensor; ys: tf.Tensor }[]): TfDataLike {
  return {
    async iterator() {
      const items = make();
      let i = 0;
      return {
        async next() {
          return i < items.length
            ? { value: items[i++]!, done: false }
            : { value: undefined, done: true };
        },
      };
    },
  };
}

describe('datasetFromTensors', () => {
  it('reads [N] indices, one-hot rows, multi-label states and soft rows into the right field', async () => {
    const x = tf.tensor2d([
      [0.5, 1],
      [2, 3],
      [4, 5],
    ]);
    await expectNoLeakAsync(async () => {
      const idx = tf.tensor1d([2, 0, 1], 'int32');
      const d = await datasetFromTensors(x, idx, { classNames: ['a', 'b', 'c'] });
      expect(d).toMatchObject({ name: 'tensors', size: 3, inputShape: [2], numClasses: 3 });
      expect(Array.from(d.labels!)).toEqual([2, 0, 1]);
      expect(Array.from(d.features)).toEqual([0.5, 1, 2, 3, 4, 5]);
      const oneHot = tf.tensor2d([
        [0, 0, 1, 0],
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ]);
      const o = await datasetFromTensors(x, oneHot);
      expect(o.numClasses).toBe(4);
      expect(Array.from(o.labels!)).toEqual([2, 0, 1]);
      const multi = tf.tensor2d([
        [1, 1, -1],
        [0, 0, 0],
        [1, 0, 1],
      ]);
      const m = await datasetFromTensors(x, multi);
      expect(m.labels).toBeUndefined();
      expect(Array.from(m.multiLabels!)).toEqual([1, 1, -1, 0, 0, 0, 1, 0, 1]);
      const softRows = tf.tensor2d([
        [0.5, 0.5],
        [0.25, 0.75],
        [1, 0],
      ]);
      const s = await datasetFromTensors(x, softRows);
      expect(Array.from(s.softLabels!)).toEqual([0.5, 0.5, 0.25, 0.75, 1, 0]);
      tf.dispose([idx, oneHot, multi, softRows]);
    });
    expect(x.isDisposed).toBe(false); // the caller keeps its tensors
    x.dispose();
  });

  it('refuses mismatched rows, bad targets and non-finite features with coded errors', async () => {
    const x = tf.zeros([2, 3]);
    const y3 = tf.tensor1d([0, 1, 1], 'int32');
    await expectTailwiseErrorAsync(
      () => datasetFromTensors(x, y3),
      'SHAPE_MISMATCH',
      /^datasetFromTensors: expected `y` to be 2 rows \(one per row of x\), got 3$/,
    );
    const bad = tf.tensor2d([
      [0.3, 2],
      [1, 0],
    ]);
    await expectTailwiseErrorAsync(
      () => datasetFromTensors(x, bad),
      'INVALID_VALUE',
      /^datasetFromTensors: expected `y` to be one-hot rows, multi-label rows in \{1, 0, −1\}, or rows of probabilities summing to 1/,
    );
    const neg = tf.tensor1d([0, -1]);
    await expectTailwiseErrorAsync(
      () => datasetFromTensors(x, neg),
      'INVALID_VALUE',
      /class indices/,
    );
    const nan = tf.tensor2d([
      [0, Number.NaN, 0],
      [0, 0, 0],
    ]);
    const y2 = tf.tensor1d([0, 1], 'int32');
    await expectTailwiseErrorAsync(
      () => datasetFromTensors(nan, y2),
      'NON_FINITE',
      /`x`.*NaN at flat index 1/,
    );
    tf.dispose([x, y3, bad, neg, nan, y2]);
  });
});

describe('datasetFromTfData', () => {
  it('stacks per-sample { xs, ys } elements (and concatenates batched ones), disposing them', async () => {
    const before = tf.memory().numTensors;
    const d = await datasetFromTfData(
      fakeTfData(() => [
        { xs: tf.tensor1d([1, 2]), ys: tf.scalar(1, 'int32') },
        { xs: tf.tensor1d([3, 4]), ys: tf.scalar(0, 'int32') },
      ]),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(d).toMatchObject({ name: 'tf.data', size: 2, inputShape: [2], numClasses: 2 });
    expect(Array.from(d.labels!)).toEqual([1, 0]);
    const b = await datasetFromTfData(
      fakeTfData(() => [
        { xs: tf.tensor2d([[1], [2]]), ys: tf.tensor1d([0, 1], 'int32') },
        { xs: tf.tensor2d([[3]]), ys: tf.tensor1d([2], 'int32') },
      ]),
      { batched: true, name: 'batched' },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(b).toMatchObject({ name: 'batched', size: 3, inputShape: [1], numClasses: 3 });
  });

  it('refuses non-datasets, elements without xs/ys, and empty datasets', async () => {
    await expectTailwiseErrorAsync(
      () => datasetFromTfData({} as never),
      'INVALID_VALUE',
      /^datasetFromTfData: expected `ds` to be a tf\.data\.Dataset \(an object with iterator\(\)\)/,
    );
    await expectTailwiseErrorAsync(
      () => datasetFromTfData(fakeTfData(() => [{ image: 1 } as never])),
      'INVALID_VALUE',
      /elements \{ xs: tf\.Tensor, ys: tf\.Tensor \}.* at element 0/,
    );
    await expectTailwiseErrorAsync(
      () => datasetFromTfData(fakeTfData(() => [])),
      'INVALID_VALUE',
      /at least one element, got none/,
    );
  });
});
