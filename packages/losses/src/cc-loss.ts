import type { ReduceOptions, TensorInput } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { elementLabels, logitsMatrix } from './internal/inputs';
import { reduceElements, resolveElementOptions } from './internal/options';
import type { SampleLoss } from './types';

/** Options of {@link ccLoss}: the reduction, a `[B]` mask and `[B]` per-sample weights. */
export type CcLossOptions = ReduceOptions;

function ccLoss_(candidates: TensorInput, logits: TensorInput, options?: CcLossOptions): tf.Tensor {
  const fn = 'ccLoss';
  const o = resolveElementOptions(options, {}, fn);
  const x = logitsMatrix(logits, fn);
  const s = elementLabels(candidates, x, fn, 'candidates', 'candidates');
  // docs/methods/000-plr.md: CC as masked log-sum-exp minus log-sum-exp; −Inf outside the candidate
  // set contributes exp(−Inf) = 0 and, through `where`, zero gradient.
  const masked = tf.where(tf.greater(s, 0), x, tf.fill(x.shape, Number.NEGATIVE_INFINITY));
  const perSample = tf.sub(tf.logSumExp(x, 1), tf.logSumExp(masked, 1));
  // `weights` are per sample [B] here: reduceElementwise checks they broadcast to [B].
  return reduceElements(perSample, o, fn);
}

/**
 * Classifier-consistent (CC) partial-label loss, per sample `ℓ_i = −log Σ_j S_ij·softmax(x_i)_j`
 * (Feng et al. 2020; a peer in PLR paper 000), computed as
 * `logsumexp_j(x_ij) − logsumexp_{j: S_ij = 1}(x_ij)` (docs/methods/000-plr.md), finite for logits of
 * ±1e4.
 *
 * `candidates` `[B, C]`, 1 = candidate label (any positive value counts as 1). A row with no
 * candidate gives a non-finite loss: check data with {@link validateCandidates}. `mask` and
 * `weights` are per sample `[B]`.
 *
 * @example
 * ```ts
 * const loss = ccLoss(batch.candidates, logits);
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const ccLoss = /* @__PURE__ */ tf.op({ ccLoss_ }) as SampleLoss<CcLossOptions>;
