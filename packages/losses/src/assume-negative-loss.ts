import {
  assertRank,
  checkValuesIn,
  fail,
  type ReduceOptions,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { binaryCrossEntropy } from './binary-cross-entropy';
import { logitsMatrix } from './internal/inputs';
import { multiLabelState } from './internal/multi-label-state';
import type { ElementLoss } from './types';

/** Options of {@link assumeNegativeLoss} and {@link weakAssumeNegativeLoss}. */
export type AssumeNegativeLossOptions = ReduceOptions;

function assumedTargets(state: tf.Tensor2D): tf.Tensor2D {
  return tf.cast(tf.equal(state, 1), 'float32') as tf.Tensor2D;
}

function missingAsNegative_(state: TensorInput): tf.Tensor2D {
  const fn = 'missingAsNegative';
  const z = toTensor(state, fn, 'state', 'float32');
  assertRank(z, 2, fn, 'state');
  checkValuesIn(state, [1, 0, -1], fn, 'state');
  return assumedTargets(z as tf.Tensor2D);
}

/**
 * The missing-as-negative view of a multi-label state `[B, C]` in {1, 0, −1}: 0/1 targets, 1
 * exactly where `state` is a known positive (unknown −1 and negative 0 both become 0), as the
 * Focal and ASL peers of paper 001 see partial labels (docs/methods/001-partial-annotations.md,
 * "Peers"). A full 0/1 label matrix comes back unchanged.
 *
 * @example
 * ```ts
 * const loss = binaryFocalLoss(missingAsNegative(batch.multiLabels), logits);
 * ```
 * @returns a new float32 `[B, C]` tensor owned by the caller (a target: no gradient).
 */
export const missingAsNegative = /* @__PURE__ */ tf.op({ missingAsNegative_ });

function assumeNegativeLoss_(
  state: TensorInput,
  logits: TensorInput,
  options?: AssumeNegativeLossOptions,
): tf.Tensor {
  const fn = 'assumeNegativeLoss';
  const x = logitsMatrix(logits, fn);
  const y = assumedTargets(multiLabelState(state, x, fn));
  return binaryCrossEntropy(y, x, options);
}

/**
 * AN, "assume negative" (the peer of paper 001; Kundu & Tighe 2020, Cole et al. 2021): binary
 * cross-entropy with every unknown entry (−1) taken as a negative,
 * `ℓ_ic = −[1(z=1)·log σ(x) + 1(z≠1)·log(1 − σ(x))]`, mean over all B·C entries
 * (docs/methods/001-partial-annotations.md, "Peers"). It is {@link binaryCrossEntropy} on the
 * missing-as-negative view; options (reduction, mask, weights) as there.
 *
 * `state` `[B, C]` in {1, 0, −1}, checked at the validation level in force (`INVALID_VALUE`).
 *
 * @example
 * ```ts
 * const loss = assumeNegativeLoss(batch.multiLabels, logits);
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B, C]` with `reduction: 'none'`.
 */
export const assumeNegativeLoss = /* @__PURE__ */ tf.op({
  assumeNegativeLoss_,
}) as ElementLoss<AssumeNegativeLossOptions>;

function weakAssumeNegativeLoss_(
  state: TensorInput,
  logits: TensorInput,
  options?: AssumeNegativeLossOptions,
): tf.Tensor {
  const fn = 'weakAssumeNegativeLoss';
  const x = logitsMatrix(logits, fn);
  const classes = x.shape[1];
  if (classes < 2)
    fail(
      'SHAPE_MISMATCH',
      fn,
      'logits',
      'at least 2 classes (negatives weigh 1/(C − 1))',
      `${classes}`,
    );
  const y = assumedTargets(multiLabelState(state, x, fn));
  // Positives weigh 1, every negative (known or assumed) 1/(C − 1) (Cole et al. 2021, WAN).
  let w: tf.Tensor = tf.add(y, tf.mul(tf.sub(1, y), 1 / (classes - 1)));
  if (options?.weights !== undefined)
    w = tf.mul(w, toTensor(options.weights, fn, 'weights', 'float32'));
  return binaryCrossEntropy(y, x, { ...options, weights: w });
}

/**
 * WAN, "weak assume negative" (the peer of paper 001; Mac Aodha et al. 2019, Cole et al. 2021):
 * {@link assumeNegativeLoss} with every negative term weighted `1/(C − 1)`,
 * `ℓ_ic = −[1(z=1)·log σ(x) + 1(z≠1)/(C − 1)·log(1 − σ(x))]`, mean over all B·C entries
 * (docs/methods/001-partial-annotations.md, "Peers"). A user `weights` multiplies these.
 *
 * @example
 * ```ts
 * const loss = weakAssumeNegativeLoss(batch.multiLabels, logits);
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B, C]` with `reduction: 'none'`.
 * @throws `SHAPE_MISMATCH` for fewer than 2 classes.
 */
export const weakAssumeNegativeLoss = /* @__PURE__ */ tf.op({
  weakAssumeNegativeLoss_,
}) as ElementLoss<AssumeNegativeLossOptions>;
