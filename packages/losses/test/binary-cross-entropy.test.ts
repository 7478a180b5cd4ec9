import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTensor,
  gradientCheck,
} from '../../../test/helpers';
import { binaryCrossEntropy } from '../src/index';

const LN2 = Math.LN2;
const LN3 = Math.log(3);
// σ(0) = 0.5, σ(ln 3) = 0.75, σ(−ln 3) = 0.25
const X = [
  [0, LN3, -LN3],
  [LN3, -LN3, 0],
];
const Y = [
  [1, 0, 1],
  [0, 1, 0.5],
];
// (y=1, p=.5): −ln .5 = ln 2;  (y=0, p=.75): −ln .25 = 2 ln 2;  (y=1, p=.25): −ln .25 = 2 ln 2
// (y=0, p=.75): 2 ln 2;  (y=1, p=.25): 2 ln 2;  (y=.5, p=.5): −(.5 ln .5 + .5 ln .5) = ln 2
const BCE = [LN2, 2 * LN2, 2 * LN2, 2 * LN2, 2 * LN2, LN2];

describe('binaryCrossEntropy', () => {
  it('hand-computed values for every reduction', () => {
    expectTensor(() => binaryCrossEntropy(Y, X, { reduction: 'none' }), BCE);
    expectTensor(() => binaryCrossEntropy(Y, X, { reduction: 'sum' }), 10 * LN2); // 6.931472
    expectTensor(() => binaryCrossEntropy(Y, X), (10 * LN2) / 6); // 1.155245
  });

  it('mask per element, applied before the reduction (PLM)', () => {
    const mask = [
      [1, 0, 1],
      [0, 1, 1],
    ];
    // kept: ln2 + 2ln2 + 2ln2 + ln2 = 6 ln 2 over 4 kept entries
    expectTensor(() => binaryCrossEntropy(Y, X, { mask }), (6 * LN2) / 4);
    expectTensor(
      () => binaryCrossEntropy(Y, X, { mask, reduction: 'none' }),
      [LN2, 0, 2 * LN2, 0, 2 * LN2, LN2],
    );
    // PLM paper 002 eq. 2 ('batchMean'): sum over classes, mean over the B = 2 rows, a fixed
    // denominator: masking removes contributions (6 ln 2 / 2), it does not rescale the rest.
    expectTensor(() => binaryCrossEntropy(Y, X, { mask, reduction: 'batchMean' }), (6 * LN2) / 2);
    expectTensor(() => binaryCrossEntropy(Y, X, { reduction: 'batchMean' }), (10 * LN2) / 2);
    expectTensor(
      () => binaryCrossEntropy(Y, X, { mask, weights: [1, 0, 2], reduction: 'batchMean' }),
      (LN2 + 2 * 2 * LN2 + 0 + 2 * LN2) / 2,
    );
  });

  it('class weights, posWeight and label smoothing', () => {
    // weights [1, 0, 2]: row 0 ln2 + 0 + 2·2ln2, row 1 2ln2 + 0 + 2·ln2 -> 9 ln 2
    expectTensor(() => binaryCrossEntropy(Y, X, { weights: [1, 0, 2], reduction: 'sum' }), 9 * LN2);
    // posWeight 2 doubles the positive part: 2 + 2 + 4 + 2 + 4 + (2·.5 + .5)·1 = 15.5 ln 2
    expectTensor(() => binaryCrossEntropy(Y, X, { posWeight: 2, reduction: 'sum' }), 15.5 * LN2);
    expectTensor(
      () => binaryCrossEntropy(Y, X, { posWeight: [2, 2, 2], reduction: 'sum' }),
      15.5 * LN2,
    );
    // ε = 0.2: y -> 0.8y + 0.1. (1, x=0): ln 2. (0, p=.75): −(.1 ln .75 + .9 ln .25)
    //   = .1·0.287682 + .9·1.386294 = 1.276433; (1, p=.25): the same; (.5, x=0): ln 2.
    const ls = 1.276433;
    expectTensor(
      () => binaryCrossEntropy(Y, X, { labelSmoothing: 0.2, reduction: 'none' }),
      [LN2, ls, ls, ls, ls, LN2],
    );
  });

  it('equals tf.losses.sigmoidCrossEntropy, with and without smoothing', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([
        [1.5, -0.3, 0.2, 2],
        [0.1, 0.1, -4, 3],
      ]);
      const y = tf.tensor2d([
        [1, 0, 0, 1],
        [0, 1, 1, 0],
      ]);
      expectClose(
        binaryCrossEntropy(y, logits),
        tf.losses.sigmoidCrossEntropy(y, logits).dataSync()[0]!,
      );
      expectClose(
        binaryCrossEntropy(y, logits, { labelSmoothing: 0.1 }),
        tf.losses.sigmoidCrossEntropy(y, logits, undefined, 0.1).dataSync()[0]!,
      );
    });
  });

  it('is finite for logits of ±1e4, with finite gradients', () => {
    const big = tf.tensor2d([
      [1e4, -1e4, 1e4],
      [-1e4, 0, 1e4],
    ]);
    const y = tf.tensor2d([
      [0, 1, 1],
      [0, 1, 0.5],
    ]);
    // (0, 1e4): 1e4; (1, −1e4): 1e4; (1, 1e4): 0; (0, −1e4): 0; (1, 0): ln 2; (.5, 1e4): 1e4 − 5e3
    expectTensor(
      () => binaryCrossEntropy(y, big, { reduction: 'none' }),
      [1e4, 1e4, 0, 0, LN2, 5e3],
      1e-2,
    );
    const g = tf.grad((x: tf.Tensor) => binaryCrossEntropy(y, x, { reduction: 'sum' }))(big);
    // d/dx = σ(x) − y
    expectClose(g, [1, -1, 0, 0, -0.5, 0.5], 1e-6);
    tf.dispose([big, y, g]);
  });

  it('has gradient σ(0) − y = 0.5 − y at x = 0 exactly', () => {
    const g = tf.grad((x: tf.Tensor) =>
      binaryCrossEntropy([[1, 0, 0.25]], x, { reduction: 'sum' }),
    )(tf.zeros([1, 3]));
    expectClose(g, [-0.5, 0.5, 0.25], 1e-7);
    g.dispose();
  });

  it('passes a gradient check (plain, posWeight, smoothing, mask, weights)', () => {
    const x0 = tf.tensor2d([
      [0.3, -1.2, 0.8],
      [1.1, 0.4, -0.5],
    ]);
    gradientCheck((x) => binaryCrossEntropy(Y, x), x0);
    gradientCheck(
      (x) => binaryCrossEntropy(Y, x, { posWeight: [3, 1, 0.5], labelSmoothing: 0.1 }),
      x0,
    );
    gradientCheck(
      (x) =>
        binaryCrossEntropy(Y, x, {
          mask: [
            [1, 0, 1],
            [1, 1, 0],
          ],
          weights: [1, 2, 3],
        }),
      x0,
    );
    x0.dispose();
  });

  it('a masked element has exactly zero gradient', () => {
    const x0 = tf.tensor2d([
      [1e4, 0.5, -1e4],
      [0.2, -0.3, 0.1],
    ]);
    const mask = [
      [0, 1, 0],
      [1, 0, 1],
    ];
    const g = expectNoLeak(() => tf.grad((x: tf.Tensor) => binaryCrossEntropy(Y, x, { mask }))(x0));
    const v = Array.from(g.dataSync());
    for (const i of [0, 2, 4]) expect(Math.abs(v[i]!)).toBe(0);
    for (const i of [1, 3, 5]) expect(v[i]).not.toBe(0);
    tf.dispose([g, x0]);
  });

  it('refuses bad shapes and options, naming the argument', () => {
    tf.tidy(() => {
      expectTailwiseError(
        () => binaryCrossEntropy([1, 0], [0.1, 0.2]),
        'SHAPE_MISMATCH',
        'binaryCrossEntropy: expected `logits` to be of rank 2, got shape [2]',
      );
      expectTailwiseError(
        () => binaryCrossEntropy([[1, 0]], X),
        'SHAPE_MISMATCH',
        'expected `labels` to be of the same shape as `logits` [2, 3], got shape [1, 2]',
      );
      expectTailwiseError(
        () => binaryCrossEntropy(Y, X, { posWeight: [1, 2] }),
        'SHAPE_MISMATCH',
        '`posWeight` to be a scalar, of shape [3] (per class) or [2, 3] (per element)',
      );
      expectTailwiseError(
        () => binaryCrossEntropy(Y, X, { posWeight: -1 }),
        'INVALID_OPTION',
        '`posWeight` to be a number >= 0, got -1',
      );
      expectTailwiseError(
        () => binaryCrossEntropy(Y, X, { weights: [1, 2] }),
        'SHAPE_MISMATCH',
        '`weights`',
      );
      expectTailwiseError(
        () => binaryCrossEntropy(Y, X, { labelSmoothing: -0.1 }),
        'INVALID_OPTION',
        '`labelSmoothing`',
      );
    });
  });

  it('is symmetric under (y, x) -> (1 − y, −x) and non-negative (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.infiniteStream(fc.double({ min: -50, max: 50, noNaN: true })),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (rows, cols, xs, ys) => {
          const n = rows * cols;
          const x = Array.from({ length: n }, () => xs.next().value as number);
          const y = Array.from({ length: n }, () => ys.next().value as number);
          const [a, b] = tf.tidy(() => [
            Array.from(
              binaryCrossEntropy(tf.tensor2d(y, [rows, cols]), tf.tensor2d(x, [rows, cols]), {
                reduction: 'none',
              }).dataSync(),
            ),
            Array.from(
              binaryCrossEntropy(
                tf.tensor2d(
                  y.map((v) => 1 - v),
                  [rows, cols],
                ),
                tf.tensor2d(
                  x.map((v) => -v),
                  [rows, cols],
                ),
                { reduction: 'none' },
              ).dataSync(),
            ),
          ]);
          a!.forEach((v, i) => {
            expect(Math.abs(v - b![i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v)));
            expect(v).toBeGreaterThanOrEqual(-1e-5);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
