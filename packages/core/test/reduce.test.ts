import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectClose, expectTailwiseError, expectTensor } from '../../../test/helpers';
import { reduceElementwise, withoutGradient } from '../src/index';

describe('reduceElementwise', () => {
  const v = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  it('hand-computed values for every reduction', () => {
    const values = tf.tensor(v);
    expectTensor(() => reduceElementwise(values), 3.5);
    expectTensor(() => reduceElementwise(values, { reduction: 'sum' }), 21);
    // mask keeps 1, 3, 5 -> mean 3, sum 9
    const mask = [
      [1, 0, 1],
      [0, 1, 0],
    ];
    expectTensor(() => reduceElementwise(values, { mask }), 3);
    expectTensor(() => reduceElementwise(values, { mask, reduction: 'sum' }), 9);
    // batchMean: Σ over everything / B rows, the mask does not change the denominator
    expectTensor(() => reduceElementwise(values, { reduction: 'batchMean' }), 21 / 2);
    expectTensor(() => reduceElementwise(values, { mask, reduction: 'batchMean' }), 9 / 2);
    expectTensor(
      () => reduceElementwise(values, { mask, weights: [1, 0, 2], reduction: 'batchMean' }),
      7 / 2,
    );
    // [B] values with a mask: FixMatch's loss_u normalisation, masked rows count 0
    const perSample = tf.tensor1d([2, 4, 6, 8]);
    expectTensor(
      () => reduceElementwise(perSample, { mask: [1, 0, 1, 0], reduction: 'batchMean' }),
      8 / 4,
    );
    // gradient of batchMean: m·w/B per element
    expectTensor(
      () =>
        tf.grad((x: tf.Tensor) =>
          reduceElementwise(x, {
            mask: [1, 0, 1, 0],
            weights: [1, 1, 3, 1],
            reduction: 'batchMean',
          }),
        )(perSample),
      [0.25, 0, 0.75, 0],
    );
    perSample.dispose();
    // per-class weights [1, 0, 2]: sum = 1+0+6 + 4+0+12 = 23, mean = 23/6
    expectTensor(() => reduceElementwise(values, { weights: [1, 0, 2], reduction: 'sum' }), 23);
    expectTensor(() => reduceElementwise(values, { weights: [1, 0, 2] }), 23 / 6);
    // mask + weights: kept 1*1, 3*2, 5*0 = 7, over 3 kept entries
    expectTensor(() => reduceElementwise(values, { mask, weights: [1, 0, 2] }), 7 / 3);
    // per-sample mask [B, 1]
    expectTensor(() => reduceElementwise(values, { mask: [[0], [1]] }), 5);
    expectTensor(
      () =>
        reduceElementwise(values, {
          mask: [
            [0, 1, 0],
            [0, 0, 0],
          ],
          reduction: 'none',
        }),
      [0, 2, 0, 0, 0, 0],
    );
    values.dispose();
  });
  it('an all-zero mask gives 0, never NaN, even over Inf values', () => {
    const out = reduceElementwise(tf.tensor([[Number.POSITIVE_INFINITY, 1]]), { mask: [[0, 0]] });
    expectClose(out, 0);
  });
  it('a masked entry has zero gradient', () => {
    const g = tf.grad((x: tf.Tensor) =>
      reduceElementwise(tf.square(x), {
        mask: [
          [1, 0],
          [0, 1],
        ],
      }),
    )(
      tf.tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(g, [1, 0, 0, 4]); // d/dx (x²)/2 = x on kept entries
  });
  it('mean equals sum / kept count (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.infiniteStream(fc.double({ min: -10, max: 10, noNaN: true })),
        fc.infiniteStream(fc.boolean()),
        (rows, cols, vs, ms) => {
          const values = Array.from({ length: rows * cols }, () => vs.next().value as number);
          const mask: number[] = Array.from({ length: rows * cols }, () =>
            ms.next().value ? 1 : 0,
          );
          const kept = mask.reduce((a, b) => a + b, 0);
          const sum = values.reduce((a, b, i) => a + b * mask[i]!, 0);
          tf.tidy(() => {
            const t = tf.tensor(values, [rows, cols]);
            const m = tf.tensor(mask, [rows, cols]);
            expectClose(reduceElementwise(t, { mask: m, reduction: 'sum' }), sum, 1e-3);
            expectClose(reduceElementwise(t, { mask: m }), kept === 0 ? 0 : sum / kept, 1e-3);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
  it('refuses bad options and shapes', () => {
    tf.tidy(() => {
      const values = tf.tensor(v);
      expectTailwiseError(
        () => reduceElementwise(values, { reduction: 'avg' as never }),
        'INVALID_OPTION',
        "expected `reduction` to be one of 'mean', 'sum', 'batchMean', 'none'",
      );
      expectTailwiseError(
        () => reduceElementwise(values, { mask: [[1, 0]] }),
        'SHAPE_MISMATCH',
        '`mask` to be broadcastable',
      );
      expectTailwiseError(
        () => reduceElementwise(values, { weights: [1, 2] }),
        'SHAPE_MISMATCH',
        '`weights`',
      );
    });
  });
});

describe('reduceElementwise with a mask derived from the differentiated input', () => {
  it('backpropagates (the mask is a constant, its comparison is off the tape)', () => {
    // loss = mean over kept of x², kept where x > 1.5: for x = [1, 2, 3] kept = {2, 3};
    // d/dx = 2x/2 on kept entries = [0, 2, 3]
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) =>
      reduceElementwise(tf.square(v), {
        // how a library builds a mask from outputs: the comparison off the tape
        mask: withoutGradient((a) => tf.cast(tf.greater(a!, 1.5), 'float32'), [v]),
      }),
    )(x);
    expectClose(g, [0, 2, 3]);
    tf.dispose([x, g]);
  });
});
