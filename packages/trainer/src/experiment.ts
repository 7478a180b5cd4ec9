import { assertNumber, assertOneOf, createRng, type Dataset, fail } from '@tailwise/core';
import {
  loadFashionMnist,
  loadMnist,
  longTail,
  longTailCounts,
  partialLabels,
  semiSupervisedSplit,
  superimpose,
} from '@tailwise/datasets';
import { convNet, mlp, resNet, wideResNet } from '@tailwise/models';
import type { ModelFactory } from './trainer';

/** Datasets the CLI and benchmarks know by name. `-lt` variants get a long-tailed training set. */
export const DATASET_NAMES = [
  'mnist',
  'mnist-lt',
  'fashion-mnist',
  'fashion-mnist-lt',
  'multi-mnist-lt',
  'multi-fashion-lt',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Model builders by name. */
export const MODEL_NAMES = ['mlp', 'cnn', 'resnet20', 'resnet32', 'wrn-28-2'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** How to build a run's data: which set, how long-tailed, and which weak labels. */
export interface DatasetSpec {
  name: DatasetName;
  /** Imbalance ratio γ of the long-tailed training set (`-lt` names). Default 100. */
  gamma?: number;
  /** Which class gets which size (METHODS.md §000). Default 'natural'. */
  order?: 'natural' | 'permuted';
  /** Partial-label flip probability ψ: adds candidate sets to the training set. */
  psi?: number;
  /** Seed of every random choice in building the data. */
  seed: number;
  /** Fashion-MNIST directory (Debian's by default). */
  dir?: string;
  /**
   * Semi-supervised split: keep labels on this fraction of the (long-tailed) training set per
   * class; the rest becomes `unlabeled` (METHODS.md §004).
   */
  labeledFraction?: number;
  /** Multi-label sets: number of training / test images to compose. Defaults 12000 / 3000. */
  multiTrainSize?: number;
  multiTestSize?: number;
}

/** A built experiment dataset. */
export interface ExperimentData {
  train: Dataset;
  test: Dataset;
  /** With `labeledFraction`: the training samples whose labels are hidden. */
  unlabeled?: Dataset;
  description: string;
}

/**
 * Loads a named dataset and applies the long tail and weak labels of `spec`. The test set is
 * left balanced.
 */
export async function loadExperimentData(spec: DatasetSpec): Promise<ExperimentData> {
  assertOneOf(spec.name, DATASET_NAMES, 'loadExperimentData', 'name');
  const rng = createRng(spec.seed);
  const source =
    spec.name.includes('mnist') && !spec.name.includes('fashion') ? 'mnist' : 'fashion';
  const base =
    source === 'mnist'
      ? loadMnist({ seed: spec.seed })
      : await loadFashionMnist(spec.dir === undefined ? {} : { dir: spec.dir });
  const gamma = spec.gamma ?? 100;
  const longTailed = spec.name.endsWith('-lt');
  if (longTailed) assertNumber(gamma, { min: 1 }, 'loadExperimentData', 'gamma');
  else if (spec.gamma !== undefined) {
    fail(
      'INVALID_OPTION',
      'loadExperimentData',
      'gamma',
      `used only with a long-tailed dataset (${DATASET_NAMES.filter((n) => n.endsWith('-lt')).join(', ')})`,
      String(spec.gamma),
    );
  }
  if (spec.name.startsWith('multi-')) {
    // Paper 002's imbalanced MultiMNIST / MultiFashion: images composed of two sources whose
    // classes are drawn from a long-tailed profile (train) or uniformly with distinct labels
    // (the balanced test set).
    const order = spec.order ?? 'natural';
    const counts = longTailCounts(1_000_000, base.train.numClasses, gamma);
    const classOrder =
      order === 'permuted'
        ? rng.split().permutation(base.train.numClasses)
        : counts.map((_, c) => c);
    const weights = new Array<number>(base.train.numClasses).fill(0);
    classOrder.forEach((cls, k) => {
      weights[cls] = counts[k]!;
    });
    const train = superimpose(base.train, {
      rng: rng.split(),
      classWeights: weights,
      size: spec.multiTrainSize ?? 12_000,
    });
    const test = superimpose(base.test, {
      rng: rng.split(),
      distinct: true,
      size: spec.multiTestSize ?? 3_000,
    });
    const { gamma: _g, order: _o, ...rest } = spec;
    return buildExperimentData({ train, test }, rest, rng, [spec.name, `γ=${gamma}`, order]);
  }
  return buildExperimentData(base, longTailed ? { ...spec, gamma } : spec, rng, [spec.name]);
}

/** How a run's training data is made long-tailed and weakly labeled (any dataset). */
export interface WeakLabelSpec {
  /** Imbalance ratio γ: subsample the training set to a long tail. Off when undefined. */
  gamma?: number;
  /** Which class gets which size (METHODS.md §000). Default 'natural'. */
  order?: 'natural' | 'permuted';
  /** Partial-label flip probability ψ: adds candidate sets to the training set. */
  psi?: number;
  /** Keep labels on this fraction of the training set per class; the rest is `unlabeled`. */
  labeledFraction?: number;
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

/** A seeded model factory by name for the given input shape and classes. */
export function modelFactory(
  name: ModelName,
  inputShape: readonly number[],
  numClasses: number,
): ModelFactory {
  assertOneOf(name, MODEL_NAMES, 'modelFactory', 'name');
  const shape = [...inputShape];
  switch (name) {
    case 'mlp':
      return (seed) => mlp({ inputShape: shape, numClasses, seed, hidden: [256] });
    case 'cnn':
      return (seed) => convNet({ inputShape: shape, numClasses, seed });
    case 'resnet20':
      return (seed) => resNet({ inputShape: shape, numClasses, seed, depth: 20 });
    case 'resnet32':
      return (seed) => resNet({ inputShape: shape, numClasses, seed, depth: 32 });
    case 'wrn-28-2':
      return (seed) => wideResNet({ inputShape: shape, numClasses, seed, depth: 28, widen: 2 });
  }
}
