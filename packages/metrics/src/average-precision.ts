import { assertFiniteValues, assertValuesIn, fail } from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';
import {
  assertNumClasses,
  assertSameLength,
  assertVector,
  type MatrixInput,
  readLabelsAndScores,
} from './internal/inputs';
import {
  averagePrecisionOfColumn,
  type MeanAveragePrecisionResult,
  meanAveragePrecisionOf,
} from './internal/steps';
import { hostOrTensors, type MatrixOrTensor } from './internal/tensor-inputs';

/**
 * Average precision of one binary problem: the mean, over the positive samples, of the
 * precision at that sample's score, `AP = (1/P)·Σ_{i: y_i = 1} #{j : s_j ≥ s_i, y_j = 1} / #{j : s_j ≥ s_i}`.
 * Tied scores count as one threshold (the area under the step precision-recall curve, as
 * scikit-learn's `average_precision_score`), so the order of tied samples does not matter.
 *
 * `[N]` tensors are accepted too (the result is then a promise; each is read once).
 *
 * @returns the AP in [0, 1], or `null` when `labels` has no positive (AP is undefined).
 * @example
 * ```ts
 * averagePrecision([1, 0, 1], [0.9, 0.8, 0.3]); // (1/1 + 2/3) / 2 = 0.8333
 * ```
 */
export function averagePrecision(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): number | null;
export function averagePrecision(
  labels: ArrayLike<number> | tf.Tensor,
  scores: ArrayLike<number> | tf.Tensor,
): Promise<number | null>;
export function averagePrecision(
  labels: ArrayLike<number> | tf.Tensor,
  scores: ArrayLike<number> | tf.Tensor,
): number | null | Promise<number | null> {
  return hostOrTensors(
    'averagePrecision',
    [
      ['labels', labels, 'vector'],
      ['scores', scores, 'vector'],
    ],
    averagePrecisionOnHost,
  );
}

function averagePrecisionOnHost(labels: unknown, scores: unknown): number | null {
  const fn = 'averagePrecision';
  assertVector(labels, fn, 'labels');
  assertVector(scores, fn, 'scores');
  assertSameLength(labels, scores, fn, 'labels', 'scores');
  assertValuesIn(labels, [0, 1], fn, 'labels');
  assertFiniteValues(scores, fn, 'scores');
  return averagePrecisionOfColumn(labels, scores, labels.length, 1, 0);
}

/**
 * Mean average precision over classes (paper 001's metric): the AP of each class
 * (see {@link averagePrecision}) averaged over the classes that have at least one positive in
 * `labels`; a class with no positive is left out of the mean and listed in `excludedClasses`
 * (docs/methods/001-partial-annotations.md, "Peers").
 *
 * `labels` N × C in {0, 1} and `scores` N × C, flat (row-major) or as rows, or `[N, C]`
 * tensors (the result is then a promise; each tensor is read once).
 *
 * @example
 * ```ts
 * const { value, perClass, excludedClasses } = meanAveragePrecision(truth, probs, 80);
 * ```
 * @throws `INVALID_VALUE` if no class has a positive (the mean would be empty).
 */
export function meanAveragePrecision(
  labels: MatrixInput,
  scores: MatrixInput,
  numClasses: number,
): MeanAveragePrecisionResult;
export function meanAveragePrecision(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  numClasses: number,
): Promise<MeanAveragePrecisionResult>;
export function meanAveragePrecision(
  labels: MatrixOrTensor,
  scores: MatrixOrTensor,
  numClasses: number,
): MeanAveragePrecisionResult | Promise<MeanAveragePrecisionResult> {
  const fn = 'meanAveragePrecision';
  assertNumClasses(numClasses, fn);
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'matrix'],
      ['scores', scores, 'matrix'],
    ],
    (l, sc) => {
      const { y, s } = readLabelsAndScores(l, sc, numClasses, fn);
      return finish(meanAveragePrecisionOf(y.data, s.data, y.rows, y.cols), fn);
    },
  );
}

function finish(
  r: ReturnType<typeof meanAveragePrecisionOf>,
  fn: string,
): MeanAveragePrecisionResult {
  if (r.value === null)
    fail(
      'INVALID_VALUE',
      fn,
      'labels',
      'at least one positive entry (mAP averages over classes with positives)',
      'no positive in any class',
    );
  return { value: r.value, perClass: r.perClass, excludedClasses: r.excludedClasses };
}

/**
 * Accumulates labels and scores over batches and computes {@link meanAveragePrecision} on all of
 * them (AP needs the whole ranking, so rows are kept: 4 + 4 bytes per entry as float32).
 * Host-side: no tensors to dispose.
 *
 * @example
 * ```ts
 * const map = new MeanAveragePrecision(80);
 * for (const b of batches) map.update(b.labels, b.scores); // flat B × 80 arrays or rows
 * map.compute().value;
 * ```
 */
export class MeanAveragePrecision {
  readonly numClasses: number;
  private labelChunks: Float32Array[] = [];
  private scoreChunks: Float32Array[] = [];
  private rows = 0;

  constructor(numClasses: number) {
    assertNumClasses(numClasses, 'MeanAveragePrecision');
    this.numClasses = numClasses;
  }

  /** Number of rows seen since the last reset. */
  get size(): number {
    return this.rows;
  }

  /**
   * Adds a batch of N × C labels in {0, 1} and finite scores (checked before it is kept):
   * host matrices, or `[N, C]` tensors read once (then `update` returns a promise).
   */
  update(labels: MatrixInput, scores: MatrixInput): void;
  update(labels: MatrixOrTensor, scores: MatrixOrTensor): Promise<void>;
  update(labels: MatrixOrTensor, scores: MatrixOrTensor): void | Promise<void> {
    const fn = 'MeanAveragePrecision.update';
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'matrix'],
        ['scores', scores, 'matrix'],
      ],
      (l, sc) => {
        const { y, s } = readLabelsAndScores(l, sc, this.numClasses, fn);
        this.labelChunks.push(Float32Array.from(y.data));
        this.scoreChunks.push(Float32Array.from(s.data));
        this.rows += y.rows;
      },
    );
  }

  /** mAP over every row seen, as {@link meanAveragePrecision}. */
  compute(): MeanAveragePrecisionResult {
    const fn = 'MeanAveragePrecision.compute';
    if (this.rows === 0)
      fail(
        'INVALID_STATE',
        fn,
        'this',
        'updated with at least one row',
        'none since the last reset',
      );
    const labels = concat(this.labelChunks, this.rows * this.numClasses);
    const scores = concat(this.scoreChunks, this.rows * this.numClasses);
    this.labelChunks = [labels];
    this.scoreChunks = [scores];
    return finish(meanAveragePrecisionOf(labels, scores, this.rows, this.numClasses), fn);
  }

  /** @internal The rows seen, concatenated (kept concatenated for the next call). */
  rowsSeen(): { labels: Float32Array; scores: Float32Array } {
    const labels = concat(this.labelChunks, this.rows * this.numClasses);
    const scores = concat(this.scoreChunks, this.rows * this.numClasses);
    this.labelChunks = [labels];
    this.scoreChunks = [scores];
    return { labels, scores };
  }

  /** Forgets every row. */
  reset(): void {
    this.labelChunks = [];
    this.scoreChunks = [];
    this.rows = 0;
  }
}

function concat(chunks: Float32Array[], length: number): Float32Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Float32Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * {@link averagePrecision} accumulated over batches: `update` keeps each batch's labels and
 * scores (AP ranks all samples together), `compute` ranks them, `reset` forgets them.
 *
 * @example
 * ```ts
 * const ap = new AveragePrecision();
 * ap.update([1, 0], [0.9, 0.8]);
 * ap.update([1], [0.3]);
 * ap.compute(); // 0.8333, as averagePrecision([1, 0, 1], [0.9, 0.8, 0.3])
 * ```
 */
export class AveragePrecision {
  private inner = new MeanAveragePrecision(1);

  /** Number of samples seen since the last reset. */
  get size(): number {
    return this.inner.size;
  }

  /** Adds a batch of 0/1 labels and finite scores (host arrays, or `[N]` tensors read once). */
  update(labels: ArrayLike<number>, scores: ArrayLike<number>): void;
  update(
    labels: ArrayLike<number> | tf.Tensor,
    scores: ArrayLike<number> | tf.Tensor,
  ): Promise<void>;
  update(
    labels: ArrayLike<number> | tf.Tensor,
    scores: ArrayLike<number> | tf.Tensor,
  ): void | Promise<void> {
    const fn = 'AveragePrecision.update';
    return hostOrTensors(
      fn,
      [
        ['labels', labels, 'vector'],
        ['scores', scores, 'vector'],
      ],
      (l, sc) => {
        assertVector(l, fn, 'labels');
        assertVector(sc, fn, 'scores');
        assertSameLength(l, sc, fn, 'labels', 'scores');
        this.inner.update(l, sc);
      },
    );
  }

  /** The AP of every sample seen, or `null` when none was positive. */
  compute(): number | null {
    if (this.inner.size === 0)
      fail(
        'INVALID_STATE',
        'AveragePrecision.compute',
        'this',
        'updated with at least one sample',
        'none since the last reset',
      );
    const { labels, scores } = this.inner.rowsSeen();
    return averagePrecisionOfColumn(labels, scores, labels.length, 1, 0);
  }

  /** Forgets every sample. */
  reset(): void {
    this.inner.reset();
  }
}
