import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import {
  assertDistributionRows,
  assertInRange,
  checkCandidateRows,
  checkClassIndices,
  checkDistribution,
  checkDistributionRows,
  checkFinite,
  checkInRange,
  checkValuesIn,
  getValidation,
  setValidation,
  toTensor,
  valuesToCheck,
  withValidation,
} from '../src/index';

afterEach(() => setValidation('values'));

describe('validation level', () => {
  it("defaults to 'values' and refuses unknown levels naming `level`", () => {
    expect(getValidation()).toBe('values');
    expectTailwiseError(
      () => setValidation('none' as never),
      'INVALID_OPTION',
      /setValidation: expected `level` to be one of 'values', 'shapes', got "none"/,
    );
    expect(getValidation()).toBe('values');
  });

  it('lives in one global slot shared by every copy of core', () => {
    setValidation('shapes');
    const slot = (globalThis as unknown as Record<symbol, { level: string }>)[
      Symbol.for('tailwise.validation')
    ];
    expect(slot?.level).toBe('shapes');
  });

  it('withValidation restores the previous level after return, throw and a settled promise', async () => {
    expect(withValidation('shapes', () => getValidation())).toBe('shapes');
    expect(getValidation()).toBe('values');
    expect(() =>
      withValidation('shapes', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(getValidation()).toBe('values');
    const p = withValidation('shapes', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return getValidation();
    });
    expect(getValidation()).toBe('shapes');
    expect(await p).toBe('shapes');
    expect(getValidation()).toBe('values');
    await expect(
      withValidation('shapes', async () => {
        throw new Error('late');
      }),
    ).rejects.toThrow('late');
    expect(getValidation()).toBe('values');
  });
});

describe('valuesToCheck', () => {
  it('reads tensors at values, skips them at shapes, always reads host data', () => {
    const t = tf.tensor1d([1, Number.NaN]);
    expect(Array.from(valuesToCheck(t)!)).toEqual([1, Number.NaN]);
    setValidation('shapes');
    expect(valuesToCheck(t)).toBeUndefined();
    expect(valuesToCheck([[1, 2]])).toEqual([1, 2]);
    expect(valuesToCheck(3)).toEqual([3]);
    t.dispose();
  });

  it('toTensor refuses a disposed tensor naming the argument', () => {
    const t = tf.tensor1d([1]);
    t.dispose();
    expectTailwiseError(
      () => toTensor(t, 'f', 'logits'),
      'INVALID_VALUE',
      /f: expected `logits` to be a live tensor, got a disposed tensor/,
    );
  });
});

describe('check* helpers', () => {
  it('throw the coded error at values and let tensors pass at shapes', () => {
    const nan = tf.tensor2d([[0, Number.NaN]]);
    const labels = tf.tensor1d([4], 'int32');
    const empty = tf.tensor2d([[0, 0]]);
    const prior = tf.tensor1d([0.7, 0.7]);
    const neg = tf.tensor1d([-1, 1]);
    const three = tf.tensor1d([2]);
    const rows = tf.tensor2d([[0.5, 0.6]]);
    const cases: [() => void, string, RegExp][] = [
      [() => checkFinite(nan, 'f', 'logits'), 'NON_FINITE', /`logits`.*NaN at flat index 1/],
      [
        () => checkClassIndices(labels, 4, 'f', 'labels'),
        'INVALID_VALUE',
        /class indices in \[0, 3\], got 4/,
      ],
      [() => checkCandidateRows(empty, 2, 'f', 'candidates'), 'EMPTY_CANDIDATE_SET', /row 0/],
      [() => checkDistribution(prior, 'f', 'prior'), 'NOT_A_DISTRIBUTION', /sum of 1.4/],
      [() => checkInRange(neg, { min: 0 }, 'f', 'weights'), 'INVALID_VALUE', /-1 at flat index 0/],
      [() => checkValuesIn(three, [0, 1], 'f', 'labels'), 'INVALID_VALUE', /0\/1 values, got 2/],
      [
        () => checkDistributionRows(rows, 2, 'f', 'targets'),
        'NOT_A_DISTRIBUTION',
        /row 0 summing to 1.1/,
      ],
    ];
    for (const [fn, code, message] of cases) expectTailwiseError(fn, code, message);
    setValidation('shapes');
    for (const [fn] of cases) expect(fn).not.toThrow();
    tf.dispose([nan, labels, empty, prior, neg, three, rows]);
  });

  it('check host data at both levels', () => {
    setValidation('shapes');
    expectTailwiseError(() => checkFinite([1, Number.POSITIVE_INFINITY], 'f', 'x'), 'NON_FINITE');
    expectTailwiseError(() => checkClassIndices([1.5], 3, 'f', 'labels'), 'INVALID_VALUE');
  });

  it('assertInRange names NaN as NON_FINITE and non-integers as INVALID_VALUE', () => {
    expectTailwiseError(() => assertInRange([Number.NaN], { min: 0 }, 'f', 'w'), 'NON_FINITE');
    expectTailwiseError(
      () => assertInRange([0.5], { integer: true }, 'f', 'w'),
      'INVALID_VALUE',
      /integers/,
    );
    expect(() => assertInRange([0, 1], { min: 0, max: 1 }, 'f', 'p')).not.toThrow();
  });

  it('assertDistributionRows accepts rows summing to 1 and names the bad entry', () => {
    expect(() => assertDistributionRows([0.25, 0.75, 1, 0], 2, 'f', 't')).not.toThrow();
    expectTailwiseError(
      () => assertDistributionRows([1, 0, -0.5, 1.5], 2, 'f', 't'),
      'NOT_A_DISTRIBUTION',
      /-0.5 at row 1, column 0/,
    );
  });

  it('reads without leaking tensors', () => {
    const t = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    checkFinite(t, 'f', 'x');
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});
