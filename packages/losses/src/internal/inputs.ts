import {
  assertRank,
  assertSameShape,
  checkCandidateRows,
  checkClassIndices,
  checkDistributionRows,
  checkFinite,
  checkInRange,
  checkValuesIn,
  fail,
  formatShape,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Where a `[C]`-or-`[B]` weight vector of a per-sample loss applies. */
export type WeightsPer = 'class' | 'sample';

/** Converts `logits` to a float32 `[B, C]` tensor or throws naming `logits`. */
export function logitsMatrix(logits: TensorInput, functionName: string): tf.Tensor2D {
  const x = toTensor(logits, functionName, 'logits', 'float32');
  assertRank(x, 2, functionName, 'logits');
  // At the validation level 'values' (core): NaN/±Inf logits are an error, not a NaN loss.
  checkFinite(logits, functionName, 'logits');
  return x as tf.Tensor2D;
}

/**
 * Turns single-label targets into float32 `[B, C]` rows: int32 class indices `[B]` become one-hot
 * rows, `[B, C]` soft or one-hot targets pass through. A plain array of rank 1 counts as class
 * indices; a float32 tensor of rank 1 is refused (it is ambiguous, and `tf.oneHot` needs int32).
 * At the validation level 'values' (core) the values are checked on the original argument:
 * indices must be integers in [0, C) (an index C would give an all-zero one-hot row and a
 * finite, wrong loss), target rows must be distributions.
 */
export function classTargets(
  labels: TensorInput,
  logits: tf.Tensor2D,
  functionName: string,
  parameter = 'labels',
): tf.Tensor2D {
  const isTensor = labels instanceof tf.Tensor;
  const y = toTensor(labels, functionName, parameter);
  const [batch, classes] = logits.shape;
  if (y.rank === 1) {
    if (isTensor && y.dtype !== 'int32') {
      fail(
        'DTYPE_MISMATCH',
        functionName,
        parameter,
        `int32 class indices of shape [${batch}] or targets of shape [${batch}, ${classes}]`,
        `a ${y.dtype} tensor of shape ${formatShape(y.shape)}`,
      );
    }
    if (y.shape[0] !== batch) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        parameter,
        `class indices of shape [${batch}] (one per row of \`logits\`)`,
        `shape ${formatShape(y.shape)}`,
      );
    }
    checkClassIndices(labels, classes, functionName, parameter);
    const indices = y.dtype === 'int32' ? y : tf.cast(y, 'int32');
    return tf.cast(tf.oneHot(indices as tf.Tensor1D, classes), 'float32') as tf.Tensor2D;
  }
  if (y.rank !== 2) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `class indices of shape [${batch}] or targets of shape [${batch}, ${classes}]`,
      `shape ${formatShape(y.shape)}`,
    );
  }
  assertSameShape(logits, y, functionName, 'logits', parameter);
  checkDistributionRows(labels, classes, functionName, parameter, { tolerance: 1e-3 });
  return (y.dtype === 'float32' ? y : tf.cast(y, 'float32')) as tf.Tensor2D;
}

/**
 * Converts `[B, C]` element-wise labels to float32. `kind: 'binary'` (multi-label targets)
 * requires values in [0, 1] (soft targets allowed); `'candidates'` requires 0/1 rows with at
 * least one candidate; `'state'` a multi-label state in {1, 0, −1}; `'finite'` finite values.
 * Checked at the validation level in force (core).
 */
export function elementLabels(
  labels: TensorInput,
  logits: tf.Tensor2D,
  functionName: string,
  parameter = 'labels',
  kind: 'binary' | 'candidates' | 'state' | 'finite' | 'checked-by-caller' = 'binary',
): tf.Tensor2D {
  const y = toTensor(labels, functionName, parameter, 'float32');
  assertSameShape(logits, y, functionName, 'logits', parameter);
  if (kind === 'candidates') checkCandidateRows(labels, y.shape[1]!, functionName, parameter);
  else if (kind === 'state') checkValuesIn(labels, [1, 0, -1], functionName, parameter);
  else if (kind === 'finite') checkFinite(labels, functionName, parameter);
  else if (kind === 'binary') checkInRange(labels, { min: 0, max: 1 }, functionName, parameter);
  return y as tf.Tensor2D;
}

/**
 * Per-sample weights `[B]` of a per-sample loss. `per: 'class'` takes `[C]` class weights and
 * weighs sample i by `Σ_c w_c·y_ic` (its class's weight for one-hot targets, the target-weighted
 * mean for soft targets); `per: 'sample'` takes `[B]` weights as they are. The choice is an
 * option, never guessed from the length, so a batch of exactly C samples cannot flip it.
 */
export function sampleWeights(
  weights: TensorInput | undefined,
  per: WeightsPer,
  targets: tf.Tensor2D,
  functionName: string,
): tf.Tensor1D | undefined {
  if (weights === undefined) return undefined;
  const w = toTensor(weights, functionName, 'weights', 'float32');
  checkInRange(weights, { min: 0 }, functionName, 'weights');
  const [batch, classes] = targets.shape;
  if (per === 'class') {
    if (w.rank !== 1 || w.shape[0] !== classes) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'weights',
        `per-class weights of shape [${classes}] (weightsPer: 'class')`,
        `shape ${formatShape(w.shape)}`,
      );
    }
    return tf.sum(tf.mul(targets, w), 1) as tf.Tensor1D;
  }
  if (w.rank !== 1 || w.shape[0] !== batch) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      'weights',
      `per-sample weights of shape [${batch}] (weightsPer: 'sample')`,
      `shape ${formatShape(w.shape)}`,
    );
  }
  return w as tf.Tensor1D;
}

/** Throws `SHAPE_MISMATCH` unless `shape` broadcasts to `[B, C]` as a per-class `[C]` or per-element `[B, C]` value. */
export function assertClassOrElementShape(
  t: tf.Tensor,
  batch: number,
  classes: number,
  functionName: string,
  parameter: string,
  allowScalar = false,
): void {
  const s = t.shape;
  const ok =
    (allowScalar && s.length === 0) ||
    (s.length === 1 && s[0] === classes) ||
    (s.length === 2 && s[0] === batch && s[1] === classes);
  if (!ok) {
    const what = `${allowScalar ? 'a scalar, ' : ''}of shape [${classes}] (per class) or [${batch}, ${classes}] (per element)`;
    fail('SHAPE_MISMATCH', functionName, parameter, what, `shape ${formatShape(s)}`);
  }
}
