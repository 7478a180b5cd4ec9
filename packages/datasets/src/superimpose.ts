import type { Dataset, Rng } from '@tailwise/core';
import {
  assertBoolean,
  assertFiniteValues,
  assertImageShape,
  assertNumber,
  assertRng,
  describeValue,
  fail,
  withDefaults,
} from '@tailwise/core';
import { assertLabeledDataset, assertPerClass } from './internal/weak-checks';

/** Options of {@link superimpose}. */
export interface SuperimposeOptions {
  /** Source of randomness (`createRng(seed)`). Required. */
  rng: Rng;
  /** Number of source images per sample. Default 2 (MultiMNIST, paper 002). */
  count?: number;
  /**
   * Largest random offset in pixels, per axis: each source moves by an integer drawn
   * uniformly from [−shift, shift] vertically and horizontally. Default 6 (paper 002).
   */
  shift?: number;
  /** Side of the square output canvas. Default 32 (paper 002 pads 28×28 digits to 32×32). */
  canvas?: number;
  /** Number of samples to generate. Default `dataset.size`. */
  size?: number;
  /**
   * Per-class weights (length C, non-negative, any positive sum) for drawing each source's
   * class; the image is then uniform within its class. Default: uniform over the classes
   * that have images (a balanced set). Pass the class counts to draw images uniformly
   * from the source set (its own imbalance), or long-tail weights for an imbalanced set.
   */
  classWeights?: ArrayLike<number>;
  /**
   * Draw the classes of one sample without replacement (all sources have different
   * labels), as paper 002 builds its MultiMNIST test set. Default `false` (the training
   * set, where a digit can co-occur with itself).
   */
  distinct?: boolean;
}

/**
 * Builds a multi-label image set by superimposing single-label images, as the imbalanced
 * MultiMNIST / MultiFashion of PLM (paper 002, §5 and Appendix C): each sample is the
 * pixel-wise maximum of `count` source images, each centred on a `canvas × canvas` black
 * canvas ("padded to 32 × 32") and moved by a random integer offset in [−shift, shift] on
 * both axes (pixels moved off the canvas are cut); its labels are the union of the sources'
 * labels.
 *
 * `x_i = max_k pad_shift(x_{s_ik})`, `multiLabels[i, c] = 1` iff some source `s_ik` has
 * label c. Source classes are drawn with probabilities ∝ `classWeights` (uniform when
 * omitted), without replacement when `distinct`.
 *
 * Paper 002's training set pairs each long-tailed MNIST image with a random other one
 * (`classWeights` = the long-tailed class counts); its test set pairs each test image with
 * digits of other labels (`distinct: true`, uniform weights). Pure host-side JavaScript.
 *
 * @example
 * ```ts
 * const train = superimpose(mnistLongTail, { rng, classWeights: longTailClassCounts });
 * const test = superimpose(mnistTest, { rng, distinct: true, size: 90_000 });
 * ```
 *
 * @param dataset A single-label image dataset with `inputShape` `[H, W]` or `[H, W, 1]`.
 * @returns A new Dataset with `inputShape [canvas, canvas, 1]`, `features` of the input's
 * array type (uint8 stays uint8), and `multiLabels` (N × C float32 in {0, 1}); no `labels`.
 * No tensors are created.
 * @throws `INVALID_VALUE` for a dataset without labels or without gray images;
 * `INVALID_OPTION` for bad options (e.g. more `distinct` sources than classes with weight);
 * `SHAPE_MISMATCH` for `classWeights` of the wrong length.
 */
export function superimpose(dataset: Dataset, options: SuperimposeOptions): Dataset {
  const fn = 'superimpose';
  assertLabeledDataset(dataset, fn);
  const o = withDefaults<Required<SuperimposeOptions>>(
    options,
    {
      rng: undefined as unknown as Rng,
      count: 2,
      shift: 6,
      canvas: 32,
      size: dataset.size,
      classWeights: undefined as unknown as ArrayLike<number>,
      distinct: false,
    },
    fn,
  );
  assertRng(o.rng, fn);
  assertNumber(o.count, { min: 1, integer: true }, fn, 'count');
  assertNumber(o.shift, { min: 0, integer: true }, fn, 'shift');
  assertNumber(o.canvas, { min: 1, integer: true }, fn, 'canvas');
  assertNumber(o.size, { min: 0, integer: true }, fn, 'size');
  assertBoolean(o.distinct, fn, 'distinct');

  const shape = dataset.inputShape;
  assertImageShape(shape, fn, 'dataset.inputShape', { channels: [1], allowNoChannel: true });
  const [h, w] = shape as [number, number];
  if (o.canvas < Math.max(h, w)) {
    // A smaller canvas would silently crop every source image.
    fail(
      'INVALID_OPTION',
      fn,
      'canvas',
      `an integer >= ${Math.max(h, w)} (the images are ${h} × ${w})`,
      String(o.canvas),
    );
  }
  const pixels = h * w;
  const source = dataset.features;
  if (
    !(source instanceof Uint8Array || source instanceof Float32Array) ||
    source.length !== dataset.size * pixels
  ) {
    fail(
      'INVALID_VALUE',
      fn,
      'dataset.features',
      `${dataset.size} × ${pixels} pixel values`,
      describeValue(source),
    );
  }
  if (source instanceof Float32Array) assertFiniteValues(source, fn, 'dataset.features');

  const c = dataset.numClasses;
  const byClass: number[][] = Array.from({ length: c }, () => []);
  dataset.labels.forEach((y, i) => {
    byClass[y]!.push(i);
  });
  const weights = new Float64Array(c);
  if (o.classWeights === undefined) {
    for (let k = 0; k < c; k++) weights[k] = byClass[k]!.length > 0 ? 1 : 0;
  } else {
    assertPerClass(o.classWeights, c, fn, 'classWeights');
    for (let k = 0; k < c; k++) {
      const v = o.classWeights[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        fail(
          'INVALID_OPTION',
          fn,
          'classWeights',
          'non-negative finite weights',
          `${describeValue(v)} at class ${k}`,
        );
      }
      if (v > 0 && byClass[k]!.length === 0) {
        fail(
          'INVALID_OPTION',
          fn,
          'classWeights',
          'zero for classes without images',
          `${v} for class ${k}, which has no image`,
        );
      }
      weights[k] = v;
    }
  }
  const usable = weights.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  if (usable === 0) {
    fail(
      'INVALID_OPTION',
      fn,
      'classWeights',
      'positive for at least one class with images',
      describeValue(Array.from(weights)),
    );
  }
  if (o.distinct && o.count > usable) {
    fail(
      'INVALID_OPTION',
      fn,
      'count',
      `at most ${usable} (classes with positive weight) when \`distinct\``,
      String(o.count),
    );
  }

  const side = o.canvas;
  const area = side * side;
  const features =
    source instanceof Uint8Array ? new Uint8Array(o.size * area) : new Float32Array(o.size * area);
  const multiLabels = new Float32Array(o.size * c);
  // Paper 002, App. C: "padded to become 32 × 32" — the image sits in the centre of the
  // canvas (floor for odd margins), then moves by the random offset.
  const baseTop = Math.floor((side - h) / 2);
  const baseLeft = Math.floor((side - w) / 2);
  for (let i = 0; i < o.size; i++) {
    const classes = o.rng.choice(c, o.count, { replace: !o.distinct, p: weights });
    const out = i * area;
    for (const k of classes) {
      const members = byClass[k]!;
      const j = members[o.rng.int(members.length)]!;
      const top = baseTop + o.rng.int(2 * o.shift + 1) - o.shift;
      const left = baseLeft + o.rng.int(2 * o.shift + 1) - o.shift;
      multiLabels[i * c + k] = 1;
      for (let r = 0; r < h; r++) {
        const y = top + r;
        if (y < 0 || y >= side) continue;
        for (let q = 0; q < w; q++) {
          const x = left + q;
          if (x < 0 || x >= side) continue;
          const v = source[j * pixels + r * w + q]!;
          const at = out + y * side + x;
          if (v > features[at]!) features[at] = v;
        }
      }
    }
  }

  return {
    name: `multi-${dataset.name}`,
    size: o.size,
    inputShape: [side, side, 1],
    features,
    numClasses: c,
    multiLabels,
    ...(dataset.classNames === undefined ? {} : { classNames: dataset.classNames }),
  };
}
