import {
  assertBoolean,
  assertNumber,
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

/** Options of {@link trainTestSplit}: give `testFraction` or `testPerClass`. */
export interface TrainTestSplitOptions {
  /** Fraction of the rows (of each class, when stratified) that go to the test set, in (0, 1). */
  testFraction?: number;
  /** Exactly this many test rows per class (needs `stratify`), an integer >= 1. */
  testPerClass?: number;
  /** Split each class separately, so both parts keep the class distribution. Default `true`. */
  stratify?: boolean;
  /** Draws the test rows. Required. */
  rng: Rng;
}

/** Result of {@link trainTestSplit}. */
export interface TrainTestSplitResult {
  /** The training rows (`name + '-train'`). */
  readonly train: Dataset;
  /** The test rows (`name + '-test'`). */
  readonly test: Dataset;
  /** Source row of each training row. */
  readonly trainIndices: Int32Array;
  /** Source row of each test row. */
  readonly testIndices: Int32Array;
}

/**
 * Splits a labeled dataset into training and test rows, drawn with `rng`:
 * - stratified (default): class c with n_c rows gives `round(testFraction · n_c)` (or
 *   `testPerClass`) random rows to the test set;
 * - `stratify: false`: `round(testFraction · N)` random rows overall; the dataset then needs
 *   no `labels` (a multi-label set splits by rows).
 *
 * Every class that has rows must end with at least one test row and one training row; a split
 * that leaves a class without either throws `INVALID_OPTION` naming the class and its count
 * (use a larger `testFraction`, or `testPerClass`). Rows keep their source order; all label
 * fields are carried. Make the test set **before** `longTail` / `partialLabels` /
 * `semiSupervisedSplit` so it stays clean and balanced-as-given.
 *
 * @example
 * ```ts
 * const { train, test } = trainTestSplit(wine, { testFraction: 0.3, rng: createRng(0) });
 * ```
 * @returns new datasets of plain typed arrays (no tensors).
 */
export function trainTestSplit(
  dataset: Dataset,
  options: TrainTestSplitOptions,
): TrainTestSplitResult {
  const fn = 'trainTestSplit';
  assertDataset(dataset, fn);
  const opts = withDefaults<{
    testFraction: number | undefined;
    testPerClass: number | undefined;
    stratify: boolean;
    rng: Rng | undefined;
  }>(
    options,
    { testFraction: undefined, testPerClass: undefined, stratify: true, rng: undefined },
    fn,
  );
  if ((opts.testFraction === undefined) === (opts.testPerClass === undefined))
    fail(
      'INVALID_OPTION',
      fn,
      'testFraction',
      'exactly one of `testFraction` and `testPerClass`',
      opts.testFraction === undefined ? 'neither' : 'both',
    );
  if (opts.testFraction !== undefined)
    assertNumber(
      opts.testFraction,
      { min: 0, max: 1, minExclusive: true, maxExclusive: true },
      fn,
      'testFraction',
    );
  if (opts.testPerClass !== undefined) {
    assertNumber(opts.testPerClass, { min: 1, integer: true }, fn, 'testPerClass');
    if (!opts.stratify) fail('INVALID_OPTION', fn, 'stratify', 'true with `testPerClass`', 'false');
  }
  assertBoolean(opts.stratify, fn, 'stratify');
  assertRng(opts.rng, fn);
  // Without stratification a dataset without `labels` (multi-label data) splits by rows.
  const labels =
    opts.stratify || dataset.labels !== undefined ? requireLabels(dataset, fn) : undefined;
  const rng = opts.rng;
  const byClass = labels === undefined ? [] : rowsByClass(labels, dataset.numClasses);
  const isTest = new Uint8Array(dataset.size);
  if (opts.stratify) {
    byClass.forEach((rows) => {
      if (rows.length === 0) return;
      const m =
        opts.testPerClass ?? Math.min(rows.length, Math.round(opts.testFraction! * rows.length));
      for (const r of drawSorted(rows, m, rng)) isTest[r] = 1;
    });
  } else {
    const m = Math.round(opts.testFraction! * dataset.size);
    for (const r of rng.permutation(dataset.size).slice(0, m)) isTest[r] = 1;
  }
  const name = (c: number) =>
    dataset.classNames?.[c] === undefined ? `${c}` : `${c} (${dataset.classNames[c]})`;
  byClass.forEach((rows, c) => {
    if (rows.length === 0) return;
    const inTest = rows.reduce((a, r) => a + isTest[r]!, 0);
    if (inTest === 0 || inTest === rows.length) {
      const option =
        opts.testPerClass !== undefined
          ? `testPerClass ${opts.testPerClass}`
          : `testFraction ${opts.testFraction}${opts.stratify ? '' : ' (not stratified)'}`;
      fail(
        'INVALID_OPTION',
        fn,
        opts.testPerClass !== undefined ? 'testPerClass' : 'testFraction',
        'a split that leaves every class at least one test and one training sample',
        `${option}: class ${name(c)} with ${rows.length} rows gets ${inTest === 0 ? 'no test sample' : 'no training sample'}`,
      );
    }
  });
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < dataset.size; i++) (isTest[i] ? testRows : trainRows).push(i);
  return {
    train: takeRows(dataset, trainRows, `${dataset.name}-train`),
    test: takeRows(dataset, testRows, `${dataset.name}-test`),
    trainIndices: Int32Array.from(trainRows),
    testIndices: Int32Array.from(testRows),
  };
}
