import {
  assertNumber,
  assertRng,
  type Dataset,
  describeValue,
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

/** Options of {@link subset}. */
export interface SubsetOptions {
  /** Name of the new dataset. Default: the source's name. */
  name?: string;
}

/**
 * The rows `indices` of `dataset`, in that order, as a new dataset: features and every label
 * field present (`labels`, `candidates`, `multiLabels`, `softLabels`) are copied. Indices may
 * repeat (oversampling). Throws `INVALID_VALUE` for an index outside [0, size).
 *
 * @example
 * ```ts
 * const firstHundred = subset(train, Array.from({ length: 100 }, (_, i) => i));
 * ```
 * @returns a new dataset of plain typed arrays (no tensors).
 */
export function subset(
  dataset: Dataset,
  indices: ArrayLike<number>,
  options: SubsetOptions = {},
): Dataset {
  const fn = 'subset';
  assertDataset(dataset, fn);
  const { name } = withDefaults<{ name: string | undefined }>(options, { name: undefined }, fn);
  if (name !== undefined && typeof name !== 'string')
    fail('INVALID_OPTION', fn, 'name', 'a string', describeValue(name));
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    fail('INVALID_VALUE', fn, 'indices', 'an array of row indices', describeValue(indices));
  }
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= dataset.size) {
      fail(
        'INVALID_VALUE',
        fn,
        'indices',
        `row indices in [0, ${dataset.size - 1}]`,
        `${describeValue(r)} at position ${i}`,
      );
    }
  }
  return takeRows(dataset, indices, name ?? dataset.name);
}

/** Options of {@link undersample}. */
export interface UndersampleOptions {
  /** S: the most rows kept per class. Required. */
  maxPerClass: number;
  /** Draws the rows. Required. */
  rng: Rng;
}

/**
 * Random undersampling: each class keeps `min(n_c, S)` of its rows, drawn without
 * replacement, in their original order. The undersampling peer of PLM (paper 002, Sec. 3.1:
 * "for each epoch, we select S samples from each class (without duplication)";
 * docs/methods/002-plm.md): call it once per epoch with the same `rng` for a fresh draw.
 *
 * Classes come from `labels` (single-label data). All label fields of the kept rows are kept.
 *
 * @example
 * ```ts
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   const epochData = undersample(train, { maxPerClass: 500, rng });
 *   for (const batch of batches(epochData, { batchSize: 64, shuffle: true, rng })) { … }
 * }
 * ```
 * @returns a new dataset of plain typed arrays (no tensors); `name` unchanged.
 */
export function undersample(dataset: Dataset, options: UndersampleOptions): Dataset {
  const fn = 'undersample';
  assertDataset(dataset, fn);
  const opts = withDefaults<{ maxPerClass: number | undefined; rng: Rng | undefined }>(
    options,
    { maxPerClass: undefined, rng: undefined },
    fn,
  );
  assertNumber(opts.maxPerClass, { min: 1, integer: true }, fn, 'maxPerClass');
  assertRng(opts.rng, fn);
  const labels = requireLabels(dataset, fn);
  const rng = opts.rng;
  const maxPerClass = opts.maxPerClass;
  const chosen = rowsByClass(labels, dataset.numClasses).flatMap((rows) =>
    drawSorted(rows, maxPerClass, rng),
  );
  chosen.sort((a, b) => a - b);
  return takeRows(dataset, chosen, dataset.name);
}
