import { crossEntropy, logitAdjustedCrossEntropy } from '@tailwise/losses';
import { logitAdjustment } from '@tailwise/priors';
import { distributionAlignment, fixMatchPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The class distributions a step's slots may read (docs/methods/004-udal.md): `pData` the
 * labeled frequencies, `target` the progressive `p̃`, `pHat` the EMA of the weak predictions.
 */
export interface SslDistributions {
  readonly pData: tf.Tensor1D | undefined;
  readonly target: tf.Tensor1D | undefined;
  readonly pHat: tf.Tensor1D;
}

/** Pseudo-labels `ŷ` and their confidence mask from the weak view's logits (off the tape). */
export type PseudoLabelSlot = (
  weakLogits: tf.Tensor2D,
  d: SslDistributions,
  threshold: number,
) => { labels: tf.Tensor1D; mask: tf.Tensor1D };

/** The labeled branch's loss. */
export type LabeledLossSlot = (
  labels: tf.Tensor1D,
  logits: tf.Tensor2D,
  d: SslDistributions,
) => tf.Scalar;

/** The unlabeled branch's **sum** over the μB rows of `mask · ℓ(ŷ, f(x_strong))`. */
export type UnlabeledLossSlot = (
  pseudoLabels: tf.Tensor1D,
  strongLogits: tf.Tensor2D,
  mask: tf.Tensor1D,
  d: SslDistributions,
) => tf.Scalar;

/** FixMatch: `ŷ = argmax q_w`, mask `max q_w ≥ τ` of the unadjusted weak logits. */
export const fixMatchTargets: PseudoLabelSlot = (w, _d, threshold) =>
  fixMatchPseudoLabels(w, { threshold });

/** ReMixMatch DA: the same rule on `q̃ = normalize(q · p̃/p̂)` (`distributionAlignment`). */
export const alignedTargets: PseudoLabelSlot = (w, d, threshold) =>
  // softmax(log q̃) = q̃, so FixMatch's thresholding rule applies to q̃ as it is.
  fixMatchPseudoLabels(
    tf.log(
      tf.maximum(distributionAlignment(tf.softmax(w), { from: d.pHat, to: d.target! }), 1e-30),
    ) as tf.Tensor2D,
    { threshold },
  );

/** `CE(y, f(x))`. */
export const plainLabeled: LabeledLossSlot = (y, logits) => crossEntropy(y, logits) as tf.Scalar;

/** UDAL's labeled branch: `CE(y, f(x) + log((p_data + ε)/(p̃ + ε)))` (Algorithm 1). */
export const adjustedLabeled: LabeledLossSlot = (y, logits, d) =>
  logitAdjustedCrossEntropy(y, logits, {
    adjustment: logitAdjustment(d.pData!, d.target!),
  }) as tf.Scalar;

/** `Σ mask · CE(ŷ, f(x_s))`. */
export const plainUnlabeled: UnlabeledLossSlot = (y, logits, mask) =>
  crossEntropy(y, logits, { mask, reduction: 'sum' }) as tf.Scalar;

/** UDAL's unlabeled branch: `Σ mask · CE(ŷ, f(x_s) + log((p̂ + ε)/(p̃ + ε)))` (Algorithm 1). */
export const adjustedUnlabeled: UnlabeledLossSlot = (y, logits, mask, d) =>
  logitAdjustedCrossEntropy(y, logits, {
    mask,
    reduction: 'sum',
    adjustment: logitAdjustment(d.pHat, d.target!),
  }) as tf.Scalar;
