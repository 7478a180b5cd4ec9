import type { Rng, TensorInput } from '@tailwise/core';
import {
  assertBoolean,
  assertImageBatch,
  assertNumber,
  assertOneOf,
  assertRank,
  assertRng,
  checkInRange,
  describeValue,
  fail,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  autoContrast,
  brightness,
  color,
  contrast,
  equalize,
  gatherPixels,
  posterize,
  rotate,
  sharpness,
  shear,
  solarize,
  translate,
} from './internal/weak-image-ops';

/** Options of {@link weakAugment}. */
export interface WeakAugmentOptions {
  /** Source of randomness (`createRng(seed)`); advanced on every call. Required. */
  rng: Rng;
  /** Flip each image horizontally with probability 0.5. Default `true`. */
  flip?: boolean;
  /**
   * Largest shift as a fraction of the image side, in [0, 0.5]: each image moves by an
   * integer number of pixels drawn uniformly from [−round(translate·H), round(translate·H)]
   * vertically (and likewise with W horizontally). Default 0.125 (4 pixels on 32×32).
   */
  translate?: number;
}

/** Reflects a coordinate into [0, n) without repeating the edge (tf.pad REFLECT). */
function reflect(p: number, n: number): number {
  if (p < 0) return -p;
  if (p > n - 1) return 2 * (n - 1) - p;
  return p;
}

function weakAugment_(x: TensorInput, options: WeakAugmentOptions): tf.Tensor4D {
  const fn = 'weakAugment';
  const o = withDefaults<Required<WeakAugmentOptions>>(
    options,
    { rng: undefined as unknown as Rng, flip: true, translate: 0.125 },
    fn,
  );
  assertRng(o.rng, fn);
  assertBoolean(o.flip, fn, 'flip');
  assertNumber(o.translate, { min: 0, max: 0.5 }, fn, 'translate');
  const images = toTensor(x, fn, 'x', 'float32') as tf.Tensor4D;
  assertRank(images, 4, fn, 'x');
  const [b, h, w] = images.shape;
  // Reflect padding needs the pad to be smaller than the side (a 1-pixel side cannot move).
  const padY = Math.min(Math.round(o.translate * h), h - 1);
  const padX = Math.min(Math.round(o.translate * w), w - 1);
  const index = new Int32Array(b * h * w);
  for (let n = 0; n < b; n++) {
    const flip = o.flip && o.rng.uniform() < 0.5;
    const ty = padY > 0 ? o.rng.int(2 * padY + 1) - padY : 0;
    const tx = padX > 0 ? o.rng.int(2 * padX + 1) - padX : 0;
    for (let y = 0; y < h; y++) {
      const sy = reflect(y + ty, h);
      for (let xo = 0; xo < w; xo++) {
        // Flip, then crop from the reflect-padded image: reflect padding is symmetric, so
        // the flipped padded image is the padded flipped image.
        const u = xo + tx;
        const sx = flip ? reflect(w - 1 - u, w) : reflect(u, w);
        index[(n * h + y) * w + xo] = (n * h + sy) * w + sx;
      }
    }
  }
  return gatherPixels(images, index, 0);
}

/**
 * FixMatch's weak augmentation: per image, a horizontal flip with probability 0.5, then a
 * random translation by whole pixels with **reflect padding** (pad by `translate·size`,
 * crop back at a random offset), as FixMatch's `augment_shift` (`tf.pad(..., 'REFLECT')`
 * then `random_crop`). UDAL (paper 004, Algorithm 1) and PLR (paper 000) use it for the
 * weak view.
 *
 * `out[y, x] = in[reflect(y + t_y), reflect(x' + t_x)]`, `x' = W − 1 − x` when flipped,
 * `t ~ U{−p, …, p}`, `p = round(translate·side)`.
 *
 * The random choices are drawn on the host from `rng`, so two calls differ and a seed
 * repeats a run on any backend. Pure permutation of pixels: values are not changed, so
 * inputs in [0, 1] stay in [0, 1].
 *
 * @example
 * ```ts
 * const xWeak = weakAugment(batch.x, { rng });
 * ```
 *
 * @param x Images `[B, H, W, C]` float32 (any C).
 * @returns A new `[B, H, W, C]` tensor owned by the caller.
 * @throws `SHAPE_MISMATCH` unless `x` has rank 4; `INVALID_OPTION` for a bad option.
 */
export const weakAugment = /* @__PURE__ */ tf.op({ weakAugment_ });

/** The operations {@link strongAugment} picks from (FixMatch's RandAugment list). */
export type StrongAugmentOp =
  | 'identity'
  | 'autoContrast'
  | 'equalize'
  | 'rotate'
  | 'solarize'
  | 'color'
  | 'contrast'
  | 'brightness'
  | 'sharpness'
  | 'shearX'
  | 'shearY'
  | 'translateX'
  | 'translateY'
  | 'posterize';

/**
 * The 14 operations of FixMatch's RandAugment (`RANDOM_POLICY_OPS` in its reference code),
 * with the magnitude each takes at `m ∈ [0, 1]`:
 * identity; autoContrast; equalize; rotate ±30·m degrees; solarize at level 256 − ⌊256·m⌋;
 * color, contrast, brightness and sharpness with factor 0.1 + 1.8·m; shearX/shearY ±0.3·m;
 * translateX/translateY ±round(0.3·m·side) pixels; posterize to 8 − ⌊4·m⌋ bits.
 */
export const strongAugmentOps: readonly StrongAugmentOp[] = Object.freeze([
  'identity',
  'autoContrast',
  'equalize',
  'rotate',
  'solarize',
  'color',
  'contrast',
  'brightness',
  'sharpness',
  'shearX',
  'shearY',
  'translateX',
  'translateY',
  'posterize',
] as const);

/** Options of {@link strongAugment}. */
export interface StrongAugmentOptions {
  /** Source of randomness (`createRng(seed)`); advanced on every call. Required. */
  rng: Rng;
  /** Number of operations drawn per image (with replacement). Default 2. */
  n?: number;
  /**
   * Fixed magnitude in [0, 1] for every operation. Default: random per operation and image,
   * uniform on {0.1, 0.2, …, 0.9} (FixMatch's randomized-magnitude RandAugment).
   */
  magnitude?: number;
  /** Probability that a drawn operation is applied. Default 0.5 (FixMatch reference code). */
  probability?: number;
  /**
   * Largest Cutout side as a fraction of the shorter image side, in [0, 1]; the side is drawn
   * per image uniformly from {0, …, round(cutout·side)}. 0 disables Cutout. Default 0.5.
   */
  cutout?: number;
  /** Gray level of Cutout and of pixels that rotate/shear/translate uncover. Default 0.5. */
  fill?: number;
  /** The operations to draw from. Default {@link strongAugmentOps} (all 14). */
  ops?: readonly StrongAugmentOp[];
}

function applyOp(
  op: StrongAugmentOp,
  images: tf.Tensor4D,
  m: Float64Array,
  sign: Float64Array,
  fill: number,
): tf.Tensor4D {
  switch (op) {
    case 'identity':
      return images;
    case 'autoContrast':
      return autoContrast(images);
    case 'equalize':
      return equalize(images);
    case 'rotate':
      return rotate(images, m, sign, fill);
    case 'solarize':
      return solarize(images, m);
    case 'color':
      return color(images, m);
    case 'contrast':
      return contrast(images, m);
    case 'brightness':
      return brightness(images, m);
    case 'sharpness':
      return sharpness(images, m);
    case 'shearX':
      return shear(images, m, sign, 'x', fill);
    case 'shearY':
      return shear(images, m, sign, 'y', fill);
    case 'translateX':
      return translate(images, m, sign, 'x', fill);
    case 'translateY':
      return translate(images, m, sign, 'y', fill);
    case 'posterize':
      return posterize(images, m);
  }
}

/** Applies one operation per image: images sharing an operation are processed together. */
function applyPerImage(
  images: tf.Tensor4D,
  opOf: StrongAugmentOp[],
  m: Float64Array,
  sign: Float64Array,
  fill: number,
): tf.Tensor4D {
  const groups = new Map<StrongAugmentOp, number[]>();
  opOf.forEach((op, i) => {
    const g = groups.get(op);
    if (g === undefined) groups.set(op, [i]);
    else g.push(i);
  });
  if (groups.size <= 1) return applyOp(opOf[0] ?? 'identity', images, m, sign, fill);
  const parts: tf.Tensor4D[] = [];
  const order: number[] = [];
  for (const [op, idx] of groups) {
    const sub = tf.gather(images, tf.tensor1d(idx, 'int32')) as tf.Tensor4D;
    const pick = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]!);
    parts.push(applyOp(op, sub, pick(m), pick(sign), fill));
    order.push(...idx);
  }
  const inverse = new Int32Array(order.length);
  order.forEach((i, k) => {
    inverse[i] = k;
  });
  return tf.gather(tf.concat(parts, 0), tf.tensor1d(inverse, 'int32')) as tf.Tensor4D;
}

function strongAugment_(x: TensorInput, options: StrongAugmentOptions): tf.Tensor4D {
  const fn = 'strongAugment';
  const o = withDefaults<Required<StrongAugmentOptions>>(
    options,
    {
      rng: undefined as unknown as Rng,
      n: 2,
      magnitude: undefined as unknown as number,
      probability: 0.5,
      cutout: 0.5,
      fill: 0.5,
      ops: strongAugmentOps,
    },
    fn,
  );
  assertRng(o.rng, fn);
  assertNumber(o.n, { min: 0, integer: true }, fn, 'n');
  if (o.magnitude !== undefined) assertNumber(o.magnitude, { min: 0, max: 1 }, fn, 'magnitude');
  assertNumber(o.probability, { min: 0, max: 1 }, fn, 'probability');
  assertNumber(o.cutout, { min: 0, max: 1 }, fn, 'cutout');
  assertNumber(o.fill, { min: 0, max: 1 }, fn, 'fill');
  if (!Array.isArray(o.ops) || o.ops.length === 0) {
    fail('INVALID_OPTION', fn, 'ops', 'a non-empty array of operation names', describeValue(o.ops));
  }
  for (const op of o.ops) assertOneOf(op, strongAugmentOps, fn, 'ops');
  const images = toTensor(x, fn, 'x', 'float32') as tf.Tensor4D;
  assertRank(images, 4, fn, 'x');
  assertImageBatch(images, fn, 'x');
  // The ops assume pixels in [0, 1] (brightness, solarize, posterize, fill): 0..255 pixels would
  // come out wrong without an error. Checked at the validation level in force (core).
  checkInRange(x, { min: 0, max: 1 }, fn, 'x');
  const [b, h, w, _c] = images.shape;

  let current = images;
  for (let k = 0; k < o.n; k++) {
    const opOf: StrongAugmentOp[] = new Array(b);
    const m = new Float64Array(b);
    const sign = new Float64Array(b);
    for (let i = 0; i < b; i++) {
      const op = o.ops[o.rng.int(o.ops.length)]!;
      // FixMatch reference code: each drawn op is applied with probability 0.5, at a level
      // drawn from randint(1, 10) out of PARAMETER_MAX = 10.
      const applied = o.rng.uniform() < o.probability;
      m[i] = o.magnitude ?? (1 + o.rng.int(9)) / 10;
      sign[i] = o.rng.uniform() < 0.5 ? -1 : 1;
      opOf[i] = applied ? op : 'identity';
    }
    current = applyPerImage(current, opOf, m, sign, o.fill);
  }

  if (o.cutout > 0) {
    // FixMatch (paper Table 12): Cutout sets a random square of side up to 0.5 × the image
    // side to gray; the centre is uniform over the image and the square is clipped there.
    const maxSide = Math.round(o.cutout * Math.min(h, w));
    const mask = new Float32Array(b * h * w);
    for (let i = 0; i < b; i++) {
      const side = o.rng.int(maxSide + 1);
      const cy = o.rng.int(h);
      const cx = o.rng.int(w);
      const top = Math.max(0, cy - Math.floor(side / 2));
      const left = Math.max(0, cx - Math.floor(side / 2));
      const bottom = Math.min(h, cy - Math.floor(side / 2) + side);
      const right = Math.min(w, cx - Math.floor(side / 2) + side);
      for (let y = top; y < bottom; y++)
        mask.fill(1, (i * h + y) * w + left, (i * h + y) * w + right);
    }
    const hole = tf.greater(tf.tensor4d(mask, [b, h, w, 1]), 0);
    current = tf.where(
      tf.broadcastTo(hole, current.shape),
      tf.fill(current.shape, o.fill, 'float32'),
      current,
    ) as tf.Tensor4D;
  }
  return tf.clipByValue(current, 0, 1) as tf.Tensor4D;
}

/**
 * FixMatch's strong augmentation: RandAugment with random magnitudes, then Cutout (Sohn
 * et al. 2020, §2.3 and Table 12; used for the strong view by UDAL, paper 004, Algorithm 1,
 * and by PLR's consistency loss, paper 000).
 *
 * Per image, `n` operations are drawn uniformly (with replacement) from `ops`
 * (default {@link strongAugmentOps}); each is applied with probability `probability` at a
 * magnitude drawn from {0.1, …, 0.9} (or the fixed `magnitude`), rotations, shears and
 * translations with a random sign. Then a gray square of side up to `cutout·side` is pasted
 * at a uniform position. Output values are clipped to [0, 1].
 *
 * Runs on cpu and wasm alike (gather, elementwise ops, reductions, DenseBincount, Cumsum,
 * depthwise conv). All random choices are drawn on the host from `rng`.
 *
 * @example
 * ```ts
 * const xStrong = strongAugment(xUnlabeled, { rng });
 * ```
 *
 * @param x Images `[B, H, W, 1]` or `[B, H, W, 3]` float32 with values in [0, 1].
 * @returns A new `[B, H, W, C]` tensor in [0, 1], owned by the caller.
 * @throws `SHAPE_MISMATCH` unless `x` is `[B, H, W, 1|3]`; `INVALID_OPTION` for a bad option
 * or an unknown operation name.
 */
export const strongAugment = /* @__PURE__ */ tf.op({ strongAugment_ });
