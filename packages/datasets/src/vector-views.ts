import type { Rng, TensorInput } from '@tailwise/core';
import {
  assertNumber,
  assertRank,
  assertRng,
  fail,
  formatShape,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Source of randomness (`createRng(seed)`); advanced on every call. Required. */
  rng: Rng;
  /** Standard deviation σ of the noise, in the features' units (standardised: 1 = one σ). Default 0.1. */
  std?: number;
}

function gaussianNoise_(x: TensorInput, options: GaussianNoiseOptions): tf.Tensor2D {
  const fn = 'gaussianNoise';
  const o = withDefaults<Required<GaussianNoiseOptions>>(
    options,
    { rng: undefined as unknown as Rng, std: 0.1 },
    fn,
  );
  assertRng(o.rng, fn);
  assertNumber(o.std, { min: 0 }, fn, 'std');
  const rows = toTensor(x, fn, 'x', 'float32') as tf.Tensor2D;
  assertRank(rows, 2, fn, 'x');
  const noise = new Float32Array(rows.size);
  for (let i = 0; i < noise.length; i++) noise[i] = o.rng.normal(0, o.std);
  return tf.add(rows, tf.tensor2d(noise, rows.shape));
}

/**
 * Weak view of feature vectors: `x + ε`, `ε_ij ~ N(0, σ²)` i.i.d., with σ in the features'
 * units (on standardised features the default σ = 0.1 is a tenth of each feature's spread).
 * The tabular counterpart of flip + translate: a small perturbation that keeps the class
 * (docs/methods/views.md). Never clips.
 *
 * The noise is drawn on the host from `rng`, so a seed repeats a run on any backend and two
 * calls differ.
 *
 * @example
 * ```ts
 * const xWeak = gaussianNoise(batch.x, { rng }); // [B, D]
 * ```
 * @param x Feature vectors `[B, D]` float32.
 * @returns A new `[B, D]` tensor owned by the caller.
 * @throws `SHAPE_MISMATCH` unless `x` has rank 2; `INVALID_OPTION` for a bad option.
 */
export const gaussianNoise = /* @__PURE__ */ tf.op({ gaussianNoise_ });

/** Options of {@link scarfCorruption}. */
export interface ScarfCorruptionOptions {
  /** Source of randomness (`createRng(seed)`); advanced on every call. Required. */
  rng: Rng;
  /** Corruption rate c: the fraction of each row's features replaced, in [0, 1]. Default 0.6. */
  rate?: number;
  /**
   * Rows `[N, D]` whose values the replaced features take (the empirical marginals), e.g. the
   * training set's features. Default: the batch `x` itself.
   */
  pool?: TensorInput;
}

function scarfCorruption_(x: TensorInput, options: ScarfCorruptionOptions): tf.Tensor2D {
  const fn = 'scarfCorruption';
  const o = withDefaults<{ rng: Rng; rate: number; pool: TensorInput | undefined }>(
    options,
    { rng: undefined as unknown as Rng, rate: 0.6, pool: undefined },
    fn,
  );
  assertRng(o.rng, fn);
  assertNumber(o.rate, { min: 0, max: 1 }, fn, 'rate');
  const rows = toTensor(x, fn, 'x', 'float32') as tf.Tensor2D;
  assertRank(rows, 2, fn, 'x');
  const [b, d] = rows.shape;
  let table: tf.Tensor1D = tf.reshape(rows, [b * d]);
  let poolRows = b;
  let offset = 0;
  if (o.pool !== undefined) {
    const pool = toTensor(o.pool, fn, 'pool', 'float32') as tf.Tensor2D;
    assertRank(pool, 2, fn, 'pool');
    if (pool.shape[1] !== d || pool.shape[0] < 1)
      fail(
        'SHAPE_MISMATCH',
        fn,
        'pool',
        `rows [N >= 1, ${d}] with the batch's ${d} features`,
        formatShape(pool.shape),
      );
    table = tf.concat([table, tf.reshape(pool, [pool.size])]);
    poolRows = pool.shape[0];
    offset = b * d;
  }
  const k = Math.round(o.rate * d);
  const index = new Int32Array(b * d);
  const order = new Int32Array(d);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < d; j++) {
      index[i * d + j] = i * d + j;
      order[j] = j;
    }
    // The first k entries of a partial Fisher–Yates shuffle: a uniform k-subset of features.
    for (let t = 0; t < k; t++) {
      const s = t + o.rng.int(d - t);
      const j = order[s]!;
      order[s] = order[t]!;
      order[t] = j;
      // Each replaced feature takes the same feature of its own random row: a draw from that
      // feature's empirical marginal (SCARF, docs/methods/views.md).
      index[i * d + j] = offset + o.rng.int(poolRows) * d + j;
    }
  }
  return tf.reshape(tf.gather(table, tf.tensor1d(index, 'int32')), [b, d]);
}

/**
 * Strong view of feature vectors: SCARF's random feature corruption (Bahri, Jiang, Tay and
 * Metzler, "SCARF: Self-Supervised Contrastive Learning using Random Feature Corruption",
 * ICLR 2022, Sec. 2). For each row, a uniformly random subset of `round(c·D)` features
 * (c = `rate`, default 0.6 as in the paper) is replaced, each by the value of the same feature
 * in a uniformly random row of `pool` (default: the batch), i.e. a draw from the feature's
 * empirical marginal distribution:
 *
 * `x̃_ij = pool[r_ij, j]` for j in the row's subset (r_ij ~ U{0..N−1}), `x̃_ij = x_ij` otherwise.
 *
 * Values are copied, never invented or clipped, so standardised features stay on their scale.
 * The choices are drawn on the host from `rng`: a seed repeats a run on any backend.
 *
 * @example
 * ```ts
 * const xStrong = scarfCorruption(batch.x, { rng });            // marginals of the batch
 * const xStrong2 = scarfCorruption(batch.x, { rng, pool: trainX }); // of the training set
 * ```
 * @param x Feature vectors `[B, D]` float32.
 * @returns A new `[B, D]` tensor owned by the caller.
 * @throws `SHAPE_MISMATCH` unless `x` (and `pool`) have rank 2 and the same D;
 *   `INVALID_OPTION` for a bad option.
 */
export const scarfCorruption = /* @__PURE__ */ tf.op({ scarfCorruption_ });
