import {
  assertRank,
  assertShape,
  assertValuesIn,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertRatioValues } from './internal/ratio-values';
import { type RandomSource, resolveSeed } from './internal/seed';

/**
 * Randomness of {@link plmMask}: `{ rng }` (a seeded `Rng` from `@tailwise/core`; each call
 * draws a fresh seed, so the mask changes every step and the run repeats per seed) or
 * `{ seed }` (a fixed tfjs seed: the same mask on every call, for tests and replays).
 */
export type PlmMaskOptions = RandomSource;

function plmMask_(
  labels: TensorInput,
  ratio: TensorInput,
  idealRatio: TensorInput,
  options: PlmMaskOptions,
): tf.Tensor2D {
  const fn = 'plmMask';
  const o = withDefaults<Partial<RandomSource>>(options, {}, fn, ['rng', 'seed']);
  const y = toTensor(labels, fn, 'labels', 'float32');
  assertRank(y, 2, fn, 'labels');
  const numClasses = y.shape[1]!;
  const r = toTensor(ratio, fn, 'ratio', 'float32');
  assertShape(r, [numClasses], fn, 'ratio');
  const rBar = toTensor(idealRatio, fn, 'idealRatio', 'float32');
  assertShape(rBar, [numClasses], fn, 'idealRatio');
  const hostLabels = valuesToCheck(labels);
  if (hostLabels !== undefined) assertValuesIn(hostLabels, [0, 1], fn, 'labels');
  const hostRatio = valuesToCheck(ratio);
  if (hostRatio !== undefined) assertRatioValues(hostRatio, fn, 'ratio');
  const hostIdeal = valuesToCheck(idealRatio);
  if (hostIdeal !== undefined) assertRatioValues(hostIdeal, fn, 'idealRatio');
  const seed = resolveSeed(o, fn);

  const ones = tf.onesLike(r);
  // Eq. 3: too many positives (r > r̄) -> keep a positive with probability r̄/r;
  // too few (r < r̄) -> keep a negative with probability r/r̄; everything else is kept.
  const keepPositive = tf.where(tf.greater(r, rBar), tf.div(rBar, r), ones);
  const keepNegative = tf.where(tf.less(r, rBar), tf.div(r, rBar), ones);
  const isPositive = tf.cast(tf.equal(y, 1), 'float32');
  const isNegative = tf.cast(tf.equal(y, 0), 'float32');
  // The two indicators are exclusive, so this is keepPositive on positives, keepNegative on
  // negatives and 1 elsewhere, broadcast from [C] to [B, C].
  const keep = tf.sub(
    tf.sub(1, tf.mul(isPositive, tf.sub(1, keepPositive))),
    tf.mul(isNegative, tf.sub(1, keepNegative)),
  );
  const u = tf.randomUniform(y.shape, 0, 1, 'float32', seed);
  // keep ≥ 1 is tested on its own: a float32 uniform can round up to 1.0, and an entry that
  // eq. 3 always keeps must never be dropped.
  return tf.cast(
    tf.logicalOr(tf.greaterEqual(keep, 1), tf.less(u, keep)),
    'float32',
  ) as tf.Tensor2D;
}

/**
 * Partial label masking (PLM, paper 002, eq. 3; docs/methods/002-plm.md): a random `[B, C]` 0/1 mask
 * that brings each class's ratio of positives to negatives from `r_c` to the ideal `r̄_c`:
 *
 * ```
 * g_ic ~ Bernoulli(r̄_c / r_c)   if r_c > r̄_c and y_ic = 1
 * g_ic ~ Bernoulli(r_c / r̄_c)   if r_c < r̄_c and y_ic = 0
 * g_ic = 1                      otherwise
 * ```
 *
 * Multiply it into the **per-element** loss before any reduction (the `mask` option of every
 * tailwise loss, or `reduceElementwise`). Draw a fresh mask every step with `{ rng }`.
 *
 * - `labels`: `[B, C]` multi-label targets in {0, 1}.
 * - `ratio`: `[C]` dataset ratios `r_c = n⁺/n⁻` (`positiveNegativeRatio` in `@tailwise/priors`).
 * - `idealRatio`: `[C]` ideal ratios `r̄_c` (`RatioAdapter.value`, or fixed).
 *
 * Shapes and options are always checked. Values (labels 0/1: `INVALID_VALUE`; ratios ≤ 0:
 * `INVALID_VALUE`; NaN/Inf ratios: `NON_FINITE`) are checked for host arrays always and for
 * tensors at the validation level 'values' (core's `setValidation`, the default).
 *
 * @example
 * ```ts
 * const rng = createRng(7);
 * const ratio = positiveNegativeRatio(trainLabels);
 * // each step:
 * const loss = tf.tidy(() =>
 *   binaryCrossEntropy(batch.multiLabels, logits, { mask: plmMask(batch.multiLabels, ratio, adapter.value, { rng }) }),
 * );
 * ```
 * @returns a new float32 `[B, C]` tensor of 0/1, owned by the caller.
 */
export const plmMask = /* @__PURE__ */ tf.op({ plmMask_ });
