import { assertNumber, assertOneOf, createRng, type Dataset, fail } from '@tailwise/core';
import {
  ambiguousMixup,
  ambiguousPatchMix,
  longTailCounts,
  type MissingLabelSetting,
  subset,
  superimpose,
} from '@tailwise/datasets';
import { loadFashionMnist, loadMnist } from '@tailwise/datasets/node';
import { convNet, mlp, resNet, wideResNet } from '@tailwise/models';
import { buildExperimentData, type ExperimentData } from './experiment-data';
import type { ModelFactory } from './trainer';

export type { ExperimentData } from './experiment-data';

/** Datasets the CLI and benchmarks know by name. `-lt` variants get a long-tailed training set. */
export const DATASET_NAMES = [
  'mnist',
  'mnist-lt',
  'fashion-mnist',
  'fashion-mnist-lt',
  'multi-mnist-lt',
  'multi-fashion-lt',
  'mnist-q',
  'fashion-mnist-q',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Model builders by name. */
export const MODEL_NAMES = ['mlp', 'cnn', 'cnn-small', 'resnet20', 'resnet32', 'wrn-28-2'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** How to build a run's data: which set, how long-tailed, and which weak labels. */
export interface DatasetSpec {
  name: DatasetName;
  /** Imbalance ratio γ of the long-tailed training set (`-lt` names). Default 100. */
  gamma?: number;
  /** Which class gets which size (docs/methods/000-plr.md). Default 'natural'. */
  order?: 'natural' | 'permuted';
  /** Partial-label flip probability ψ: adds candidate sets to the training set. */
  psi?: number;
  /** Seed of every random choice in building the data. */
  seed: number;
  /** Fashion-MNIST directory (Debian's by default). */
  dir?: string;
  /**
   * Semi-supervised split: keep labels on this fraction of the (long-tailed) training set per
   * class; the rest becomes `unlabeled` (docs/methods/004-udal.md).
   */
  labeledFraction?: number;
  /**
   * Multi-label sets: hide training labels once, as paper 001's PAL / PPL / SPL settings
   * (docs/methods/001-partial-annotations.md); the test set keeps full labels.
   */
  setting?: MissingLabelSetting;
  /** Kept fraction for `setting` PAL (entries) or PPL (positives), in (0, 1]. */
  keep?: number;
  /** Multi-label sets: number of training / test images to compose. Defaults 12000 / 3000. */
  multiTrainSize?: number;
  multiTestSize?: number;
  /**
   * `-q` sets (paper 003): how the ambiguous training mixtures are made, `'mixup'` (default) or
   * `'patchmix'`; `m` instances per mixture (default 2 for mixup, 4 for patchmix), `r`
   * multinomial trials (default 4), `grid` patches per side (default 2).
   */
  mix?: 'mixup' | 'patchmix';
  m?: number;
  r?: number;
  grid?: number;
  /** `-q` sets: number of training mixtures (default: the source training set's size). */
  trainSize?: number;
  /** Evaluate on a seeded random subset of this many clean test samples (default: all). */
  testSize?: number;
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
  let train: Dataset = base.train;
  let test: Dataset = base.test;
  const parts: string[] = [spec.name];
  if (spec.name.endsWith('-q')) {
    // Paper 003: ambiguous training mixtures with quantized labels; the test set stays clean.
    const mix = spec.mix ?? 'mixup';
    assertOneOf(mix, ['mixup', 'patchmix'] as const, 'loadExperimentData', 'mix');
    const m = spec.m ?? (mix === 'mixup' ? 2 : 4);
    const size = spec.trainSize ?? train.size;
    train =
      mix === 'mixup'
        ? ambiguousMixup(train, { m, r: spec.r ?? 4, size, rng: rng.split() })
        : ambiguousPatchMix(train, {
            m,
            grid: spec.grid ?? 2,
            ...(spec.r === undefined ? {} : { r: spec.r }),
            size,
            rng: rng.split(),
          });
    parts.push(`${mix === 'mixup' ? 'Mixup' : 'PatchMix'} m=${m}`);
  } else {
    for (const key of ['mix', 'm', 'r', 'grid', 'trainSize'] as const) {
      if (spec[key] !== undefined) {
        fail(
          'INVALID_OPTION',
          'loadExperimentData',
          key,
          `used only with an ambiguous dataset (${DATASET_NAMES.filter((n) => n.endsWith('-q')).join(', ')})`,
          String(spec[key]),
        );
      }
    }
  }
  if (spec.testSize !== undefined && spec.testSize < test.size) {
    assertNumber(spec.testSize, { min: 1, integer: true }, 'loadExperimentData', 'testSize');
    const rows = rng
      .split()
      .permutation(test.size)
      .slice(0, spec.testSize)
      .sort((a, b) => a - b);
    test = subset(test, rows);
  }
  return buildExperimentData({ train, test }, longTailed ? { ...spec, gamma } : spec, rng, parts);
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
    case 'cnn-small':
      // Half the filters of 'cnn' (16, 32): about 3× faster to train on wasm.
      return (seed) => convNet({ inputShape: shape, numClasses, seed, filters: [16, 32] });
    case 'resnet20':
      return (seed) => resNet({ inputShape: shape, numClasses, seed, depth: 20 });
    case 'resnet32':
      return (seed) => resNet({ inputShape: shape, numClasses, seed, depth: 32 });
    case 'wrn-28-2':
      return (seed) => wideResNet({ inputShape: shape, numClasses, seed, depth: 28, widen: 2 });
  }
}
