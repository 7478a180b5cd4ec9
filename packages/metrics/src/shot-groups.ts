import { assertTrainCounts } from './internal/inputs';
import { ConfusionAccumulator, singleLabelTallies } from './internal/single-label';
import {
  type ShotGroupAccuracyResult,
  type ShotGroups,
  shotGroupAccuracyFromTallies,
  shotGroupsOf,
} from './internal/steps';
import { hostOrTensors, type IndexInput } from './internal/tensor-inputs';

/**
 * Splits classes into many / medium / few-shot groups by training count (PLR paper 000 §4,
 * docs/methods/000-plr.md): classes sorted by count, descending (ties by class index, ascending);
 * many = the first ⌊C/3⌋, few = the last C − ⌊2C/3⌋, medium = the rest.
 * C = 10 gives 3 / 3 / 4 classes, C = 100 gives 33 / 33 / 34.
 *
 * @example
 * ```ts
 * shotGroups([500, 300, 100]); // { many: [0], medium: [1], few: [2] }
 * ```
 */
export function shotGroups(trainCounts: ArrayLike<number>): ShotGroups {
  assertTrainCounts(trainCounts, 'shotGroups');
  return shotGroupsOf(trainCounts);
}

/**
 * Accuracy overall and per shot group (see {@link shotGroups}). A group's accuracy is the
 * **mean of the per-class accuracies** of its classes (classes without a test sample left out;
 * `null` if no class of the group has one); `sampleWeighted` gives correct / samples within the
 * group instead. The two agree on a class-balanced test set. `overall` is correct / N.
 *
 * `numClasses` is `trainCounts.length`. Tensors as in `accuracy` (the result is then a
 * promise); {@link ShotGroupAccuracy} accumulates.
 *
 * @example
 * ```ts
 * const r = shotGroupAccuracy(testLabels, predictions, trainCounts);
 * r.many; r.medium; r.few; r.groups.few; // class indices of the few-shot group
 * ```
 */
export function shotGroupAccuracy(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  trainCounts: ArrayLike<number>,
): ShotGroupAccuracyResult;
export function shotGroupAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  trainCounts: ArrayLike<number>,
): Promise<ShotGroupAccuracyResult>;
export function shotGroupAccuracy(
  labels: IndexInput,
  predictions: IndexInput,
  trainCounts: ArrayLike<number>,
): ShotGroupAccuracyResult | Promise<ShotGroupAccuracyResult> {
  const fn = 'shotGroupAccuracy';
  assertTrainCounts(trainCounts, fn);
  return hostOrTensors(
    fn,
    [
      ['labels', labels, 'indices'],
      ['predictions', predictions, 'indices'],
    ],
    (l, p) =>
      shotGroupAccuracyFromTallies(
        singleLabelTallies(l, p, trainCounts.length, fn).tallies,
        trainCounts,
      ),
  );
}

/**
 * {@link shotGroupAccuracy} accumulated over batches: `update` / `compute` / `reset`, as
 * `Accuracy`. The training counts are fixed at construction.
 *
 * @example
 * ```ts
 * const m = new ShotGroupAccuracy(trainCounts);
 * for (const { labels, logits } of testBatches) await m.update(labels, logits);
 * m.compute().few;
 * ```
 */
export class ShotGroupAccuracy extends ConfusionAccumulator {
  readonly trainCounts: readonly number[];

  constructor(trainCounts: ArrayLike<number>) {
    assertTrainCounts(trainCounts, 'ShotGroupAccuracy');
    super(trainCounts.length, 'ShotGroupAccuracy');
    this.trainCounts = Array.from(trainCounts);
  }

  /** Shot-group accuracy of the samples seen. */
  compute(): ShotGroupAccuracyResult {
    return shotGroupAccuracyFromTallies(this.tallies('compute'), this.trainCounts);
  }
}
