import { assertTrainCounts } from './internal/inputs';
import { ConfusionAccumulator, singleLabelTallies } from './internal/single-label';
import {
  accuracyFromCounts,
  meanOfPresent,
  perClassFromTallies,
  type ShotGroupAccuracyResult,
  shotGroupAccuracyFromTallies,
  talliesFromConfusion,
} from './internal/steps';
import { hostOrTensors, type IndexInput } from './internal/tensor-inputs';

function toRows(counts: Float64Array, numClasses: number): number[][] {
  return Array.from({ length: numClasses }, (_, r) =>
    Array.from(counts.subarray(r * numClasses, (r + 1) * numClasses)),
  );
}

/**
 * Confusion matrix `M[t][p] = #{i : y_i = t, ŷ_i = p}`: rows are true classes, columns
 * predicted classes; it sums to N. Tensors as in `accuracy` (the result is then a promise);
 * {@link ConfusionMatrix} accumulates.
 *
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1], [0, 0, 1], 2); // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): number[][];
export function confusionMatrix(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses: number,
): Promise<number[][]>;
export function confusionMatrix(
  labels: IndexInput,
  predictions: IndexInput,
  numClasses: number,
): number[][] | Promise<number[][]> {
  return hostOrTensors(
    'confusionMatrix',
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    (l, p) => toRows(singleLabelTallies(l, p, numClasses, 'confusionMatrix').counts, numClasses),
  );
}

/**
 * Accumulates a confusion matrix over batches (torchmetrics style): `update` per batch (host
 * arrays, or tensors read once — `update` then returns a promise), `compute` at the end,
 * `reset` to start over. The derived metrics call the same steps as `perClassAccuracy`,
 * `balancedAccuracy` and `shotGroupAccuracy`. Host-side: no tensors to dispose.
 *
 * @example
 * ```ts
 * const cm = new ConfusionMatrix(10);
 * for (const batch of testBatches) cm.update(batch.labels, batch.predictions);
 * cm.compute();                 // number[][]
 * cm.shotGroupAccuracy(trainCounts);
 * ```
 */
export class ConfusionMatrix extends ConfusionAccumulator {
  constructor(numClasses: number) {
    super(numClasses, 'ConfusionMatrix');
  }

  /** The matrix so far (a copy; rows = true classes). */
  compute(): number[][] {
    return toRows(this.counts, this.numClasses);
  }

  /** Accuracy over the samples seen: trace / N. */
  accuracy(): number {
    const t = this.tallies('accuracy');
    return accuracyFromCounts(
      t.correct.reduce((a, b) => a + b, 0),
      this.total,
    );
  }

  /** Per-class accuracy as `perClassAccuracy` (every class `null` before any sample). */
  perClassAccuracy(): (number | null)[] {
    return perClassFromTallies(talliesFromConfusion(this.counts, this.numClasses));
  }

  /** Balanced accuracy as `balancedAccuracy`. */
  balancedAccuracy(): number {
    return meanOfPresent(perClassFromTallies(this.tallies('balancedAccuracy')))!;
  }

  /** Shot-group accuracy as `shotGroupAccuracy`. */
  shotGroupAccuracy(trainCounts: ArrayLike<number>): ShotGroupAccuracyResult {
    const tallies = this.tallies('shotGroupAccuracy');
    assertTrainCounts(trainCounts, 'ConfusionMatrix.shotGroupAccuracy', this.numClasses);
    return shotGroupAccuracyFromTallies(tallies, trainCounts);
  }
}
