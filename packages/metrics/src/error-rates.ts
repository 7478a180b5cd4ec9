import { assertNumber } from '@tailwise/core';
import { assertTrainCounts } from './internal/inputs';
import { ConfusionAccumulator, singleLabelTallies } from './internal/single-label';
import {
  accuracyFromCounts,
  type ClassTallies,
  meanOfPresent,
  perClassFromTallies,
  rarestClassIndices,
} from './internal/steps';
import { hostOrTensors, type IndexInput } from './internal/tensor-inputs';

/** Result of {@link errorRates}. */
export interface ErrorRatesResult {
  /** 1 − accuracy over all samples. */
  overall: number;
  /** 1 − balanced accuracy: the mean per-class error (equals `overall` on a balanced test set). */
  classAverage: number;
  /** Mean per-class error over the `k` rarest training classes (classes without a test sample left out; `null` if all are). */
  rarestK: number | null;
}

function errorRatesOf(
  tallies: ClassTallies,
  total: number,
  trainCounts: ArrayLike<number>,
  k: number,
): ErrorRatesResult {
  const perClassError = perClassFromTallies(tallies).map((a) => (a === null ? null : 1 - a));
  const correct = tallies.correct.reduce((a, b) => a + b, 0);
  return {
    overall: 1 - accuracyFromCounts(correct, total),
    classAverage: meanOfPresent(perClassError)!,
    rarestK: meanOfPresent(rarestClassIndices(trainCounts, k).map((c) => perClassError[c]!)),
  };
}

/**
 * Single-label error rates as PLM reports them (paper 002, Tables 3–4): error overall and the
 * average error on the `k` classes with the fewest training samples (K = 5 for CIFAR-10,
 * K = 50 for CIFAR-100). `numClasses` is `trainCounts.length`. Tensors as in `accuracy` (the
 * result is then a promise); {@link ErrorRates} accumulates.
 *
 * @example
 * ```ts
 * const { overall, rarestK } = errorRates(testLabels, predictions, trainCounts, 5);
 * ```
 */
export function errorRates(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  trainCounts: ArrayLike<number>,
  k: number,
): ErrorRatesResult;
export function errorRates(
  labels: IndexInput,
  predictions: IndexInput,
  trainCounts: ArrayLike<number>,
  k: number,
): Promise<ErrorRatesResult>;
export function errorRates(
  labels: IndexInput,
  predictions: IndexInput,
  trainCounts: ArrayLike<number>,
  k: number,
): ErrorRatesResult | Promise<ErrorRatesResult> {
  const fn = 'errorRates';
  assertTrainCounts(trainCounts, fn);
  assertNumber(k, { min: 1, max: trainCounts.length, integer: true }, fn, 'k');
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    (l, p) => {
      const { tallies } = singleLabelTallies(l, p, trainCounts.length, fn);
      return errorRatesOf(tallies, (l as ArrayLike<number>).length, trainCounts, k);
    },
  );
}

/**
 * {@link errorRates} accumulated over batches: `update` / `compute` / `reset`, as `Accuracy`.
 *
 * @example
 * ```ts
 * const m = new ErrorRates(trainCounts, 5);
 * m.update(labels, predictions);
 * m.compute().rarestK;
 * ```
 */
export class ErrorRates extends ConfusionAccumulator {
  readonly trainCounts: readonly number[];
  readonly k: number;

  constructor(trainCounts: ArrayLike<number>, k: number) {
    assertTrainCounts(trainCounts, 'ErrorRates');
    assertNumber(k, { min: 1, max: trainCounts.length, integer: true }, 'ErrorRates', 'k');
    super(trainCounts.length, 'ErrorRates');
    this.trainCounts = Array.from(trainCounts);
    this.k = k;
  }

  /** Error rates of the samples seen. */
  compute(): ErrorRatesResult {
    return errorRatesOf(this.tallies('compute'), this.total, this.trainCounts, this.k);
  }
}
