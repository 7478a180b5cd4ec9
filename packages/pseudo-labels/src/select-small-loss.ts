import {
  assertNumber,
  assertOneOf,
  assertSameShape,
  checkDistributionRows,
  checkFinite,
  type TensorInput,
  toTensor,
  withDefaults,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { requireOption, toDistribution, toMatrix } from './internal/inputs';

/** Options of {@link selectSmallLoss}. */
export interface SelectSmallLossOptions {
  /** ρ in [0, 1], the selected fraction (PLR ramps it from 0.2 to 0.5/0.6). Required. */
  rho: number;
  /**
   * Per-class quota: `'batch'` (PLR) keeps `min(|B_k|, ceil(ρ·|B|))`; `'prior'` (Solar) keeps
   * `max(min(ceil(|B|·r_k·ρ), |B_k|), 1)` and needs `prior`. Default `'batch'`.
   */
  quota?: 'batch' | 'prior';
  /** `[C]` class prior `r`, required for `quota: 'prior'`. */
  prior?: TensorInput;
  /**
   * Samples whose target confidence `max_j w_ij` is above this are always kept. Default 0.99
   * with `quota: 'prior'` (Solar), off with `'batch'` (PLR) unless given.
   */
  confidenceOverride?: number;
}

// Quotas are ceil() of products that can land a hair above an integer (in doubles
// 0.3·10 = 3.0000000000000004, whose ceil is 4; likewise in float32 on the device); the
// tolerance keeps such a product on its integer.
const CEIL_TOLERANCE = 1e-4;

function smallLossMask(
  w: tf.Tensor2D,
  logits: tf.Tensor2D,
  prior: tf.Tensor1D | undefined,
  rho: number,
  confidenceOverride: number | undefined,
): tf.Tensor1D {
  const [b, c] = w.shape;
  const label = tf.argMax(w, 1);
  const loss = tf.neg(tf.sum(tf.mul(w, tf.logSoftmax(logits)), 1));
  // rank_i = #{j in i's class : loss_j < loss_i, or loss_j = loss_i and j < i}: each class's
  // samples ordered by loss (ties by position) with one O(B²) comparison, no sort, no readback.
  const sameClass = tf.equal(tf.reshape(label, [b, 1]), tf.reshape(label, [1, b]));
  const lossRow = tf.reshape(loss, [b, 1]);
  const lossCol = tf.reshape(loss, [1, b]);
  const position = tf.range(0, b, 1, 'int32');
  const earlier = tf.less(tf.reshape(position, [1, b]), tf.reshape(position, [b, 1]));
  const before = tf.logicalOr(
    tf.less(lossCol, lossRow),
    tf.logicalAnd(tf.equal(lossCol, lossRow), earlier),
  );
  const rank = tf.sum(tf.cast(tf.logicalAnd(sameClass, before), 'float32'), 1);

  let quota: tf.Tensor;
  if (prior === undefined) {
    // PLR: min(|B_k|, ceil(ρ·|B|)); rank < |B_k| always, so only the second bound matters.
    quota = tf.scalar(Math.max(0, Math.ceil(rho * b - CEIL_TOLERANCE)));
  } else {
    const classIds = tf.range(0, c, 1, 'int32');
    const members = tf.sum(
      tf.cast(tf.equal(tf.reshape(label, [b, 1]), tf.reshape(classIds, [1, c])), 'float32'),
      0,
    );
    const wanted = tf.ceil(tf.sub(tf.mul(prior, b * rho), CEIL_TOLERANCE));
    const perClass = tf.maximum(tf.minimum(wanted, members), 1);
    quota = tf.gather(perClass, label);
  }
  let keep = tf.less(rank, quota);
  if (confidenceOverride !== undefined) {
    keep = tf.logicalOr(keep, tf.greater(tf.max(w, 1), confidenceOverride));
  }
  return tf.cast(keep, 'float32') as tf.Tensor1D;
}

function selectSmallLoss_(
  targets: TensorInput,
  logits: TensorInput,
  options: SelectSmallLossOptions,
): tf.Tensor1D {
  const fn = 'selectSmallLoss';
  const o = withDefaults<Partial<SelectSmallLossOptions> & { quota: 'batch' | 'prior' }>(
    options,
    { quota: 'batch' },
    fn,
    ['rho', 'prior', 'confidenceOverride'],
  );
  const rho = requireOption(o.rho, fn, 'rho', 'a number in [0, 1]');
  assertNumber(rho, { min: 0, max: 1 }, fn, 'rho');
  assertOneOf(o.quota, ['batch', 'prior'] as const, fn, 'quota');
  const confidenceOverride = o.confidenceOverride ?? (o.quota === 'prior' ? 0.99 : undefined);
  if (confidenceOverride !== undefined)
    assertNumber(confidenceOverride, { min: 0, max: 1 }, fn, 'confidenceOverride');

  const w = toMatrix(targets, fn, 'targets');
  const l = toTensor(logits, fn, 'logits', 'float32') as tf.Tensor2D;
  assertSameShape(w, l, fn, 'targets', 'logits');
  // At 'values' (core): NaN logits make every loss comparison false, which selected everything.
  checkDistributionRows(targets, w.shape[1], fn, 'targets', { tolerance: 1e-3 });
  checkFinite(logits, fn, 'logits');
  const inputs: tf.Tensor[] = [w, l];
  if (o.quota === 'prior') {
    const prior = requireOption(o.prior, fn, 'prior', "a [C] class prior when `quota` is 'prior'");
    inputs.push(toDistribution(prior, w.shape[1], fn, 'prior'));
  }
  return withoutGradient(
    (wt, lt, rt) =>
      smallLossMask(
        wt as tf.Tensor2D,
        lt as tf.Tensor2D,
        rt as tf.Tensor1D | undefined,
        rho,
        confidenceOverride,
      ),
    inputs,
  );
}

/**
 * Small-loss sample selection per pseudo-class: a `[B]` 0/1 mask of the samples whose targets
 * are trusted for the consistency and mixup losses.
 *
 * Per class k, `B_k = {i : argmax_j w_ij = k}`; keep the `min(|B_k|, ceil(ρ·|B|))` samples of
 * `B_k` with the smallest cross-entropy `−Σ_j w_ij·log f_ij` — PLR paper (000) §2.4 "Sample
 * selection"; docs/methods/000-plr.md. With `quota: 'prior'`, Solar's quota
 * `max(min(ceil(|B|·r_k·ρ), |B_k|), 1)` instead, plus every sample whose confidence
 * `max_j w_ij` exceeds `confidenceOverride` (0.99). Ties in the loss go to the earlier sample.
 *
 * A tensor op (no readback): the per-class ranks come from one `[B, B]` comparison, O(B²) memory
 * (256² = 65k entries). No gradient flows to `logits`.
 *
 * @param targets `[B, C]` pseudo-labels `w` (rows summing to 1).
 * @param logits `[B, C]` raw scores of the same (weak) view.
 * @returns `[B]` float32 mask (1 = selected); a new tensor owned by the caller.
 *
 * @example
 * ```ts
 * const w = plrPseudoLabels(candidates, logits, prior);
 * const selected = selectSmallLoss(w, logits, { rho: 0.2 }); // PLR
 * const loss = crossEntropy(w, logitsStrong, { mask: tf.reshape(selected, [-1, 1]) });
 * ```
 */
export const selectSmallLoss = /* @__PURE__ */ tf.op({ selectSmallLoss_ });
