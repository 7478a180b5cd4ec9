import { fail } from '@tailwise/core';
import { assertIndices } from './internal/inputs';
import {
  ConfusionAccumulator,
  checkSingleLabel,
  singleLabelTallies,
} from './internal/single-label';
import {
  accuracyFromCounts,
  countCorrect,
  meanOfPresent,
  perClassFromTallies,
} from './internal/steps';
import { hostOrTensors, type IndexInput } from './internal/tensor-inputs';

function accuracyOnHost(labels: unknown, predictions: unknown): number {
  const fn = 'accuracy';
  checkSingleLabel(labels, predictions, undefined, fn);
  return accuracyFromCounts(countCorrect(labels, predictions as ArrayLike<number>), labels.length);
}

/**
 * Fraction of samples whose predicted class equals the true class: `Σ_i 1[ŷ_i = y_i] / N`.
 *
 * `labels` and `predictions` are class indices: arrays or typed arrays (synchronous), or
 * tensors — `[N]` indices, or `[N, C]` scores / logits / one-hot rows whose argmax is the
 * class — in which case the result is a promise and each tensor is read once (the argmax runs
 * on the device). The caller keeps ownership of the tensors. {@link Accuracy} accumulates the
 * same count over batches.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 * await accuracy(labelTensor, logits);  // argmax of the [N, C] logits on the device
 * ```
 * @throws `SHAPE_MISMATCH` for different lengths or a tensor of another rank,
 * `INVALID_VALUE` for a non-integer or negative index or no samples.
 */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number;
export function accuracy(labels: IndexInput, predictions: IndexInput): Promise<number>;
export function accuracy(labels: IndexInput, predictions: IndexInput): number | Promise<number> {
  return hostOrTensors(
    'accuracy',
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    accuracyOnHost,
  );
}

/**
 * Accuracy of each true class (its recall): `acc_c = #{i : y_i = c, ŷ_i = c} / #{i : y_i = c}`.
 * A class with no sample in `labels` gets `null` (never NaN); such classes are left out of
 * every average built on this (`balancedAccuracy`, shot groups). Tensors as in
 * {@link accuracy} (the result is then a promise); {@link PerClassAccuracy} accumulates.
 *
 * @example
 * ```ts
 * perClassAccuracy([0, 0, 1], [0, 1, 1], 3); // [0.5, 1, null]
 * ```
 */
export function perClassAccuracy(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): (number | null)[];
export function perClassAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses: number,
): Promise<(number | null)[]>;
export function perClassAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses: number,
): (number | null)[] | Promise<(number | null)[]> {
  return hostOrTensors(
    'perClassAccuracy',
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    (l, p) => perClassFromTallies(singleLabelTallies(l, p, numClasses, 'perClassAccuracy').tallies),
  );
}

function balancedOnHost(labels: unknown, predictions: unknown, numClasses?: number): number {
  const fn = 'balancedAccuracy';
  let c = numClasses;
  if (c === undefined) {
    assertIndices(labels, undefined, fn, 'labels');
    assertIndices(predictions, undefined, fn, 'predictions');
    c = 1;
    for (let i = 0; i < labels.length; i++) c = Math.max(c, labels[i]! + 1);
    for (let i = 0; i < predictions.length; i++) c = Math.max(c, predictions[i]! + 1);
  }
  // non-empty input guarantees at least one class with samples
  return meanOfPresent(
    perClassFromTallies(singleLabelTallies(labels, predictions, c, fn).tallies),
  )!;
}

/**
 * Balanced accuracy: the mean of the per-class accuracies over the classes that have at least
 * one sample, `(1/|K|)·Σ_{c∈K} acc_c`. Equals accuracy on a class-balanced test set.
 * `numClasses` defaults to `max(labels, predictions) + 1`. Tensors as in {@link accuracy};
 * {@link BalancedAccuracy} accumulates.
 *
 * @example
 * ```ts
 * balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0]); // (1 + 0) / 2 = 0.5
 * ```
 */
export function balancedAccuracy(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses?: number,
): number;
export function balancedAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses?: number,
): Promise<number>;
export function balancedAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses?: number,
): number | Promise<number> {
  return hostOrTensors(
    'balancedAccuracy',
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    (l, p) => balancedOnHost(l, p, numClasses),
  );
}

/**
 * {@link accuracy} accumulated over batches (torchmetrics style): `update` per batch (host
 * arrays, or tensors read once — then `update` returns a promise), `compute` at the end,
 * `reset` to start over. Needs no `numClasses`. Host-side: no tensors to dispose.
 *
 * @example
 * ```ts
 * const acc = new Accuracy();
 * for (const { labels, logits } of batches) await acc.update(labels, logits);
 * acc.compute(); // the accuracy over every sample seen
 * ```
 */
export class Accuracy {
  private correct = 0;
  private total = 0;

  /** Number of samples seen since the last reset. */
  get size(): number {
    return this.total;
  }

  /** Adds a batch of true and predicted classes (checked before it counts). */
  update(labels: ArrayLike<number>, predictions: ArrayLike<number>): void;
  update(labels: IndexInput, predictions: IndexInput): Promise<void>;
  update(labels: IndexInput, predictions: IndexInput): void | Promise<void> {
    const fn = 'Accuracy.update';
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'indices'],
        ['predictions', predictions, 'indices'],
      ],
      (l, p) => {
        checkSingleLabel(l, p, undefined, fn, true);
        this.correct += countCorrect(l, p as ArrayLike<number>);
        this.total += l.length;
      },
    );
  }

  /** The accuracy over the samples seen (throws `INVALID_STATE` before any). */
  compute(): number {
    if (this.total === 0)
      fail(
        'INVALID_STATE',
        'Accuracy.compute',
        'this',
        'updated with at least one sample',
        'none since the last reset',
      );
    return accuracyFromCounts(this.correct, this.total);
  }

  /** Forgets every sample. */
  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

/**
 * {@link perClassAccuracy} accumulated over batches: `update` / `compute` / `reset`, as
 * {@link Accuracy}.
 *
 * @example
 * ```ts
 * const m = new PerClassAccuracy(10);
 * m.update([0, 1], [0, 0]);
 * m.compute(); // [1, 0, null, …]
 * ```
 */
export class PerClassAccuracy extends ConfusionAccumulator {
  constructor(numClasses: number) {
    super(numClasses, 'PerClassAccuracy');
  }

  /** Per-class accuracy of the samples seen. */
  compute(): (number | null)[] {
    return perClassFromTallies(this.tallies('compute'));
  }
}

/**
 * {@link balancedAccuracy} accumulated over batches: `update` / `compute` / `reset`, as
 * {@link Accuracy}.
 *
 * @example
 * ```ts
 * const m = new BalancedAccuracy(2);
 * m.update([0, 0, 0], [0, 0, 0]);
 * m.update([1], [0]);
 * m.compute(); // 0.5
 * ```
 */
export class BalancedAccuracy extends ConfusionAccumulator {
  constructor(numClasses: number) {
    super(numClasses, 'BalancedAccuracy');
  }

  /** Balanced accuracy of the samples seen. */
  compute(): number {
    return meanOfPresent(perClassFromTallies(this.tallies('compute')))!;
  }
}
