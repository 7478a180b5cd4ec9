import { assertNumber, assertRng, type Dataset, type Rng, withDefaults } from '@tailwise/core';
import {
  assertDataset,
  drawSorted,
  requireLabels,
  rowsByClass,
  takeRows,
} from './internal/loaders-dataset';

/** Options of {@link semiSupervisedSplit}. */
export interface SemiSupervisedSplitOptions {
  /** β: the fraction of each class that keeps its label, in (0, 1). Required. */
  labeledFraction: number;
  /** Draws which rows are labeled. Required. */
  rng: Rng;
}

/** Result of {@link semiSupervisedSplit}. */
export interface SemiSupervisedSplit {
  /** The labeled rows (`name + '-labeled'`). */
  readonly labeled: Dataset;
  /**
   * The other rows (`name + '-unlabeled'`). They still carry `labels`, **for evaluation
   * only** (e.g. pseudo-label accuracy): a semi-supervised trainer must never read them.
   */
  readonly unlabeled: Dataset;
  /** Source row of each labeled row. */
  readonly labeledIndices: Int32Array;
  /** Source row of each unlabeled row. */
  readonly unlabeledIndices: Int32Array;
}

/**
 * Splits a labeled dataset into a labeled and an unlabeled part, stratified per class:
 * class c with n_c rows gives `m_c = min(n_c, max(1, round(β · n_c)))` random rows to the
 * labeled part and the rest to the unlabeled part, so both keep the dataset's (long-tailed)
 * class distribution and every class has a labeled example. The CReST/UDAL protocol (paper
 * 004, Sec. 4.1: "labeled subsets are randomly sampled according to β = 10% and 30%").
 *
 * Rows keep their source order in both parts; all label fields are carried. Throws
 * `INVALID_OPTION` for β outside (0, 1).
 *
 * @example
 * ```ts
 * const lt = longTail(train, { gamma: 100, rng });
 * const { labeled, unlabeled } = semiSupervisedSplit(lt, { labeledFraction: 0.1, rng });
 * for (const step of sslBatches(labeled, unlabeled, { batchSize: 64, rng })) { … }
 * ```
 * @returns new datasets of plain typed arrays (no tensors).
 */
export function semiSupervisedSplit(
  dataset: Dataset,
  options: SemiSupervisedSplitOptions,
): SemiSupervisedSplit {
  const fn = 'semiSupervisedSplit';
  assertDataset(dataset, fn);
  const opts = withDefaults<{ labeledFraction: number | undefined; rng: Rng | undefined }>(
    options,
    { labeledFraction: undefined, rng: undefined },
    fn,
  );
  assertNumber(
    opts.labeledFraction,
    { min: 0, max: 1, minExclusive: true, maxExclusive: true },
    fn,
    'labeledFraction',
  );
  assertRng(opts.rng, fn);
  const labels = requireLabels(dataset, fn);
  const beta = opts.labeledFraction;
  const rng = opts.rng;
  const isLabeled = new Uint8Array(dataset.size);
  for (const rows of rowsByClass(labels, dataset.numClasses)) {
    if (rows.length === 0) continue;
    const m = Math.min(rows.length, Math.max(1, Math.round(beta * rows.length)));
    for (const r of drawSorted(rows, m, rng)) isLabeled[r] = 1;
  }
  const labeledRows: number[] = [];
  const unlabeledRows: number[] = [];
  for (let i = 0; i < dataset.size; i++) (isLabeled[i] ? labeledRows : unlabeledRows).push(i);
  return {
    labeled: takeRows(dataset, labeledRows, `${dataset.name}-labeled`),
    unlabeled: takeRows(dataset, unlabeledRows, `${dataset.name}-unlabeled`),
    labeledIndices: Int32Array.from(labeledRows),
    unlabeledIndices: Int32Array.from(unlabeledRows),
  };
}
