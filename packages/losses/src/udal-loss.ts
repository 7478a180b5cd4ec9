import {
  assertDistribution,
  assertNumber,
  assertShape,
  describeValue,
  fail,
  logRatio,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { logitAdjustedCrossEntropy } from './cross-entropy';
import { logitsMatrix } from './internal/inputs';

/**
 * The tensors of one UDAL step (paper 004, Algorithm 1; docs/methods/004-udal.md). Every
 * input is read, none is kept or disposed. Distributions are treated as constants.
 */
export interface UdalLossInputs {
  /** Labels of the labeled batch: int32 class indices `[B]` or one-hot / soft rows `[B, C]`. */
  labels: TensorInput;
  /** Logits of the (weakly augmented) labeled batch, `[B, C]`. */
  labeledLogits: TensorInput;
  /** Logits of the strongly augmented unlabeled batch, `[μB, C]`. */
  strongLogits: TensorInput;
  /**
   * Hard pseudo-labels `[μB]` (int32): argmax of the **unadjusted** weak-view probabilities,
   * as `fixMatchPseudoLabels(weakLogits).labels` (`@tailwise/pseudo-labels`) gives them.
   */
  pseudoLabels: TensorInput;
  /** `[μB]` 0/1: 1 where `max softmax(weakLogits) ≥ τ` (`fixMatchPseudoLabels(...).mask`). */
  mask: TensorInput;
  /** `p_data` `[C]`: class frequencies of the labeled set (`classPrior`). */
  pData: TensorInput;
  /** `p̃` `[C]`: the progressive target `normalize(p_data^α_t)` (`progressiveTarget`). */
  target: TensorInput;
  /** `p̂` `[C]`: the EMA of the mean weak-view softmax on unlabeled data (`EmaPrior`). */
  pHat: TensorInput;
}

/** Options of {@link udalLoss} and {@link udalLossTerms}. */
export interface UdalLossOptions {
  /** λ_u ≥ 0: weight of the unlabeled branch. Default 1. */
  lambdaU?: number;
}

/** The terms of {@link udalLossTerms}: four new scalars owned by the caller. */
export type UdalLossTerms = {
  /** `labeled + λ_u·unlabeled`, the value {@link udalLoss} returns. */
  loss: tf.Scalar;
  /** `mean_i CE(y_i, f(x_i) + log((p_data + ε)/(p̃ + ε)))`. */
  labeled: tf.Scalar;
  /** `(1/μB)·Σ_j mask_j·CE(ŷ_j, f(x_s,j) + log((p̂ + ε)/(p̃ + ε)))`. */
  unlabeled: tf.Scalar;
  /** Fraction of unlabeled rows the mask keeps (a diagnostic; no gradient). */
  maskRate: tf.Scalar;
};

function distribution(x: TensorInput, classes: number, fn: string, parameter: string): tf.Tensor1D {
  const t = toTensor(x, fn, parameter, 'float32');
  assertShape(t, [classes], fn, parameter);
  const host = valuesToCheck(x);
  if (host !== undefined) assertDistribution(host, fn, parameter, { length: classes });
  return t as tf.Tensor1D;
}

function udalLossTerms_(inputs: UdalLossInputs, options?: UdalLossOptions): UdalLossTerms {
  const fn = 'udalLoss';
  if (typeof inputs !== 'object' || inputs === null) {
    fail('INVALID_VALUE', fn, 'inputs', 'an object of UDAL step tensors', describeValue(inputs));
  }
  const { lambdaU } = withDefaults(options, { lambdaU: 1 }, fn);
  assertNumber(lambdaU, { min: 0 }, fn, 'lambdaU');
  const labeledLogits = logitsMatrix(inputs.labeledLogits, fn);
  const strong = toTensor(inputs.strongLogits, fn, 'strongLogits', 'float32');
  const classes = labeledLogits.shape[1];
  assertShape(strong, [null, classes], fn, 'strongLogits');
  const unlabeledRows = strong.shape[0]!;
  const mask = toTensor(inputs.mask, fn, 'mask', 'float32');
  assertShape(mask, [unlabeledRows], fn, 'mask');
  const pData = distribution(inputs.pData, classes, fn, 'pData');
  const target = distribution(inputs.target, classes, fn, 'target');
  const pHat = distribution(inputs.pHat, classes, fn, 'pHat');
  // Labeled branch (Algorithm 1, line "L_s"): CE(y, f(x) + log((p_data + ε)/(p̃ + ε))).
  const labeled = logitAdjustedCrossEntropy(inputs.labels, labeledLogits, {
    adjustment: logRatio(pData, target),
  });
  // Unlabeled branch ("L_u"): the strong view's logits adjusted by log((p̂ + ε)/(p̃ + ε)),
  // against pseudo-labels of the unadjusted weak view, masked; FixMatch's mean over all μB rows
  // (masked rows count 0), hence 'batchMean' rather than a mean over the kept rows.
  const unlabeled = logitAdjustedCrossEntropy(inputs.pseudoLabels, strong, {
    adjustment: logRatio(pHat, target),
    mask,
    reduction: 'batchMean',
  });
  const loss = tf.add(labeled, tf.mul(unlabeled, lambdaU)) as tf.Scalar;
  const maskRate = tf.div(
    tf.sum(withoutGradient((m) => tf.cast(tf.greater(m!, 0), 'float32'), [mask])),
    Math.max(unlabeledRows, 1),
  ) as tf.Scalar;
  return { loss, labeled, unlabeled, maskRate };
}

function udalLoss_(inputs: UdalLossInputs, options?: UdalLossOptions): tf.Scalar {
  return udalLossTerms_(inputs, options).loss;
}

/**
 * UDAL's loss (paper 004, Algorithm 1 and eq. 6, 9; docs/methods/004-udal.md), both branches:
 *
 * `L = mean_i CE(y_i, f(x_i) + log((p_data + ε)/(p̃ + ε)))
 *    + λ_u·(1/μB)·Σ_j 1[max q_j ≥ τ]·CE(argmax q_j, f(A(x_j)) + log((p̂ + ε)/(p̃ + ε)))`
 *
 * with ε = 1e-9, `q = softmax(f(α(x)))` of the **unadjusted** weak view (pass its
 * `fixMatchPseudoLabels` result as `pseudoLabels` and `mask`), `p̃` the progressive target, `p̂`
 * the EMA prior of the weak-view predictions. The adjustments are constants (no gradient into
 * the distributions); the thresholding lives in `fixMatchPseudoLabels`, not here, so the rule
 * has one implementation. `udalLossTerms` returns the two branches and the mask rate as well.
 *
 * @example
 * ```ts
 * const { labels: pseudoLabels, mask } = fixMatchPseudoLabels(weakLogits, { threshold: 0.95 });
 * const loss = udalLoss({ labels, labeledLogits, strongLogits, pseudoLabels, mask,
 *   pData, target: progressiveTarget(pData, schedule), pHat: prior.value });
 * ```
 * @returns a new scalar owned by the caller.
 * @throws `SHAPE_MISMATCH` for logits that are not `[*, C]`, a mask that is not `[μB]`, or a
 *   distribution that is not `[C]`; `NOT_A_DISTRIBUTION` for host distributions that are not
 *   ones; `INVALID_OPTION` for `lambdaU < 0` or an unknown option.
 */
export const udalLoss = /* @__PURE__ */ tf.op({ udalLoss_ });

/**
 * {@link udalLoss} with its parts: `{ loss, labeled, unlabeled, maskRate }`, four new scalars
 * owned by the caller (`tf.dispose(terms)` frees them). Use it when the recipe logs the branches
 * or the mask rate; `loss` is the same value `udalLoss` returns.
 */
export const udalLossTerms = /* @__PURE__ */ tf.op({ udalLossTerms_ });
