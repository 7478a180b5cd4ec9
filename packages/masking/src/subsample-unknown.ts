import {
  assertNumber,
  assertRank,
  assertValuesIn,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { type RandomSource, resolveSeed } from './internal/seed';

/** Options of {@link subsampleUnknown}: `q` and one of `rng` (training) or `seed` (fixed). */
export type SubsampleUnknownOptions = { q?: number } & RandomSource;

function subsampleUnknown_(state: TensorInput, options: SubsampleUnknownOptions): tf.Tensor2D {
  const fn = 'subsampleUnknown';
  const o = withDefaults<{ q: number } & Partial<RandomSource>>(options, { q: 0.5 }, fn, [
    'rng',
    'seed',
  ]);
  // q = 0 would drop the unknown part altogether, which eq. 12 does not allow: q ∈ (0, 1]
  // (docs/methods/001-partial-annotations.md, "Dynamic training scheme").
  assertNumber(o.q, { min: 0, max: 1, minExclusive: true }, fn, 'q');
  const z = toTensor(state, fn, 'state', 'float32');
  assertRank(z, 2, fn, 'state');
  const host = valuesToCheck(state);
  if (host !== undefined) assertValuesIn(host, [1, 0, -1], fn, 'state');
  const seed = resolveSeed(o, fn);
  const [rows, cols] = z.shape as [number, number];
  if (rows === 0 || cols === 0) return tf.zeros([rows, cols]);

  const unknown = tf.equal(z, -1);
  // One draw for both needs: C sort keys per row, plus one uniform per row for the rounding.
  const draws = tf.randomUniform([rows, cols + 1], 0, 1, 'float32', seed);
  const keys = tf.slice(draws, [0, 0], [rows, cols]);
  const roundDraw = tf.slice(draws, [0, cols], [rows, 1]);
  // Known entries sort after every unknown one (keys are in [0, 1)), so the unknown entries
  // of a row hold ranks 0 … count − 1 in a random order.
  const order = tf.topk(tf.where(unknown, keys, tf.fill(keys.shape, -1)), cols).indices;
  // Sorting the permutation gives its inverse: rank[i, j] = position of column j in `order`.
  const rank = tf.cast(tf.topk(tf.neg(tf.cast(order, 'float32')), cols).indices, 'float32');
  const count = tf.sum(tf.cast(unknown, 'float32'), 1, true);
  // "The q-fraction of its unknown entries" (docs/methods/001-partial-annotations.md, "Dynamic
  // training scheme"): q·count is rounded
  // stochastically, floor(q·count) + Bernoulli(frac(q·count)), so each row gets ⌊q·n⌋ or
  // ⌈q·n⌉ entries and exactly q·n on average (plain rounding would bias small rows, e.g.
  // q = 0.5 of 1 unknown entry would always select it).
  const scaled = tf.mul(count, o.q);
  const whole = tf.floor(scaled);
  const take = tf.add(whole, tf.cast(tf.less(roundDraw, tf.sub(scaled, whole)), 'float32'));
  return tf.cast(tf.logicalAnd(unknown, tf.less(rank, take)), 'float32') as tf.Tensor2D;
}

/**
 * Random subsampling of unknown labels (paper 001, eq. 12, "randomly select q% of the labels
 * in the non-existing part"; docs/methods/001-partial-annotations.md): for a multi-label state `[B, C]` in {1, 0, −1}
 * (positive, negative, unknown), a `[B, C]` 0/1 mask that selects, in every row, a random
 * q-fraction of that row's **unknown** (−1) entries. Known entries are never selected (the
 * loss uses them through its own "known" set E). `q` in (0, 1], default 0.5.
 *
 * Rounding: a row with n unknown entries gets `⌊q·n⌋ + Bernoulli(q·n − ⌊q·n⌋)` of them —
 * exactly `q·n` when that is an integer, and `q·n` on average otherwise. Draw a fresh
 * selection every step with `{ rng }`. Host arrays are checked for {1, 0, −1} values
 * (`INVALID_VALUE`); tensors at the validation level 'values' (core).
 *
 * @example
 * ```ts
 * const selected = subsampleUnknown(batch.multiLabels, { q: 0.5, rng }); // the set Q of eq. 11
 * ```
 * @returns a new float32 `[B, C]` tensor of 0/1, owned by the caller.
 */
export const subsampleUnknown = /* @__PURE__ */ tf.op({ subsampleUnknown_ });
