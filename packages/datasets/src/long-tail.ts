import {
  assertNumber,
  assertOneOf,
  assertRng,
  type Dataset,
  fail,
  type Rng,
  withDefaults,
} from '@tailwise/core';
import {
  assertDataset,
  drawSorted,
  requireLabels,
  rowsByClass,
  takeRows,
} from './internal/loaders-dataset';

/**
 * Per-class sample counts of an exponential long-tail profile:
 * `n_k = max(1, floor(nMax · γ^(−k/(C−1))))` for k = 0 … C−1, so `n_0 = nMax` and
 * `n_{C−1} = nMax / γ` (the imbalance ratio is γ).
 *
 * The CIFAR-LT profile (Cao et al., 2019) used by PLR (paper 000, Sec. 3.1: `γ = n_1/n_L`,
 * `n_1/n_2 = … = n_{L−1}/n_L`) and UDAL (paper 004, Sec. 4.1: `N_i = N_1 · γ^(−(i−1)/(C−1))`);
 * docs/methods/000-plr.md. With one class the result is `[nMax]`.
 *
 * @example
 * ```ts
 * longTailCounts(5000, 10, 100); // [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
 * ```
 */
export function longTailCounts(nMax: number, numClasses: number, gamma: number): number[] {
  const fn = 'longTailCounts';
  assertNumber(nMax, { min: 1, integer: true }, fn, 'nMax');
  assertNumber(numClasses, { min: 1, integer: true }, fn, 'numClasses');
  assertNumber(gamma, { min: 1 }, fn, 'gamma');
  return Array.from({ length: numClasses }, (_, k) => {
    const exact = numClasses === 1 ? nMax : nMax * gamma ** (-k / (numClasses - 1));
    // The 1e-9 keeps an exact integer (e.g. 5000 / 100 = 50) from flooring to 49 through
    // rounding in pow; docs/methods/000-plr.md asks for at least one sample per class.
    return Math.max(1, Math.floor(exact + 1e-9));
  });
}

/** Options of {@link longTail}. */
export interface LongTailOptions {
  /** Imbalance ratio γ = n_max / n_min, >= 1. Required. */
  gamma: number;
  /** Draws the rows (and the class order when `'permuted'`). Required. */
  rng: Rng;
  /**
   * `'natural'`: class k gets the k-th largest count (class 0 is the head). `'permuted'`: a
   * seeded permutation of the classes decides which class gets which count. Default `'natural'`.
   */
  order?: 'natural' | 'permuted';
  /** Count of the head class. Default: the size of the smallest class in `dataset`. */
  nMax?: number;
}

/**
 * The number of samples per class in `dataset.labels`: `counts[k] = |{i : labels_i = k}|`,
 * of length `numClasses`. Throws `INVALID_VALUE` for a dataset without labels.
 *
 * @example
 * ```ts
 * classCounts(longTail(train, { gamma: 100, rng })); // [863, 517, 310, …, 8]
 * ```
 */
export function classCounts(dataset: Dataset): number[] {
  assertDataset(dataset, 'classCounts');
  const labels = requireLabels(dataset, 'classCounts');
  const counts = new Array<number>(dataset.numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts;
}

/**
 * A long-tailed subsample of a (balanced) labeled dataset: class `c` keeps
 * `n_{rank(c)}` of its rows, drawn without replacement, with `n` = {@link longTailCounts}
 * `(nMax, C, gamma)` and `rank(c) = c` (`order: 'natural'`) or a seeded permutation
 * (`'permuted'`). docs/methods/000-plr.md (PLR paper 000, Sec. 3.1; UDAL paper 004, Sec. 4.1).
 *
 * Rows keep their order in `dataset`; every label field of the chosen rows is kept
 * (`labels`, `candidates`, `multiLabels`, `softLabels`). The name gets `'-lt'` appended.
 * Throws `INVALID_OPTION` when a class has fewer rows than its count asks for.
 *
 * @example
 * ```ts
 * const rng = createRng(0);
 * const lt = longTail(train, { gamma: 100, rng, order: 'permuted' });
 * ```
 * @returns a new dataset of plain typed arrays (no tensors).
 */
export function longTail(dataset: Dataset, options: LongTailOptions): Dataset {
  const fn = 'longTail';
  assertDataset(dataset, fn);
  const opts = withDefaults<{
    gamma: number | undefined;
    rng: Rng | undefined;
    order: 'natural' | 'permuted';
    nMax: number | undefined;
  }>(options, { gamma: undefined, rng: undefined, order: 'natural', nMax: undefined }, fn);
  assertNumber(opts.gamma, { min: 1 }, fn, 'gamma');
  assertRng(opts.rng, fn);
  assertOneOf(opts.order, ['natural', 'permuted'] as const, fn, 'order');
  const labels = requireLabels(dataset, fn);
  const rows = rowsByClass(labels, dataset.numClasses);
  const smallest = Math.min(...rows.map((r) => r.length));
  if (smallest === 0 && opts.nMax === undefined) {
    fail(
      'INVALID_VALUE',
      fn,
      'dataset',
      'a dataset with at least one sample of every class',
      `class ${rows.findIndex((r) => r.length === 0)} with none`,
    );
  }
  const nMax = opts.nMax ?? smallest;
  assertNumber(nMax, { min: 1, integer: true }, fn, 'nMax');
  const counts = longTailCounts(nMax, dataset.numClasses, opts.gamma);
  const rng = opts.rng;
  // rank[c] = which count class c gets.
  const rank =
    opts.order === 'natural'
      ? counts.map((_, c) => c)
      : invert(rng.permutation(dataset.numClasses));
  const chosen: number[] = [];
  rows.forEach((classRows, c) => {
    const want = counts[rank[c]!]!;
    if (want > classRows.length) {
      fail(
        'INVALID_OPTION',
        fn,
        'nMax',
        `at most what every class holds (class ${c} has ${classRows.length} rows and would need ${want})`,
        String(nMax),
      );
    }
    chosen.push(...drawSorted(classRows, want, rng));
  });
  chosen.sort((a, b) => a - b);
  return takeRows(dataset, chosen, `${dataset.name}-lt`);
}

/** perm[k] = class at rank k  →  rank[class]. */
function invert(perm: readonly number[]): number[] {
  const rank = new Array<number>(perm.length);
  perm.forEach((c, k) => {
    rank[c] = k;
  });
  return rank;
}
