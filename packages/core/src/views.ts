import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng';

/**
 * One augmentation of a batch: `[B, ...inputShape]` in, the same shape out, random choices from
 * `rng` only (so a run repeats from its seed and resumes from a checkpoint). Image views
 * (`weakAugment`, `strongAugment` in `@tailwise/datasets`) take `[B, H, W, C]`; vector views take
 * `[B, D]` (docs/methods/views.md). Runs with the gradient tape off; the result is a new tensor
 * owned by the caller.
 *
 * @example
 * ```ts
 * const jitter: View = (x, rng) => tf.add(x, tf.randomNormal(x.shape, 0, 0.1, 'float32', rng.nextSeed()));
 * ```
 */
export type View = (x: tf.Tensor, rng: Rng) => tf.Tensor;

/**
 * The weak and strong views of a consistency method (FixMatch, UDAL, PLR/Solar's consistency
 * branch; docs/methods/views.md). `strong` is applied to the input itself, not to the weak view.
 */
export interface ViewPair {
  readonly weak: View;
  readonly strong: View;
}

/**
 * What a recipe's `views` option accepts: `'auto'` (image views for `[H, W, 1|3]` inputs, vector
 * views for `[D]` inputs), `'image'`, `'vector'`, `'none'` (both views are the input itself), one
 * {@link View} used for both, or a {@link ViewPair}.
 */
export type ViewsOption = 'auto' | 'image' | 'vector' | 'none' | View | ViewPair;
