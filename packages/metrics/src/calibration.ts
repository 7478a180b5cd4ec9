import { assertFiniteValues, assertNumber, fail, withDefaults } from '@tailwise/core';
import { assertIndices, type Matrix, type MatrixInput, readMatrix } from './internal/inputs';
import { hostOrTensors, type IndexInput, type MatrixOrTensor } from './internal/tensor-inputs';

/** Options of {@link expectedCalibrationError}. */
export interface CalibrationOptions {
  /** Number of equal-width confidence bins on [0, 1]. Default 15. */
  bins?: number;
  /** Number of classes C; required when `probs` is a flat N × C array. */
  numClasses?: number;
}

/** One confidence bin `(lower, upper]` (the first bin also holds confidence 0). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Accuracy of the bin's samples; `null` for an empty bin. */
  accuracy: number | null;
  /** Mean confidence of the bin's samples; `null` for an empty bin. */
  confidence: number | null;
}

/** Result of {@link expectedCalibrationError}. */
export interface CalibrationResult {
  /** ECE in [0, 1]. */
  value: number;
  /** The bins (for a reliability diagram). */
  bins: CalibrationBin[];
}

interface Bins {
  count: number[];
  correct: number[];
  confSum: number[];
}

function resolveOptions(options: CalibrationOptions | undefined, fn: string) {
  const o = withDefaults<{ bins: number; numClasses: number | undefined }>(
    options,
    { bins: 15, numClasses: undefined },
    fn,
  );
  assertNumber(o.bins, { min: 1, integer: true }, fn, 'bins');
  return o;
}

/** Checks a batch: class indices, one probability row per label, values in [0, 1]. */
function readBatch(
  labels: unknown,
  probs: unknown,
  numClasses: number | undefined,
  fn: string,
  allowEmpty: boolean,
): { labels: ArrayLike<number>; p: Matrix } {
  const p = readMatrix(probs, numClasses, fn, 'probs');
  assertIndices(labels, p.cols, fn, 'labels');
  if (labels.length !== p.rows) {
    fail('SHAPE_MISMATCH', fn, 'probs', `${labels.length} rows (one per label)`, `${p.rows} rows`);
  }
  if (p.rows === 0 && !allowEmpty)
    fail('INVALID_VALUE', fn, 'labels', 'at least one sample', 'none');
  assertFiniteValues(p.data, fn, 'probs');
  for (let i = 0; i < p.data.length; i++) {
    const v = p.data[i]!;
    if (v < 0 || v > 1)
      fail('INVALID_VALUE', fn, 'probs', 'probabilities in [0, 1]', `${v} at flat index ${i}`);
  }
  return { labels, p };
}

/** The binning step both faces share. */
function addToBins(bins: Bins, labels: ArrayLike<number>, p: Matrix): void {
  const m = bins.count.length;
  for (let r = 0; r < p.rows; r++) {
    let best = 0;
    for (let c = 1; c < p.cols; c++)
      if (p.data[r * p.cols + c]! > p.data[r * p.cols + best]!) best = c;
    const conf = p.data[r * p.cols + best]!;
    const b = Math.min(m - 1, Math.max(0, Math.ceil(conf * m) - 1));
    bins.count[b]!++;
    bins.confSum[b]! += conf;
    if (best === labels[r]) bins.correct[b]!++;
  }
}

function emptyBins(m: number): Bins {
  return {
    count: new Array<number>(m).fill(0),
    correct: new Array<number>(m).fill(0),
    confSum: new Array<number>(m).fill(0),
  };
}

function calibrationResult({ count, correct, confSum }: Bins, total: number): CalibrationResult {
  const m = count.length;
  let value = 0;
  const bins: CalibrationBin[] = count.map((n, b) => {
    const accuracy = n > 0 ? correct[b]! / n : null;
    const confidence = n > 0 ? confSum[b]! / n : null;
    if (n > 0) value += (n / total) * Math.abs(accuracy! - confidence!);
    return { lower: b / m, upper: (b + 1) / m, count: n, accuracy, confidence };
  });
  return { value, bins };
}

/**
 * Expected calibration error of a single-label classifier (Guo et al. 2017):
 * `ECE = Σ_b (|B_b| / N)·|acc(B_b) − conf(B_b)|` over `bins` equal-width bins of the top-class
 * probability (bin b holds confidences in `(b/M, (b+1)/M]`, the first also 0); the prediction is
 * the argmax (first index on ties).
 *
 * `labels`: N class indices; `probs`: N × C probabilities in [0, 1] (flat with `numClasses`, or rows).
 * Tensors (`[N]` labels, `[N, C]` probabilities) are accepted too: the result is then a promise
 * and each tensor is read once. {@link ExpectedCalibrationError} accumulates the bins.
 *
 * @example
 * ```ts
 * // both predictions have confidence 0.8 (one bin), one is right: |0.5 − 0.8| = 0.3
 * expectedCalibrationError([0, 1], [[0.8, 0.2], [0.8, 0.2]]).value; // 0.3
 * ```
 */
export function expectedCalibrationError(
  labels: ArrayLike<number>,
  probs: MatrixInput,
  options?: CalibrationOptions,
): CalibrationResult;
export function expectedCalibrationError(
  labels: IndexInput,
  probs: MatrixOrTensor,
  options?: CalibrationOptions,
): Promise<CalibrationResult>;
export function expectedCalibrationError(
  labels: IndexInput,
  probs: MatrixOrTensor,
  options?: CalibrationOptions,
): CalibrationResult | Promise<CalibrationResult> {
  const fn = 'expectedCalibrationError';
  const o = resolveOptions(options, fn);
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'vector'],
      ['probs', probs, 'matrix'],
    ],
    (l, pr) => {
      const batch = readBatch(l, pr, o.numClasses, fn, false);
      const bins = emptyBins(o.bins);
      addToBins(bins, batch.labels, batch.p);
      return calibrationResult(bins, batch.p.rows);
    },
  );
}

/**
 * {@link expectedCalibrationError} accumulated over batches (torchmetrics style): `update`
 * adds a batch to the bins, `compute` gives the ECE and the bins, `reset` empties them.
 *
 * @example
 * ```ts
 * const ece = new ExpectedCalibrationError({ bins: 10 });
 * for (const { labels, probs } of testBatches) await ece.update(labels, probs);
 * ece.compute().value;
 * ```
 */
export class ExpectedCalibrationError {
  private readonly o: { bins: number; numClasses: number | undefined };
  private state: Bins;
  private total = 0;

  constructor(options?: CalibrationOptions) {
    this.o = resolveOptions(options, 'ExpectedCalibrationError');
    this.state = emptyBins(this.o.bins);
  }

  /** Number of samples seen since the last reset. */
  get size(): number {
    return this.total;
  }

  /** Adds a batch of class indices and N × C probabilities (host data, or tensors read once). */
  update(labels: ArrayLike<number>, probs: MatrixInput): void;
  update(labels: IndexInput, probs: MatrixOrTensor): Promise<void>;
  update(labels: IndexInput, probs: MatrixOrTensor): void | Promise<void> {
    const fn = 'ExpectedCalibrationError.update';
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'vector'],
        ['probs', probs, 'matrix'],
      ],
      (l, pr) => {
        const batch = readBatch(l, pr, this.o.numClasses, fn, true);
        addToBins(this.state, batch.labels, batch.p);
        this.total += batch.p.rows;
      },
    );
  }

  /** ECE and bins of the samples seen. */
  compute(): CalibrationResult {
    if (this.total === 0)
      fail(
        'INVALID_STATE',
        'ExpectedCalibrationError.compute',
        'this',
        'updated with at least one sample',
        'none since the last reset',
      );
    return calibrationResult(this.state, this.total);
  }

  /** Forgets every sample. */
  reset(): void {
    this.state = emptyBins(this.o.bins);
    this.total = 0;
  }
}
