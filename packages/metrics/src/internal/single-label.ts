import { fail } from '@tailwise/core';
import {
  assertIndices,
  assertNonEmpty,
  assertNumClasses,
  assertSameLength,
  assertVector,
} from './inputs';
import { addConfusion, type ClassTallies, talliesFromConfusion } from './steps';
import { hostOrTensors, type IndexInput } from './tensor-inputs';

/**
 * Checks a batch of single-label inputs: class indices in [0, numClasses) (any non-negative
 * integer without `numClasses`), equal lengths, and at least one sample unless `allowEmpty`.
 */
export function checkSingleLabel(
  labels: unknown,
  predictions: unknown,
  numClasses: number | undefined,
  fn: string,
  allowEmpty = false,
): asserts labels is ArrayLike<number> {
  assertVector(labels, fn, 'labels');
  assertVector(predictions, fn, 'predictions');
  assertSameLength(labels, predictions, fn, 'labels', 'predictions');
  if (!allowEmpty) assertNonEmpty(labels, fn, 'labels');
  assertIndices(labels, numClasses, fn, 'labels');
  assertIndices(predictions, numClasses, fn, 'predictions');
}

/** Checks single-label inputs against `numClasses` and returns the per-class tallies. */
export function singleLabelTallies(
  labels: unknown,
  predictions: unknown,
  numClasses: number,
  fn: string,
): { counts: Float64Array; tallies: ClassTallies } {
  assertNumClasses(numClasses, fn);
  checkSingleLabel(labels, predictions, numClasses, fn);
  const counts = new Float64Array(numClasses * numClasses);
  addConfusion(counts, labels, predictions as ArrayLike<number>, numClasses);
  return { counts, tallies: talliesFromConfusion(counts, numClasses) };
}

/**
 * @internal The accumulating face of the single-label metrics: a confusion matrix kept on the
 * host, filled by `update` with the same steps the function faces use. `update` takes host
 * arrays (synchronous) or tensors (`[N]` indices or `[N, C]` scores; returns a promise that
 * settles once they are read).
 */
export abstract class ConfusionAccumulator {
  readonly numClasses: number;
  protected counts: Float64Array;
  protected total = 0;
  readonly #name: string;

  protected constructor(numClasses: number, name: string) {
    assertNumClasses(numClasses, name);
    this.numClasses = numClasses;
    this.counts = new Float64Array(numClasses * numClasses);
    this.#name = name;
  }

  /** Number of samples seen since the last reset. */
  get size(): number {
    return this.total;
  }

  /**
   * Adds a batch of true and predicted classes; the whole batch is checked before it counts.
   * Tensors (`[N]` indices, or `[N, C]` scores whose argmax is the class) are read once and
   * the returned promise settles when they are counted.
   */
  update(labels: ArrayLike<number>, predictions: ArrayLike<number>): void;
  update(labels: IndexInput, predictions: IndexInput): Promise<void>;
  update(labels: IndexInput, predictions: IndexInput): void | Promise<void> {
    const fn = `${this.#name}.update`;
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'indices'],
        ['predictions', predictions, 'indices'],
      ],
      (l, p) => {
        checkSingleLabel(l, p, this.numClasses, fn, true);
        addConfusion(this.counts, l, p as ArrayLike<number>, this.numClasses);
        this.total += l.length;
      },
    );
  }

  /** Forgets every sample. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  /** Per-class tallies of the samples so far (throws `INVALID_STATE` before any). */
  protected tallies(method: string): ClassTallies {
    if (this.total === 0)
      fail(
        'INVALID_STATE',
        `${this.#name}.${method}`,
        'this',
        'updated with at least one sample',
        'none since the last reset',
      );
    return talliesFromConfusion(this.counts, this.numClasses);
  }
}
