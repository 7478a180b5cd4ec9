import { assertNumber, withDefaults } from '@tailwise/core';
import { crossEntropy } from '@tailwise/losses';
import type * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../recipe';

/** Options of the `recipes.ce` recipe. */
export interface CeOptions {
  /** Label smoothing ε. Default 0. */
  labelSmoothing: number;
}

/** The `ce` recipe holds no state. */
export type CeState = Record<never, never>;

/**
 * Plain cross-entropy on the true labels: the supervised baseline every method is compared
 * with (and, on partial-label data, the upper bound that sees the true label).
 *
 * | step | leaf function |
 * |---|---|
 * | loss | `crossEntropy(y, f(x))` (losses) |
 */
export function ce(options: Partial<CeOptions> = {}): Recipe<CeState> {
  const o = withDefaults(options, { labelSmoothing: 0 }, 'recipes.ce');
  // Checked here, not at the first step: a recipe is refused when it is made.
  assertNumber(
    o.labelSmoothing,
    { min: 0, max: 1, maxExclusive: true },
    'recipes.ce',
    'labelSmoothing',
  );
  return {
    name: 'ce',
    task: 'single-label',
    requires: ['labels'],
    options: o,
    setup: () => ({ options: { ...o }, state: {} }),
    loss(ctx, _state, { batch }) {
      const logits = ctx.model.apply(batch.x, { training: true });
      const smoothing = o.labelSmoothing > 0 ? { labelSmoothing: o.labelSmoothing } : {};
      return { loss: crossEntropy(batch.labels!, logits, smoothing) as tf.Scalar };
    },
  };
}
