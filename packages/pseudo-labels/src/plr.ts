import { assertNumber, type TensorInput, withDefaults, withoutGradient } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { toCandidatesAndLogits, toDistribution } from './internal/inputs';
import { maskedRowMax, maskedSoftmax } from './internal/masked';

/** Options of {@link plrPseudoLabels}. */
export interface PlrPseudoLabelsOptions {
  /** λ > 0, the sharpening exponent on the prediction. Default 3 (paper, 10 classes; use 1 for 100). */
  lambda?: number;
  /** M ≥ 0, the exponent of the prior penalty `r^−M`. Default 2 (paper, 10 classes; use 0.5 for 100). */
  m?: number;
}

/**
 * The one implementation of eq. 5 (PRODEN's eq. 1 is the case λ = 1, M = 0).
 *
 * `z = λ·logSoftmax(logits) − M·log r` (docs/methods/000-plr.md) is computed as
 * `λ·(logits − max_{j∈S} logits_j) − M·log r`: the two differ by a per-row constant, which the
 * row softmax cancels, and the shifted form keeps full float32 precision for logits of ±1e4,
 * where `logSoftmax` values near −2e4 have already lost their low digits.
 */
const PRIOR_EPS = 1e-9;

function plrTargets(
  candidates: tf.Tensor2D,
  logits: tf.Tensor2D,
  prior: tf.Tensor1D | null,
  lambda: number,
  m: number,
): tf.Tensor2D {
  const mask = tf.greater(candidates, 0) as tf.Tensor2D;
  const shifted = tf.sub(logits, maskedRowMax(logits, mask)) as tf.Tensor2D;
  let z = lambda === 1 ? shifted : (tf.mul(shifted, lambda) as tf.Tensor2D);
  // M = 0 skips the prior term entirely. Otherwise log(r + eps) with eps = 1e-9
  // (docs/methods/000-plr.md, notation: eps in logs): a class with r_j = 0 gets the large but
  // finite boost −M·log(1e-9) instead of +Inf, which made the masked softmax Inf − Inf = NaN.
  if (prior !== null && m !== 0)
    z = tf.sub(z, tf.mul(tf.log(tf.add(prior, PRIOR_EPS)), m)) as tf.Tensor2D;
  return maskedSoftmax(z, mask);
}

function prodenPseudoLabels_(candidates: TensorInput, logits: TensorInput): tf.Tensor2D {
  const fn = 'prodenPseudoLabels';
  const { candidates: s, logits: l } = toCandidatesAndLogits(candidates, logits, fn);
  return withoutGradient(
    (sc, lc) => plrTargets(sc as tf.Tensor2D, lc as tf.Tensor2D, null, 1, 0),
    [s, l],
  );
}

/**
 * PRODEN pseudo-labels: the model's prediction renormalized over each sample's candidate set.
 *
 * `w_ij = S_ij·f_ij / Σ_j S_ij·f_ij` with `f = softmax(logits)` — PLR paper (000) eq. 1,
 * after Lv et al. (2020). Computed in the log domain as a softmax of the logits restricted to the
 * candidates, so it is finite for any finite logits and exactly 0 outside the candidate set.
 * No gradient flows to `logits`.
 *
 * Rows of `candidates` must each contain a 1 (check once with {@link validateCandidates}); a row
 * without a candidate gives NaN.
 *
 * @param candidates `[B, C]` 0/1 candidate sets `S`.
 * @param logits `[B, C]` raw model scores.
 * @returns `[B, C]` float32 targets whose rows sum to 1; a new tensor owned by the caller.
 *
 * @example
 * ```ts
 * const targets = prodenPseudoLabels([[1, 1, 0]], [[0, Math.log(2), 5]]); // [[1/3, 2/3, 0]]
 * await store.set(batch.indices, targets); // PRODEN keeps them per sample
 * targets.dispose();
 * ```
 */
export const prodenPseudoLabels = /* @__PURE__ */ tf.op({ prodenPseudoLabels_ });

function plrPseudoLabels_(
  candidates: TensorInput,
  logits: TensorInput,
  prior: TensorInput,
  options?: PlrPseudoLabelsOptions,
): tf.Tensor2D {
  const fn = 'plrPseudoLabels';
  const { lambda, m } = withDefaults(options, { lambda: 3, m: 2 }, fn);
  assertNumber(lambda, { min: 0, minExclusive: true }, fn, 'lambda');
  assertNumber(m, { min: 0 }, fn, 'm');
  const { candidates: s, logits: l } = toCandidatesAndLogits(candidates, logits, fn);
  const r = toDistribution(prior, s.shape[1], fn, 'prior');
  return withoutGradient(
    (sc, lc, rc) => plrTargets(sc as tf.Tensor2D, lc as tf.Tensor2D, rc as tf.Tensor1D, lambda, m),
    [s, l, r],
  );
}

/**
 * PLR pseudo-labels: sharpened predictions over the candidate set, with head classes penalized
 * by the class prior.
 *
 * `w_ij = S_ij·f_ij^λ·r_j^−M / Σ_j S_ij·f_ij^λ·r_j^−M` — PLR paper (000) eq. 5, the closed-form
 * minimizer of eq. 2–4. Computed in the log domain (docs/methods/000-plr.md):
 * `z = λ·logSoftmax(logits) − M·log r`, `z = −Inf` where `S = 0`, `w = softmax(z)`; finite for
 * any finite logits (±1e4 included). λ = 1, M = 0 is PRODEN ({@link prodenPseudoLabels});
 * λ = 1, M = 1 is the RECORDS-style rebalancing. No gradient flows to `logits`.
 *
 * Only shapes and options are checked here; check values once with {@link validateCandidates}
 * (every row has a candidate) and {@link validatePrior} (positive entries summing to 1).
 *
 * @param candidates `[B, C]` 0/1 candidate sets `S`.
 * @param logits `[B, C]` raw model scores.
 * @param prior `[C]` class prior `r` (e.g. an `EmaPrior` of argmax counts, docs/methods/000-plr.md eq. 6).
 * @returns `[B, C]` float32 targets whose rows sum to 1 and are 0 outside the candidate set;
 *   a new tensor owned by the caller.
 *
 * @example
 * ```ts
 * const w = plrPseudoLabels(batch.candidates, logitsWeak, prior, { lambda: 3, m: 2 });
 * const loss = crossEntropy(w, logitsWeak);
 * ```
 */
export const plrPseudoLabels = /* @__PURE__ */ tf.op({ plrPseudoLabels_ });
