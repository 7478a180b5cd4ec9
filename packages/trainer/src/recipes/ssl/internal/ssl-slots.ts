import { crossEntropy, logitAdjustedCrossEntropy, udalLoss } from '@tailwise/losses';
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

/** What the loss slot of a step receives. */
export interface SslLossParts {
  readonly labels: tf.Tensor1D;
  /** Logits of the weak view of the labeled batch `[B, C]`. */
  readonly labeledLogits: tf.Tensor2D;
  /** Logits of the strong view of the unlabeled batch `[μB, C]`. */
  readonly strongLogits: tf.Tensor2D;
  readonly pseudoLabels: tf.Tensor1D;
  readonly mask: tf.Tensor1D;
  readonly d: SslDistributions;
  readonly lambdaU: number;
}

/** The step's loss from its parts. */
export type SslLossSlot = (p: SslLossParts) => tf.Scalar;

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

/** FixMatch's unlabeled branch, `(1/μB)·Σ mask·CE(ŷ, f(x_s))` ('batchMean' over all μB rows). */
const plainUnlabeled = (p: SslLossParts) =>
  crossEntropy(p.pseudoLabels, p.strongLogits, { mask: p.mask, reduction: 'batchMean' });

/** FixMatch (and FixMatch + DA): `CE(y, f(x_l)) + λ_u·(1/μB)·Σ mask·CE(ŷ, f(x_s))`. */
export const fixMatchLoss: SslLossSlot = (p) =>
  tf.add(crossEntropy(p.labels, p.labeledLogits), tf.mul(plainUnlabeled(p), p.lambdaU));

/** LA (Sup): UDAL's labeled branch `CE(y, f(x) + log((p_data + ε)/(p̃ + ε)))`, FixMatch's unlabeled one. */
export const laSupLoss: SslLossSlot = (p) =>
  tf.add(
    logitAdjustedCrossEntropy(p.labels, p.labeledLogits, {
      adjustment: logitAdjustment(p.d.pData!, p.d.target!),
    }),
    tf.mul(plainUnlabeled(p), p.lambdaU),
  );

/** UDAL, both branches adjusted (paper 004, Algorithm 1): {@link udalLoss} of `losses`. */
export const udalLossSlot: SslLossSlot = (p) =>
  udalLoss(
    {
      labels: p.labels,
      labeledLogits: p.labeledLogits,
      strongLogits: p.strongLogits,
      pseudoLabels: p.pseudoLabels,
      mask: p.mask,
      pData: p.d.pData!,
      target: p.d.target!,
      pHat: p.d.pHat,
    },
    { lambdaU: p.lambdaU },
  );
