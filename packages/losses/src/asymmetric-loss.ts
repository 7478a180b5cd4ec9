import { assertNumber, type ReduceOptions, type TensorInput } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { elementLabels, logitsMatrix } from './internal/inputs';
import { softplus } from './internal/math';
import { reduceElements, resolveElementOptions } from './internal/options';
import type { ElementLoss } from './types';

/** Options of {@link asymmetricLoss}. */
export interface AsymmetricLossOptions extends ReduceOptions {
  /** Focusing γ− of the negative term. Default 4. */
  gammaNeg?: number;
  /** Focusing γ+ of the positive term. Default 1. */
  gammaPos?: number;
  /** Probability margin m of the negatives, `p_m = max(p − m, 0)`, in [0, 1). Default 0.05. */
  clip?: number;
}

const TINY = 1e-30;

function asymmetricLoss_(
  labels: TensorInput,
  logits: TensorInput,
  options?: AsymmetricLossOptions,
): tf.Tensor {
  const fn = 'asymmetricLoss';
  const o = resolveElementOptions(options, { gammaNeg: 4, gammaPos: 1, clip: 0.05 }, fn);
  assertNumber(o.gammaNeg, { min: 0 }, fn, 'gammaNeg');
  assertNumber(o.gammaPos, { min: 0 }, fn, 'gammaPos');
  assertNumber(o.clip, { min: 0, max: 1, maxExclusive: true }, fn, 'clip');
  const x = logitsMatrix(logits, fn);
  const y = elementLabels(labels, x, fn);
  // Positive term in log-sigmoid form: −log p = softplus(x) − x, (1 − p)^γ+ = exp(−γ+·softplus(x)).
  const sp = softplus(x);
  const pos = tf.mul(tf.exp(tf.mul(sp, -o.gammaPos)), tf.sub(sp, x));
  // Negative term: 1 − p_m = min(σ(−x) + m, 1) ≥ m, so its log is finite for m > 0; with m = 0,
  // −log(1 − p) = softplus(x). p_m^γ− = exp(γ−·log p_m) with p_m floored at 1e-30: where the
  // floor acts, −log(1 − p_m) is 0 (or underflows), so the term and its gradient are 0, and no
  // comparison op (which has no gradient in tfjs) sits on the path from the logits.
  const negLog =
    o.clip > 0 ? tf.neg(tf.log(tf.minimum(tf.add(tf.sigmoid(tf.neg(x)), o.clip), 1))) : sp;
  const pm = tf.maximum(tf.sub(tf.sigmoid(x), o.clip), TINY);
  const factor = tf.exp(tf.mul(tf.log(pm), o.gammaNeg));
  const neg = tf.mul(factor, negLog);
  const perElement = tf.add(tf.mul(y, pos), tf.mul(tf.sub(1, y), neg));
  return reduceElements(perElement, o, fn);
}

/**
 * Asymmetric loss (ASL, Ridnik et al. 2021, eq. 7), per element
 * `ℓ = −y·(1 − p)^γ+·log p − (1 − y)·p_m^γ−·log(1 − p_m)`, `p = σ(x)`, `p_m = max(p − m, 0)`.
 * The ASL peer of paper 001 (defaults `gammaNeg: 4, gammaPos: 1, clip: 0.05`, docs/methods/001-partial-annotations.md, "Peers").
 *
 * Computed in log-sigmoid form, so it stays exact for logits of ±1e4 (the reference clamps
 * probabilities at 1e-8 inside the log, which caps a single term at ≈ 18.4). The reference
 * **sums** over the batch and classes: pass `reduction: 'sum'` to match its scale; the default
 * here is `'mean'` as for every tailwise loss. `mask` and `weights` as in `binaryCrossEntropy`.
 *
 * @example
 * ```ts
 * const loss = asymmetricLoss(multiLabels, logits, { reduction: 'sum' });
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B, C]` with `reduction: 'none'`.
 */
export const asymmetricLoss = /* @__PURE__ */ tf.op({
  asymmetricLoss_,
}) as ElementLoss<AsymmetricLossOptions>;
