import { assertNumber, createRng, type Dataset, fail, type Rng } from '@tailwise/core';
import {
  longTail,
  type MissingLabelSetting,
  missingLabels,
  partialLabels,
  semiSupervisedSplit,
} from '@tailwise/datasets';

// Browser-safe: the weak-label part of an experiment, for any dataset (a named one, or a
// user's file loaded by the CLI's --data).

/** A built experiment dataset. */
export interface ExperimentData {
  train: Dataset;
  test: Dataset;
  /** With `labeledFraction`: the training samples whose labels are hidden. */
  unlabeled?: Dataset;
  description: string;
}

/** How a run's training data is made long-tailed and weakly labeled (any dataset). */
export interface WeakLabelSpec {
  /** Imbalance ratio γ: subsample the training set to a long tail. Off when undefined. */
  gamma?: number;
  /** Which class gets which size (docs/methods/000-plr.md). Default 'natural'. */
  order?: 'natural' | 'permuted';
  /** Partial-label flip probability ψ: adds candidate sets to the training set. */
  psi?: number;
  /** Keep labels on this fraction of the training set per class; the rest is `unlabeled`. */
  labeledFraction?: number;
  /**
   * Multi-label sets: hide training labels once, as paper 001's PAL / PPL / SPL settings
   * (docs/methods/001-partial-annotations.md).
   */
  setting?: MissingLabelSetting;
  /** Kept fraction for `setting` PAL (entries) or PPL (positives), in (0, 1]. */
  keep?: number;
  /** Seed of every random choice. */
  seed: number;
}

/**
 * Applies a long tail, partial labels and a semi-supervised split to a (user's) training set;
 * the test set is left as it is. `parts` start the description (e.g. the dataset's name).
 * Works on any dataset: images or feature vectors.
 */
export function buildExperimentData(
  base: { train: Dataset; test: Dataset },
  spec: WeakLabelSpec,
  rng = createRng(spec.seed),
  parts: string[] = [base.train.name],
): ExperimentData {
  let train = base.train;
  const test = base.test;
  if (spec.gamma !== undefined) {
    assertNumber(spec.gamma, { min: 1 }, 'buildExperimentData', 'gamma');
    const order = spec.order ?? 'natural';
    train = longTail(train, { gamma: spec.gamma, rng: rng.split(), order });
    parts.push(`γ=${spec.gamma}`, order);
  }
  if (spec.psi !== undefined) {
    train = partialLabels(train, { psi: spec.psi, rng: rng.split() });
    parts.push(`ψ=${spec.psi}`);
  }
  if (spec.setting !== undefined || spec.keep !== undefined) {
    train = withMissingLabels(train, spec, rng.split());
    parts.push(spec.setting === 'SPL' ? 'SPL' : `${spec.setting}_${spec.keep}`);
  }
  let unlabeled: Dataset | undefined;
  if (spec.labeledFraction !== undefined) {
    const split = semiSupervisedSplit(train, {
      labeledFraction: spec.labeledFraction,
      rng: rng.split(),
    });
    train = split.labeled;
    unlabeled = split.unlabeled;
    parts.push(`labeled ${spec.labeledFraction}`);
  }
  const sizes = unlabeled
    ? `${train.size} labeled + ${unlabeled.size} unlabeled training`
    : `${train.size} training`;
  return {
    train,
    test,
    ...(unlabeled ? { unlabeled } : {}),
    description: `${parts.join(', ')}: ${sizes}, ${test.size} test samples`,
  };
}

/**
 * Applies `spec.setting` / `spec.keep` to a multi-label training set (`missingLabels`). Shared by
 * the named datasets and files loaded with `--data`.
 */
export function withMissingLabels(
  train: Dataset,
  spec: { setting?: MissingLabelSetting; keep?: number },
  rng: Rng,
): Dataset {
  const fn = 'loadExperimentData';
  if (spec.setting === undefined)
    fail(
      'INVALID_OPTION',
      fn,
      'setting',
      "'PAL', 'PPL' or 'SPL' when `keep` is given",
      'undefined',
    );
  if (train.multiLabels === undefined)
    fail(
      'INVALID_OPTION',
      fn,
      'setting',
      'used only with a multi-label dataset (multi-mnist-lt, multi-fashion-lt, a multi-label CSV)',
      `'${spec.setting}' on '${train.name}'`,
    );
  return missingLabels(train, {
    setting: spec.setting,
    ...(spec.keep === undefined ? {} : { keep: spec.keep }),
    rng,
  });
}
