import {
  assertClassIndices,
  assertOneOf,
  assertValuesIn,
  type Batch,
  type Dataset,
  fail,
} from '@tailwise/core';
import { binaryCrossEntropy, binaryFocalLoss } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Where the sigmoid recipes of the PLM family take their `[B, C]` 0/1 targets from:
 * `'multiLabels'` (multi-label data, evaluated with sigmoid/threshold 0.5), `'labels'`
 * (single-label data as one-hot targets, evaluated with argmax), or `'auto'`: `multiLabels`
 * when the training set has them, else `labels` (decided in `setup`, per training set).
 */
export type TargetSource = 'auto' | 'multiLabels' | 'labels';

/** The values {@link TargetSource} takes. */
export const TARGET_SOURCES = ['auto', 'multiLabels', 'labels'] as const;

/** The element-wise losses a recipe of the family can train with. */
export type BinaryLossName = 'bce' | 'focal' | 'classBalanced';

/** What a recipe trains on, resolved from the training set. */
export interface ResolvedTargets {
  readonly source: 'multiLabels' | 'labels';
  readonly task: 'single-label' | 'multi-label';
  readonly numClasses: number;
  /** `n_c⁺` per class over the training set. */
  readonly positives: number[];
  /** `n_c⁻ = N − n_c⁺` per class. */
  readonly negatives: number[];
}

/**
 * Resolves `target` against a training set and checks its labels once, on the host:
 * multi-label targets must be 0/1 (a −1 "unknown" state is refused: these recipes need every
 * label), class indices must lie in [0, C).
 */
export function resolveTargets(
  train: Dataset,
  target: TargetSource,
  functionName: string,
): ResolvedTargets {
  assertOneOf(target, TARGET_SOURCES, functionName, 'target');
  const source =
    target === 'auto'
      ? train.multiLabels !== undefined
        ? 'multiLabels'
        : train.labels !== undefined
          ? 'labels'
          : undefined
      : target;
  if (source === undefined || train[source] === undefined) {
    fail(
      'INVALID_VALUE',
      functionName,
      'train',
      source === undefined
        ? 'a dataset with `multiLabels` or `labels` (target: auto)'
        : `a dataset with \`${source}\` (target: ${source})`,
      `dataset '${train.name}' without it`,
    );
  }
  const C = train.numClasses;
  const positives = new Array<number>(C).fill(0);
  if (source === 'multiLabels') {
    const y = train.multiLabels!;
    if (y.length !== train.size * C) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'train.multiLabels',
        `${train.size} × ${C} values`,
        `${y.length} values`,
      );
    }
    assertValuesIn(y, [0, 1], functionName, 'train.multiLabels');
    for (let i = 0; i < y.length; i++) if (y[i] === 1) positives[i % C]! += 1;
  } else {
    const labels = train.labels!;
    if (labels.length !== train.size) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'train.labels',
        `${train.size} class indices`,
        `${labels.length} values`,
      );
    }
    assertClassIndices(labels, C, functionName, 'train.labels');
    for (let i = 0; i < labels.length; i++) positives[labels[i]!]! += 1;
  }
  return {
    source,
    task: source === 'multiLabels' ? 'multi-label' : 'single-label',
    numClasses: C,
    positives,
    negatives: positives.map((n) => train.size - n),
  };
}

/**
 * A batch's `[B, C]` float32 0/1 targets: its `multiLabels`, or its `labels` one-hot. The
 * result is a target (no gradient path to the weights); created in the caller's scope.
 */
export function batchTargets(batch: Batch, targets: ResolvedTargets): tf.Tensor2D {
  if (targets.source === 'multiLabels') return batch.multiLabels!;
  // Cast after oneHot: the wasm OneHot kernel ignores a float32 dtype (tfjs 4.22).
  return tf.cast(
    tf.oneHot(tf.cast(batch.labels!, 'int32'), targets.numClasses),
    'float32',
  ) as tf.Tensor2D;
}

/** Options of {@link binaryLoss}. */
export interface BinaryLossOptions {
  /** `[B, C]` 0/1 mask (PLM), applied to the per-element loss. */
  mask?: tf.Tensor;
  /** `[C]` class weights (class-balanced). */
  weights?: Float32Array;
  /** Focal γ. */
  gamma: number;
}

/**
 * Paper 002 eq. 1/2: the per-element loss summed over classes (`g_ic·ℓ_ic` with a mask,
 * `w_c·ℓ_ic` with class weights, eq. 8) and averaged over the batch:
 * `L = (1/B)·Σ_i Σ_c g_ic·w_c·ℓ(y_ic, x_ic)`. `loss` picks ℓ: BCE or the binary focal loss.
 */
export function binaryLoss(
  loss: 'bce' | 'focal',
  labels: tf.Tensor2D,
  logits: tf.Tensor2D,
  options: BinaryLossOptions,
): tf.Scalar {
  // docs/methods/002-plm.md (eq. 2 sums over classes): 'batchMean' divides by B, not by the
  // number of kept elements, so masking an entry removes its contribution instead of rescaling
  // the others.
  const reduce = {
    reduction: 'batchMean' as const,
    ...(options.mask ? { mask: options.mask } : {}),
    ...(options.weights ? { weights: options.weights } : {}),
  };
  return (
    loss === 'bce'
      ? binaryCrossEntropy(labels, logits, reduce)
      : binaryFocalLoss(labels, logits, { ...reduce, gamma: options.gamma })
  ) as tf.Scalar;
}

/** Refuses a `loss` option other than the recipe's own (a global `--loss` meant for PLM). */
export function assertOwnLoss(loss: unknown, own: BinaryLossName, functionName: string): void {
  if (loss !== undefined && loss !== own) {
    fail(
      'INVALID_OPTION',
      functionName,
      'loss',
      `'${own}' or absent (this recipe's loss is fixed; pass the loss of PLM as --opt plm.loss=…)`,
      typeof loss === 'string' ? `'${loss}'` : String(loss),
    );
  }
}
