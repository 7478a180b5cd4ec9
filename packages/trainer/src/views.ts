import {
  describeValue,
  fail,
  formatShape,
  type Rng,
  type View,
  type ViewPair,
  type ViewsOption,
} from '@tailwise/core';
import { gaussianNoise, scarfCorruption, strongAugment, weakAugment } from '@tailwise/datasets';
import * as tf from '@tensorflow/tfjs-core';

/** Settings of the image views (FixMatch's weak flip-and-shift, RandAugment + Cutout). */
export interface ImageViewOptions {
  flip: boolean;
  translate: number;
  strongOps: number;
  cutout: number;
}

/** The image views: weak = flip + translate; strong = RandAugment + Cutout on its own weak view. */
export function imageViews(o: ImageViewOptions): ViewPair {
  const weak: View = (x, rng) => weakAugment(x, { rng, flip: o.flip, translate: o.translate });
  return {
    weak,
    // FixMatch's strong view is RandAugment + Cutout on top of its own flip-and-shift (its
    // reference code applies the weak transform first).
    strong: (x, rng) => strongAugment(weak(x, rng), { rng, n: o.strongOps, cutout: o.cutout }),
  };
}

/** Settings of the vector views (Gaussian noise / SCARF corruption). */
export interface VectorViewOptions {
  /** σ of the weak view's noise, in the features' units (standardised: 1 = one std). */
  noiseStd: number;
  /** Fraction of each row's features the strong view replaces. */
  corruptionRate: number;
}

/**
 * The vector views (docs/methods/views.md): weak = Gaussian noise `x + N(0, σ²)`; strong =
 * SCARF random feature corruption of the input (Bahri et al., ICLR 2022): a random
 * `corruptionRate` share of each row's features takes the same feature's value from a random
 * row of the batch. Neither clips, so standardised features keep their scale.
 */
export function vectorViews(o: VectorViewOptions): ViewPair {
  return {
    weak: (x, rng) => gaussianNoise(x, { rng, std: o.noiseStd }),
    strong: (x, rng) => scarfCorruption(x, { rng, rate: o.corruptionRate }),
  };
}

const identity: View = (x) => tf.clone(x);

/** Both views are the input itself (`views: 'none'`). */
export const NO_VIEWS: ViewPair = Object.freeze({ weak: identity, strong: identity });

function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 3 && (shape[2] === 1 || shape[2] === 3);
}

/**
 * Resolves a recipe's `views` option for its data (docs/methods/views.md): `'auto'` gives image
 * views for `[H, W, 1|3]` inputs and vector views (`vectorViews`) for `[D]` inputs; `'image'` / `'vector'` force
 * one family (refused for the wrong shape); `'none'` passes inputs through; a {@link View} is
 * used for both the weak and the strong view; a {@link ViewPair} as given.
 */
export function resolveViews(
  option: ViewsOption,
  inputShape: readonly number[],
  settings: ImageViewOptions & VectorViewOptions,
  functionName: string,
): ViewPair {
  if (option === 'none') return NO_VIEWS;
  if (typeof option === 'function') return { weak: option, strong: option };
  if (typeof option === 'object' && option !== null) {
    if (typeof option.weak !== 'function' || typeof option.strong !== 'function')
      fail(
        'INVALID_OPTION',
        functionName,
        'views',
        'a { weak, strong } pair of functions (x, rng) => x',
        describeValue(option),
      );
    return option;
  }
  const isImage = isImageShape(inputShape);
  if (option === 'image' || (option === 'auto' && isImage)) {
    if (!isImage)
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'views',
        "inputs of shape [H, W, 1] or [H, W, 3] for 'image' views",
        `inputShape ${formatShape(inputShape)}`,
      );
    return imageViews(settings);
  }
  if (option === 'vector' || option === 'auto') {
    if (inputShape.length !== 1)
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'views',
        `inputs of shape [D] (feature vectors) or [H, W, 1|3] (images) for '${option}' views; pass 'none' or your own (x, rng) => x for other shapes`,
        `inputShape ${formatShape(inputShape)}`,
      );
    return vectorViews(settings);
  }
  fail(
    'INVALID_OPTION',
    functionName,
    'views',
    "'auto', 'image', 'vector', 'none', a function (x, rng) => x or { weak, strong }",
    describeValue(option),
  );
}

/** Applies a view with the tape off, as its own tidy scope. */
export function applyView(view: View, x: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => view(x, rng));
}
