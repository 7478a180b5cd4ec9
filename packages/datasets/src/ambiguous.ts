import type { Dataset, Rng } from '@tailwise/core';
import {
  assertNumber,
  assertRng,
  describeValue,
  fail,
  formatShape,
  withDefaults,
} from '@tailwise/core';
import { assertDataset, rowLength } from './internal/loaders-dataset';
import { assertLabeledDataset } from './internal/weak-checks';

/** Options of {@link ambiguousMixup}. */
export interface AmbiguousMixupOptions {
  /** Number m >= 2 of instances mixed into each sample. Default 2 (paper 003, §V). */
  m?: number;
  /** Number r >= 1 of multinomial trials: `r·λ ~ Multinomial(r; 1/m, …, 1/m)`. Default 4. */
  r?: number;
  /** Number of samples to generate. Default `dataset.size`. */
  size?: number;
  /** Source of randomness (`createRng(seed)`). Required. */
  rng: Rng;
}

/** Options of {@link ambiguousPatchMix}. */
export interface AmbiguousPatchMixOptions {
  /** Number m >= 2 of instances whose patches make each sample. Default 4 (paper 003, §V). */
  m?: number;
  /** Patches per side: the image is cut into `grid × grid` patches. Default 2. */
  grid?: number;
  /**
   * Number of multinomial trials, one per patch: must equal `grid²` (the default), so the
   * proportions `λ` are the shares of patches each instance fills.
   */
  r?: number;
  /** Number of samples to generate. Default `dataset.size`. */
  size?: number;
  /** Source of randomness (`createRng(seed)`). Required. */
  rng: Rng;
}

/** Checks the shared options and the dataset; returns the source row length. */
function checkCommon(
  dataset: Dataset,
  o: { m: number; r: number; size: number; rng: Rng },
  fn: string,
): number {
  assertDataset(dataset, fn);
  assertLabeledDataset(dataset, fn);
  assertRng(o.rng, fn);
  assertNumber(o.m, { min: 2, integer: true }, fn, 'm');
  assertNumber(o.r, { min: 1, integer: true }, fn, 'r');
  assertNumber(o.size, { min: 0, integer: true }, fn, 'size');
  if (o.m > dataset.size) {
    fail(
      'INVALID_OPTION',
      fn,
      'm',
      `at most the dataset's ${dataset.size} samples (m distinct instances per mixture)`,
      String(o.m),
    );
  }
  return rowLength(dataset.inputShape);
}

/** m distinct row indices, uniform (rejection: m is tiny next to N). */
function drawSources(rng: Rng, n: number, m: number): number[] {
  const picked: number[] = [];
  while (picked.length < m) {
    const i = rng.int(n);
    if (!picked.includes(i)) picked.push(i);
  }
  return picked;
}

/** Multinomial(r; 1/m, …) counts, one uniform draw per trial. */
function multinomialCounts(rng: Rng, m: number, r: number): number[] {
  const counts = new Array<number>(m).fill(0);
  for (let t = 0; t < r; t++) counts[rng.int(m)]! += 1;
  return counts;
}

/** Quantizes a soft label (Definition 1): one class drawn with probability s_k. */
function quantize(rng: Rng, soft: Float32Array, row: number, c: number): number {
  const u = rng.uniform();
  let acc = 0;
  let last = 0;
  for (let k = 0; k < c; k++) {
    const s = soft[row + k]!;
    if (s <= 0) continue;
    last = k;
    acc += s;
    if (u < acc) return k;
  }
  return last; // rounding: u within float error of 1
}

/**
 * Mixup-based ambiguous data with quantized labels (QLL, paper 003, §IV): every sample mixes m
 * distinct instances drawn uniformly, with weights `λ` from `r·λ ~ Multinomial(r; 1/m, …, 1/m)`:
 * `x̃ = Σ_i λ_i·x_i`, soft label `s̃ = Σ_i λ_i·onehot(y_i)`, and one hard label sampled from `s̃`
 * (Definition 1, eq. 1). A weight can be 0 (then fewer instances show), as the paper's
 * multinomial allows. Works for images and feature vectors alike (any `inputShape`): the
 * tabular variant of the setting.
 *
 * Use it on the training set only; the test set stays clean (paper 003, §V).
 *
 * @example
 * ```ts
 * const train = ambiguousMixup(fashion.train, { m: 2, r: 4, size: 5000, rng: createRng(0) });
 * train.labels;     // the quantized labels (train on these)
 * train.softLabels; // the soft labels they were drawn from (for analysis only)
 * ```
 * @returns A new Dataset `<name>-q`: float32 `features` (uint8 pixels divided by 255 before
 * mixing, float features mixed as they are), `labels` = quantized labels, `softLabels` (N × C).
 * The input is not modified. No tensors are created.
 * @throws `INVALID_OPTION` for m < 2, m above the dataset size, r < 1 or a missing `rng`;
 * `INVALID_VALUE` for a dataset without labels or with labels outside [0, C).
 */
export function ambiguousMixup(dataset: Dataset, options: AmbiguousMixupOptions): Dataset {
  const fn = 'ambiguousMixup';
  const o = withDefaults<Required<AmbiguousMixupOptions>>(
    options,
    {
      m: 2,
      r: 4,
      size: (dataset as Partial<Dataset>)?.size ?? 0,
      rng: undefined as unknown as Rng,
    },
    fn,
  );
  const d = checkCommon(dataset, o, fn);
  const { numClasses: c, features: src } = dataset;
  const labels = dataset.labels!;
  const scale = src instanceof Uint8Array ? 1 / 255 : 1;
  const features = new Float32Array(o.size * d);
  const softLabels = new Float32Array(o.size * c);
  const hard = new Int32Array(o.size);
  for (let s = 0; s < o.size; s++) {
    const sources = drawSources(o.rng, dataset.size, o.m);
    const counts = multinomialCounts(o.rng, o.m, o.r);
    const out = s * d;
    for (let i = 0; i < o.m; i++) {
      if (counts[i] === 0) continue;
      const lambda = counts[i]! / o.r;
      const from = sources[i]! * d;
      const w = lambda * scale;
      for (let j = 0; j < d; j++) features[out + j]! += w * src[from + j]!;
      softLabels[s * c + labels[sources[i]!]!]! += lambda;
    }
    hard[s] = quantize(o.rng, softLabels, s * c, c);
  }
  return {
    name: `${dataset.name}-q`,
    size: o.size,
    inputShape: [...dataset.inputShape],
    features,
    numClasses: c,
    labels: hard,
    softLabels,
    ...(dataset.classNames === undefined ? {} : { classNames: dataset.classNames }),
  };
}

/**
 * PatchMix-based ambiguous images with quantized labels (QLL, paper 003, §IV, a generalized
 * CutMix): the image is cut into `grid × grid` patches; the patches are shared out among m
 * distinct instances drawn uniformly, `r·λ ~ Multinomial(r; 1/m, …)` with r = grid² (one trial
 * per patch), and placed at random positions: `x̃ = Σ_i M_i ⊙ x_i` with `Σ_i M_i = 1`. The soft
 * label is each instance's share of the pixels (λ exactly when the grid divides the image),
 * and one hard label is sampled from it (Definition 1). Patch borders sit at
 * `floor(k·H/grid)`, `floor(k·W/grid)`.
 *
 * @example
 * ```ts
 * const train = ambiguousPatchMix(mnist.train, { m: 4, grid: 2, size: 5000, rng: createRng(0) });
 * ```
 * @param dataset Images: `inputShape` `[H, W]` or `[H, W, channels]`, with `labels`.
 * @returns A new Dataset `<name>-q` with `features` of the input's array type (pixels are
 * copied, uint8 stays uint8), `labels` = quantized labels and `softLabels` (N × C). The input
 * is not modified. No tensors are created.
 * @throws `INVALID_OPTION` for m < 2, m above the dataset size, `r ≠ grid²`, a grid finer than
 * the image or a missing `rng`; `INVALID_VALUE` for non-image inputs or bad labels.
 */
export function ambiguousPatchMix(dataset: Dataset, options: AmbiguousPatchMixOptions): Dataset {
  const fn = 'ambiguousPatchMix';
  const grid = (options as Partial<AmbiguousPatchMixOptions> | undefined)?.grid ?? 2;
  const o = withDefaults<Required<AmbiguousPatchMixOptions>>(
    options,
    {
      m: 4,
      grid: 2,
      r: typeof grid === 'number' ? grid * grid : 4,
      size: (dataset as Partial<Dataset>)?.size ?? 0,
      rng: undefined as unknown as Rng,
    },
    fn,
  );
  assertNumber(o.grid, { min: 1, integer: true }, fn, 'grid');
  const d = checkCommon(dataset, o, fn);
  const shape = dataset.inputShape;
  if (shape.length !== 2 && shape.length !== 3) {
    fail(
      'INVALID_VALUE',
      fn,
      'dataset.inputShape',
      'images, [H, W] or [H, W, channels]',
      formatShape(shape),
    );
  }
  const [h, w] = shape as [number, number];
  const channels = shape.length === 3 ? shape[2]! : 1;
  if (o.grid > h || o.grid > w) {
    fail(
      'INVALID_OPTION',
      fn,
      'grid',
      `at most the image side (${Math.min(h, w)})`,
      String(o.grid),
    );
  }
  if (o.r !== o.grid * o.grid) {
    fail(
      'INVALID_OPTION',
      fn,
      'r',
      `grid² = ${o.grid * o.grid} (one multinomial trial per patch)`,
      describeValue(o.r),
    );
  }
  const { numClasses: c, features: src } = dataset;
  const labels = dataset.labels!;
  const features =
    src instanceof Uint8Array ? new Uint8Array(o.size * d) : new Float32Array(o.size * d);
  const softLabels = new Float32Array(o.size * c);
  const hard = new Int32Array(o.size);
  const rowEdge = Array.from({ length: o.grid + 1 }, (_, k) => Math.floor((k * h) / o.grid));
  const colEdge = Array.from({ length: o.grid + 1 }, (_, k) => Math.floor((k * w) / o.grid));
  const pixels = h * w;
  for (let s = 0; s < o.size; s++) {
    const sources = drawSources(o.rng, dataset.size, o.m);
    const counts = multinomialCounts(o.rng, o.m, o.r);
    // The multiset of patch owners, shuffled over the patch positions.
    const owners: number[] = [];
    counts.forEach((n, i) => {
      for (let k = 0; k < n; k++) owners.push(i);
    });
    o.rng.shuffle(owners);
    const out = s * d;
    for (let p = 0; p < owners.length; p++) {
      const source = sources[owners[p]!]!;
      const from = source * d;
      const pr = Math.floor(p / o.grid);
      const pc = p % o.grid;
      let area = 0;
      for (let y = rowEdge[pr]!; y < rowEdge[pr + 1]!; y++) {
        const start = (y * w + colEdge[pc]!) * channels;
        const end = (y * w + colEdge[pc + 1]!) * channels;
        for (let j = start; j < end; j++) features[out + j] = src[from + j]!;
        area += colEdge[pc + 1]! - colEdge[pc]!;
      }
      softLabels[s * c + labels[source]!]! += area / pixels;
    }
    hard[s] = quantize(o.rng, softLabels, s * c, c);
  }
  return {
    name: `${dataset.name}-q`,
    size: o.size,
    inputShape: [...shape],
    features,
    numClasses: c,
    labels: hard,
    softLabels,
    ...(dataset.classNames === undefined ? {} : { classNames: dataset.classNames }),
  };
}
