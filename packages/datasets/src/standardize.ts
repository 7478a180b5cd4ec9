import { type Dataset, describeValue, fail, formatShape, withDefaults } from '@tailwise/core';
import { assertDataset, rowLength } from './internal/loaders-dataset';

/** Options of {@link standardize}. */
export interface StandardizeOptions<T extends readonly (Dataset | undefined)[]> {
  /**
   * Datasets scaled with the **training** statistics (test, validation, unlabeled); an
   * `undefined` entry stays `undefined`, so optional parts can be passed as they are.
   */
  apply?: T;
}

/** Result of {@link standardize}. */
export interface StandardizeResult<T extends readonly (Dataset | undefined)[]> {
  /** The training set, standardised (float32 features). */
  readonly train: Dataset;
  /** The `apply` datasets in order, standardised with the training statistics. */
  readonly apply: { readonly [K in keyof T]: T[K] extends Dataset ? Dataset : undefined };
  /** Per-feature training mean μ_j. */
  readonly mean: Float32Array;
  /** Per-feature scale s_j: the training standard deviation, or 1 for a constant feature. */
  readonly scale: Float32Array;
}

/**
 * Standardises features to zero mean and unit variance: `x'_ij = (x_ij − μ_j) / s_j`, with μ_j
 * and the population standard deviation σ_j computed on `train` only (never on the test or
 * unlabeled data, which `apply` scales with the same μ and s). A constant training feature
 * (σ_j ≤ 1e-8·max(1, |μ_j|)) gets `s_j = 1`, so it becomes 0 instead of a division by zero.
 *
 * Works on any dataset (vectors or images; uint8 pixels are standardised as their 0..255
 * values); label fields are shared with the input, features are new Float32Arrays. The
 * statistics are accumulated in float64.
 *
 * @example
 * ```ts
 * const split = trainTestSplit(wine, { testFraction: 0.3, rng });
 * const { train, apply: [test] } = standardize(split.train, { apply: [split.test] });
 * ```
 * @returns new datasets of plain typed arrays (no tensors).
 * @throws `SHAPE_MISMATCH` when an `apply` dataset has another `inputShape`; `NON_FINITE` for
 *   a NaN/±Inf feature value; `INVALID_VALUE` for an empty training set.
 */
export function standardize<const T extends readonly (Dataset | undefined)[] = []>(
  train: Dataset,
  options: StandardizeOptions<T> = {},
): StandardizeResult<T> {
  const fn = 'standardize';
  assertDataset(train, fn, 'train');
  const opts = withDefaults<{ apply: T }>(options, { apply: [] as unknown as T }, fn);
  if (!Array.isArray(opts.apply))
    fail('INVALID_OPTION', fn, 'apply', 'an array of datasets', describeValue(opts.apply));
  opts.apply.forEach((ds, k) => {
    if (ds === undefined) return;
    assertDataset(ds, fn, `apply[${k}]`);
    const same =
      ds.inputShape.length === train.inputShape.length &&
      ds.inputShape.every((s, i) => s === train.inputShape[i]);
    if (!same)
      fail(
        'SHAPE_MISMATCH',
        fn,
        `apply[${k}]`,
        `a dataset with the training inputShape ${formatShape(train.inputShape)}`,
        `inputShape ${formatShape(ds.inputShape)}`,
      );
  });
  if (train.size === 0)
    fail('INVALID_VALUE', fn, 'train', 'a dataset with at least one row', 'size 0');
  const d = rowLength(train.inputShape);
  const sum = new Float64Array(d);
  const x = train.features;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v))
      fail(
        'NON_FINITE',
        fn,
        'train',
        'finite feature values',
        `${v} in row ${Math.floor(i / d)}, feature ${i % d}`,
      );
    sum[i % d]! += v;
  }
  const mean64 = sum.map((s) => s / train.size);
  const sq = new Float64Array(d);
  for (let i = 0; i < x.length; i++) sq[i % d]! += (x[i]! - mean64[i % d]!) ** 2;
  const mean = Float32Array.from(mean64);
  const scale = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    const sigma = Math.sqrt(sq[j]! / train.size);
    scale[j] = sigma <= 1e-8 * Math.max(1, Math.abs(mean64[j]!)) ? 1 : sigma;
  }
  const scaled = (ds: Dataset, parameter: string): Dataset => {
    const src = ds.features;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (!Number.isFinite(v))
        fail(
          'NON_FINITE',
          fn,
          parameter,
          'finite feature values',
          `${v} in row ${Math.floor(i / d)}, feature ${i % d}`,
        );
      out[i] = (v - mean64[i % d]!) / scale[i % d]!;
    }
    return { ...ds, features: out };
  };
  return {
    train: scaled(train, 'train'),
    apply: opts.apply.map((ds, k) =>
      ds === undefined ? undefined : scaled(ds, `apply[${k}]`),
    ) as unknown as StandardizeResult<T>['apply'],
    mean,
    scale,
  };
}
