import {
  assertNumber,
  checkFinite,
  fail,
  formatShape,
  type ReduceOptions,
  stopGradient,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { classTargets, logitsMatrix, type WeightsPer } from './internal/inputs';
import { reduceSamples, resolveSampleOptions, type SampleResolved } from './internal/options';
import type { SampleLoss, SampleLossWithOptions } from './types';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends ReduceOptions {
  /**
   * Label smoothing ε in [0, 1): targets become `(1 − ε)·y + ε/C` (as `tf.losses.softmaxCrossEntropy`).
   * Default 0.
   */
  labelSmoothing?: number;
  /**
   * How a rank-1 `weights` is read. `'class'` (default): `[C]` class weights, sample i weighs
   * `Σ_c w_c·y_ic` (its class's weight for one-hot targets, computed before smoothing);
   * `'sample'`: `[B]` per-sample weights.
   */
  weightsPer?: WeightsPer;
}

/** Options of {@link logitAdjustedCrossEntropy}. */
export interface LogitAdjustedCrossEntropyOptions extends CrossEntropyOptions {
  /** Additive logit adjustment, `[C]` (one for all rows) or `[B, C]`. Treated as a constant. */
  adjustment: TensorInput;
}

type ResolvedCrossEntropy = SampleResolved & { labelSmoothing: number };

function resolveCrossEntropy(
  options: CrossEntropyOptions | undefined,
  functionName: string,
): ResolvedCrossEntropy {
  const o = resolveSampleOptions(options, { labelSmoothing: 0 }, functionName);
  assertNumber(
    o.labelSmoothing,
    { min: 0, max: 1, maxExclusive: true },
    functionName,
    'labelSmoothing',
  );
  return o;
}

/** The one implementation of softmax cross-entropy; `x` is already adjusted when it should be. */
function crossEntropyCore(
  labels: TensorInput,
  x: tf.Tensor2D,
  o: ResolvedCrossEntropy,
  functionName: string,
): tf.Tensor {
  const y = classTargets(labels, x, functionName);
  const classes = x.shape[1];
  const eps = o.labelSmoothing;
  const target = eps > 0 ? tf.add(tf.mul(y, 1 - eps), eps / classes) : y;
  // logSoftmax subtracts the row max before exp: finite for logits of ±1e4.
  const perSample = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(x)), 1));
  return reduceSamples(perSample, y, o, functionName);
}

function crossEntropy_(
  labels: TensorInput,
  logits: TensorInput,
  options?: CrossEntropyOptions,
): tf.Tensor {
  const o = resolveCrossEntropy(options, 'crossEntropy');
  return crossEntropyCore(labels, logitsMatrix(logits, 'crossEntropy'), o, 'crossEntropy');
}

/**
 * Softmax cross-entropy from logits, per sample `ℓ_i = −Σ_c y_ic · log softmax(x_i)_c`, then
 * masked, weighted and reduced by `reduceElementwise` (`mean` divides by the number of samples,
 * or by the number the mask keeps).
 *
 * `labels` are int32 class indices `[B]` or soft / one-hot targets `[B, C]` whose rows sum to 1
 * (PRODEN / PLR pseudo-labels, PLR paper 000 eq. 1 and 5, where the loss is `Σ_j −w_ij log f_ij`).
 * `mask` is per sample `[B]`. `weights` is `[C]` per class (sample i weighs `Σ_c w_c·y_ic`) or,
 * with `weightsPer: 'sample'`, `[B]` per sample.
 *
 * Class-balanced loss (Cui et al. 2019, PLM paper 002 eq. 8) is not a separate function: put the
 * class weights into `weights`.
 *
 * @example
 * ```ts
 * const loss = crossEntropy(labels, logits);                          // int32 [B] labels
 * const soft = crossEntropy(pseudoLabels, logits, { reduction: 'none' }); // [B] per sample
 * // class-balanced: weights from @tailwise/priors
 * const cb = crossEntropy(labels, logits, { weights: effectiveNumberWeights(trainCounts) });
 * ```
 * Value checks (indices in range, rows summing to 1) are not done here: see
 * {@link validateClassIndices} and {@link validateTargets}.
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const crossEntropy = /* @__PURE__ */ tf.op({
  crossEntropy_,
}) as SampleLoss<CrossEntropyOptions>;

function logitAdjustedCrossEntropy_(
  labels: TensorInput,
  logits: TensorInput,
  options: LogitAdjustedCrossEntropyOptions,
): tf.Tensor {
  const fn = 'logitAdjustedCrossEntropy';
  if (
    options === undefined ||
    options === null ||
    typeof options !== 'object' ||
    options.adjustment === undefined
  ) {
    fail('INVALID_OPTION', fn, 'adjustment', 'a tensor of shape [C] or [B, C]', 'undefined');
  }
  const { adjustment, ...rest } = options;
  const o = resolveCrossEntropy(rest, fn);
  const x = logitsMatrix(logits, fn);
  const a = toTensor(adjustment, fn, 'adjustment', 'float32');
  checkFinite(adjustment, fn, 'adjustment');
  const [batch, classes] = x.shape;
  const ok =
    (a.rank === 1 && a.shape[0] === classes) ||
    (a.rank === 2 && a.shape[0] === batch && a.shape[1] === classes);
  if (!ok)
    fail(
      'SHAPE_MISMATCH',
      fn,
      'adjustment',
      `of shape [${classes}] or [${batch}, ${classes}]`,
      `shape ${formatShape(a.shape)}`,
    );
  // docs/methods/README.md: adjustments are targets, computed without gradient.
  return crossEntropyCore(labels, tf.add(x, stopGradient(a)) as tf.Tensor2D, o, fn);
}

/**
 * Cross-entropy of adjusted logits, `ℓ_i = −Σ_c y_ic · log softmax(x_i + a)_c`, with `a` a
 * constant (no gradient flows into it).
 *
 * UDAL (paper 004, Algorithm 1) uses it on both branches: labeled
 * `a = log((p_data + 1e-9)/(p̃ + 1e-9))`, unlabeled `a = log((p̂ + 1e-9)/(p̃ + 1e-9))`
 * (docs/methods/004-udal.md); logit-adjusted training (LA, Menon et al. 2021) uses `a = τ·log p_data`.
 * Takes every option of {@link crossEntropy}.
 *
 * @example
 * ```ts
 * const adjustment = tf.log(tf.div(tf.add(pData, 1e-9), tf.add(pTarget, 1e-9)));
 * const lossL = logitAdjustedCrossEntropy(labels, logits, { adjustment });
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const logitAdjustedCrossEntropy = /* @__PURE__ */ tf.op({
  logitAdjustedCrossEntropy_,
}) as SampleLossWithOptions<LogitAdjustedCrossEntropyOptions>;
