import {
  assertRank,
  assertSameShape,
  checkCandidateRows,
  checkDistribution,
  checkFinite,
  describeValue,
  fail,
  formatShape,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Converts a `[B, C]` float input and checks its rank and that it has at least one class. */
export function toMatrix(x: TensorInput, functionName: string, parameter: string): tf.Tensor2D {
  const t = toTensor(x, functionName, parameter, 'float32');
  assertRank(t, 2, functionName, parameter);
  if (t.shape[1] === 0) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      'of shape [B, C] with C >= 1',
      `shape ${formatShape(t.shape)}`,
    );
  }
  return t as tf.Tensor2D;
}

/** Converts the `(candidates, logits)` pair every partial-label rule takes and checks shapes. */
export function toCandidatesAndLogits(
  candidates: TensorInput,
  logits: TensorInput,
  functionName: string,
): { candidates: tf.Tensor2D; logits: tf.Tensor2D } {
  const s = toMatrix(candidates, functionName, 'candidates');
  const l = toTensor(logits, functionName, 'logits', 'float32');
  assertSameShape(s, l, functionName, 'candidates', 'logits');
  // At the validation level 'values' (core): a row with no candidate would give a NaN target
  // row (Sinkhorn: a NaN batch), NaN logits NaN targets.
  checkCandidateRows(candidates, s.shape[1], functionName, 'candidates');
  checkFinite(logits, functionName, 'logits');
  return { candidates: s, logits: l as tf.Tensor2D };
}

/**
 * Converts a `[C]` class distribution (prior, target) and checks its length and, at the
 * validation level 'values' (core), that it is one: finite, non-negative (positive with
 * `positive`), summing to 1 within 1e-3.
 */
export function toDistribution(
  x: TensorInput,
  numClasses: number,
  functionName: string,
  parameter: string,
  positive = false,
): tf.Tensor1D {
  const t = toTensor(x, functionName, parameter, 'float32');
  if (t.shape.length !== 1 || t.shape[0] !== numClasses) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `a distribution over ${numClasses} classes (sums to 1)`,
      `shape ${formatShape(t.shape)}`,
    );
  }
  checkDistribution(x, functionName, parameter, { positive, tolerance: 1e-3 });
  return t as tf.Tensor1D;
}

/** Refuses a missing options object field that has no default. */
export function requireOption<T>(
  value: T | undefined,
  functionName: string,
  parameter: string,
  expected: string,
): T {
  if (value === undefined)
    fail('INVALID_OPTION', functionName, parameter, expected, describeValue(value));
  return value;
}
