import { assertFiniteValues, assertValuesIn, fail } from '@tailwise/core';
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

/**
 * Average precision of one binary problem: the mean, over the positive samples, of the
 * precision at that sample's score, `AP = (1/P)·Σ_{i: y_i = 1} #{j : s_j ≥ s_i, y_j = 1} / #{j : s_j ≥ s_i}`.
 * Tied scores count as one threshold (the area under the step precision-recall curve, as
 * scikit-learn's `average_precision_score`), so the order of tied samples does not matter.
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
): number | null {
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
 * `labels` N × C in {0, 1} and `scores` N × C, flat (row-major) or as rows.
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
): MeanAveragePrecisionResult {
  const fn = 'meanAveragePrecision';
  assertNumClasses(numClasses, fn);
  const { y, s } = readLabelsAndScores(labels, scores, numClasses, fn);
  return finish(meanAveragePrecisionOf(y.data, s.data, y.rows, y.cols), fn);
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

  /** Adds a batch of N × C labels in {0, 1} and finite scores (checked before it is kept). */
  update(labels: MatrixInput, scores: MatrixInput): void {
    const { y, s } = readLabelsAndScores(
      labels,
      scores,
      this.numClasses,
      'MeanAveragePrecision.update',
    );
    this.labelChunks.push(Float32Array.from(y.data));
    this.scoreChunks.push(Float32Array.from(s.data));
    this.rows += y.rows;
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
