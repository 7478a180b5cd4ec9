import { withValidation } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, expectTailwiseError, expectTensor } from '../../../test/helpers';
import { effectiveNumberWeights } from '../src/index';

describe('effectiveNumberWeights', () => {
  it('is (1 − β)/(1 − β^n) normalised to sum C (hand-computed)', () => {
    // β = 0.5, counts [1, 10, 0]:
    //   raw: 0.5/(1 − 0.5) = 1, 0.5/(1 − 0.5^10) = 0.5/0.9990234 = 0.5004888, zero count -> 0
    //   sum 1.5004888; ×3/sum -> [1.9993485, 1.0006515, 0]
    expectTensor(
      () => effectiveNumberWeights([1, 10, 0], { beta: 0.5 }),
      [1.9993485, 1.0006515, 0],
    );
    // default β = 0.999, counts [1000, 10]:
    //   raw: 0.001/(1 − 0.999^1000) = 0.001/0.6323046 = 0.0015815, 0.001/(1 − 0.999^10) = 0.001/0.0099551 = 0.1004514
    //   ×2/sum -> [0.0310003, 1.9689997]
    const counts = tf.tensor1d([1000, 10]);
    expectTensor(() => effectiveNumberWeights(counts), [0.0310003, 1.9689997], 1e-5);
    counts.dispose();
    // β = 0: every present class weighs 1
    expectTensor(() => effectiveNumberWeights([3, 7, 1], { beta: 0 }), [1, 1, 1]);
  });
  it('sums to C and decreases with the count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100000 }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        (counts, beta) => {
          const w = effectiveNumberWeights(counts, { beta });
          const values = Array.from(w.dataSync());
          w.dispose();
          expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.length, 3);
          for (let i = 0; i < counts.length; i++) {
            for (let j = 0; j < counts.length; j++) {
              if (counts[i]! < counts[j]!)
                expect(values[i]!).toBeGreaterThanOrEqual(values[j]! * (1 - 1e-5));
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
  it("refuses all-zero tensor counts at 'values'; gives zero weights, never NaN, at 'shapes'", () => {
    const counts = tf.zeros([3]);
    expectTailwiseError(() => effectiveNumberWeights(counts), 'INVALID_VALUE', /all zeros/);
    const w = withValidation('shapes', () => effectiveNumberWeights(counts));
    expectClose(w, [0, 0, 0]);
    tf.dispose([counts, w]);
  });
  it('refuses bad input', () => {
    expectTailwiseError(
      () => effectiveNumberWeights([1, 2], { beta: 1 }),
      'INVALID_OPTION',
      'effectiveNumberWeights: expected `beta` to be a number in [0, 1), got 1',
    );
    expectTailwiseError(
      () => effectiveNumberWeights([1, -2]),
      'INVALID_VALUE',
      'expected `counts` to be non-negative counts, got -2 at index 1',
    );
    expectTailwiseError(
      () => effectiveNumberWeights([0, 0]),
      'INVALID_VALUE',
      'at least one positive entry',
    );
    expectTailwiseError(
      () => effectiveNumberWeights([1, Number.POSITIVE_INFINITY]),
      'NON_FINITE',
      '`counts`',
    );
    expectTailwiseError(() => effectiveNumberWeights([[1, 2]]), 'SHAPE_MISMATCH', 'of rank 1');
    expectTailwiseError(() => effectiveNumberWeights([]), 'SHAPE_MISMATCH', 'non-empty');
  });
});
