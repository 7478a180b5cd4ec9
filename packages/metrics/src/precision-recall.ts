import { assertNumber, assertOneOf, fail, withDefaults } from '@tailwise/core';
import type { MatrixInput } from './internal/inputs';
import { type Matrix, readLabelsAndScores } from './internal/inputs';
import { hostOrTensors, type MatrixOrTensor } from './internal/tensor-inputs';

/** How scores become predicted positives. */
export type Decision = 'threshold' | 'argmax';

/** Options of {@link perClassPrecisionRecallF1} and {@link exactMatch}. */
export interface ThresholdOptions {
  /** Number of classes C; required when `labels` / `scores` are flat N × C arrays. */
  numClasses?: number;
  /** A class is predicted positive when its score is ≥ `threshold`. Default 0.5. */
  threshold?: number;
  /**
   * `'threshold'` (default, multi-label): every class with score ≥ `threshold` is predicted.
   * `'argmax'` (single-label given as one-hot labels + probabilities): exactly the top-scoring
   * class of each row (the first one on ties) is predicted.
   */
  decision?: Decision;
}

/** Precision, recall and F1 of one averaging. */
export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Result of {@link perClassPrecisionRecallF1}. */
export interface PerClassPrecisionRecallF1Result {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Positives per class in `labels` (TP + FN). */
  support: number[];
  truePositives: number[];
  falsePositives: number[];
  falseNegatives: number[];
  /** Unweighted means of the per-class values over all C classes (macro F1 = mean of per-class F1). */
  macro: PrecisionRecallF1;
  /** From the counts pooled over classes. */
  micro: PrecisionRecallF1;
}

interface Resolved {
  numClasses: number | undefined;
  threshold: number;
  decision: Decision;
}

function resolve(options: ThresholdOptions | undefined, fn: string): Resolved {
  const o = withDefaults<Resolved>(
    options as Partial<Resolved>,
    { numClasses: undefined, threshold: 0.5, decision: 'threshold' },
    fn,
  );
  assertNumber(o.threshold, { min: 0, max: 1 }, fn, 'threshold');
  assertOneOf(o.decision, ['threshold', 'argmax'] as const, fn, 'decision');
  return o;
}

/** The one decision rule both metrics share: 1 where a class is predicted positive. */
function predictedPositives(
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
  o: Resolved,
): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    if (o.decision === 'argmax') {
      let best = 0;
      for (let c = 1; c < cols; c++) if (scores[r * cols + c]! > scores[r * cols + best]!) best = c;
      out[r * cols + best] = 1;
    } else {
      for (let c = 0; c < cols; c++)
        out[r * cols + c] = scores[r * cols + c]! >= o.threshold ? 1 : 0;
    }
  }
  return out;
}

/** `a / b`, with 0/0 defined as 0. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function prf(tp: number, fp: number, fn: number): PrecisionRecallF1 {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}

interface PrfCounts {
  tp: number[];
  fp: number[];
  fn: number[];
}

/** The one counting step of both faces: adds a checked batch to TP / FP / FN per class. */
function addPrfCounts(counts: PrfCounts, y: Matrix, s: Matrix, o: Resolved): void {
  const { rows, cols } = y;
  const predicted = predictedPositives(s.data, rows, cols, o);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const truth = y.data[r * cols + c] === 1;
      const pred = predicted[r * cols + c] === 1;
      if (truth && pred) counts.tp[c]!++;
      else if (pred) counts.fp[c]!++;
      else if (truth) counts.fn[c]!++;
    }
  }
}

function prfResult({ tp, fp, fn }: PrfCounts): PerClassPrecisionRecallF1Result {
  const per = tp.map((t, c) => prf(t, fp[c]!, fn[c]!));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const precision = per.map((p) => p.precision);
  const recall = per.map((p) => p.recall);
  const f1 = per.map((p) => p.f1);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    precision,
    recall,
    f1,
    support: tp.map((t, c) => t + fn[c]!),
    truePositives: [...tp],
    falsePositives: [...fp],
    falseNegatives: [...fn],
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    micro: prf(sum(tp), sum(fp), sum(fn)),
  };
}

/** The exact-match step: rows whose predicted set equals the true one. */
function countExactMatches(y: Matrix, s: Matrix, o: Resolved): number {
  const { rows, cols } = y;
  const predicted = predictedPositives(s.data, rows, cols, o);
  let matches = 0;
  for (let r = 0; r < rows; r++) {
    let all = true;
    for (let c = 0; c < cols && all; c++) all = predicted[r * cols + c] === y.data[r * cols + c];
    if (all) matches++;
  }
  return matches;
}

const zeros = (n: number) => new Array<number>(n).fill(0);

function readBatch(labels: unknown, scores: unknown, o: Resolved, fn: string, allowEmpty: boolean) {
  const { y, s } = readLabelsAndScores(labels, scores, o.numClasses, fn);
  if (y.rows === 0 && !allowEmpty)
    fail('INVALID_VALUE', fn, 'labels', 'at least one sample', 'none');
  return { y, s };
}

/**
 * Per-class precision `TP/(TP+FP)`, recall `TP/(TP+FN)` and F1 `2PR/(P+R)` at a threshold, with
 * their macro averages (the unweighted mean over the C classes) and micro averages (pooled
 * counts), as PLM reports them (paper 002 §3.1; threshold 0.5).
 *
 * **0/0 is defined as 0**: a class never predicted has precision 0, a class with no positive
 * has recall 0, and F1 is 0 when P + R = 0. Such classes still count in the macro mean.
 *
 * `labels`: N × C in {0, 1}; `scores`: N × C probabilities — flat with `numClasses`, or as rows.
 * For single-label data pass one-hot labels and probabilities with `decision: 'argmax'`.
 * `[N, C]` tensors are accepted too (the result is then a promise; each tensor is read once).
 * {@link PrecisionRecallF1Metric} accumulates the counts over batches.
 *
 * @example
 * ```ts
 * const r = perClassPrecisionRecallF1(truth, probs, { numClasses: 80, threshold: 0.5 });
 * r.macro.f1; r.recall[3];
 * ```
 */
export function perClassPrecisionRecallF1(
  labels: MatrixInput,
  scores: MatrixInput,
  options?: ThresholdOptions,
): PerClassPrecisionRecallF1Result;
export function perClassPrecisionRecallF1(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  options?: ThresholdOptions,
): Promise<PerClassPrecisionRecallF1Result>;
export function perClassPrecisionRecallF1(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  options?: ThresholdOptions,
): PerClassPrecisionRecallF1Result | Promise<PerClassPrecisionRecallF1Result> {
  const fn = 'perClassPrecisionRecallF1';
  const o = resolve(options, fn);
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'matrix'],
      ['scores', scores, 'matrix'],
    ],
    (l, sc) => {
      const { y, s } = readBatch(l, sc, o, fn, false);
      const counts = { tp: zeros(y.cols), fp: zeros(y.cols), fn: zeros(y.cols) };
      addPrfCounts(counts, y, s, o);
      return prfResult(counts);
    },
  );
}

/**
 * 0-1 exact-match (subset) accuracy: the fraction of rows whose predicted label set equals the
 * true one on every class (paper 002 "0-1 Acc."). Same inputs and options as
 * {@link perClassPrecisionRecallF1}, tensors included; {@link ExactMatch} accumulates.
 *
 * @example
 * ```ts
 * exactMatch([[1, 0], [1, 1]], [[0.9, 0.2], [0.7, 0.4]]); // row 0 matches, row 1 not: 0.5
 * ```
 */
export function exactMatch(
  labels: MatrixInput,
  scores: MatrixInput,
  options?: ThresholdOptions,
): number;
export function exactMatch(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  options?: ThresholdOptions,
): Promise<number>;
export function exactMatch(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  options?: ThresholdOptions,
): number | Promise<number> {
  const fn = 'exactMatch';
  const o = resolve(options, fn);
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'matrix'],
      ['scores', scores, 'matrix'],
    ],
    (l, sc) => {
      const { y, s } = readBatch(l, sc, o, fn, false);
      return countExactMatches(y, s, o) / y.rows;
    },
  );
}

/** Shared state of the two accumulating classes: options, the column count, the row count. */
abstract class ThresholdAccumulator {
  protected readonly o: Resolved;
  protected cols: number | undefined;
  protected rows = 0;
  readonly #name: string;

  protected constructor(options: ThresholdOptions | undefined, name: string) {
    this.o = resolve(options, name);
    this.cols = this.o.numClasses;
    this.#name = name;
  }

  /** Number of rows seen since the last reset. */
  get size(): number {
    return this.rows;
  }

  /**
   * Adds a batch of N × C labels in {0, 1} and scores (host matrices, or `[N, C]` tensors read
   * once — then a promise). The first batch fixes C unless `numClasses` was given.
   */
  update(labels: MatrixInput, scores: MatrixInput): void;
  update(labels: MatrixOrTensor, scores: MatrixOrTensor): Promise<void>;
  update(labels: MatrixOrTensor, scores: MatrixOrTensor): void | Promise<void> {
    const fn = `${this.#name}.update`;
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'matrix'],
        ['scores', scores, 'matrix'],
      ],
      (l, sc) => {
        const { y, s } = readBatch(l, sc, { ...this.o, numClasses: this.cols }, fn, true);
        if (y.rows === 0) return;
        this.cols = y.cols;
        this.add(y, s);
        this.rows += y.rows;
      },
    );
  }

  /** Forgets every row (and C, unless it was given). */
  reset(): void {
    this.rows = 0;
    this.cols = this.o.numClasses;
    this.clear();
  }

  protected assertRows(): void {
    if (this.rows === 0)
      fail(
        'INVALID_STATE',
        `${this.#name}.compute`,
        'this',
        'updated with at least one row',
        'none since the last reset',
      );
  }

  protected abstract add(y: Matrix, s: Matrix): void;
  protected abstract clear(): void;
}

/**
 * {@link perClassPrecisionRecallF1} accumulated over batches (torchmetrics style): `update`
 * per batch, `compute` at the end, `reset` to start over. Keeps only TP / FP / FN per class.
 *
 * @example
 * ```ts
 * const m = new PrecisionRecallF1Metric({ threshold: 0.5 });
 * for (const { multiLabels, probs } of testBatches) await m.update(multiLabels, probs);
 * m.compute().macro.f1;
 * ```
 */
export class PrecisionRecallF1Metric extends ThresholdAccumulator {
  private counts: PrfCounts | undefined;

  constructor(options?: ThresholdOptions) {
    super(options, 'PrecisionRecallF1Metric');
  }

  protected add(y: Matrix, s: Matrix): void {
    this.counts ??= { tp: zeros(y.cols), fp: zeros(y.cols), fn: zeros(y.cols) };
    addPrfCounts(this.counts, y, s, this.o);
  }

  protected clear(): void {
    this.counts = undefined;
  }

  /** Precision, recall and F1 of the rows seen, as {@link perClassPrecisionRecallF1}. */
  compute(): PerClassPrecisionRecallF1Result {
    this.assertRows();
    return prfResult(this.counts!);
  }
}

/**
 * {@link exactMatch} accumulated over batches: `update` / `compute` / `reset`.
 *
 * @example
 * ```ts
 * const m = new ExactMatch();
 * m.update([[1, 0]], [[0.9, 0.2]]);
 * m.compute(); // 1
 * ```
 */
export class ExactMatch extends ThresholdAccumulator {
  private matches = 0;

  constructor(options?: ThresholdOptions) {
    super(options, 'ExactMatch');
  }

  protected add(y: Matrix, s: Matrix): void {
    this.matches += countExactMatches(y, s, this.o);
  }

  protected clear(): void {
    this.matches = 0;
  }

  /** Exact-match accuracy of the rows seen. */
  compute(): number {
    this.assertRows();
    return this.matches / this.rows;
  }
}
