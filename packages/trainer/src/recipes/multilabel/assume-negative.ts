import { withDefaults } from '@tailwise/core';
import { assumeNegativeLoss, weakAssumeNegativeLoss } from '@tailwise/losses';
import type * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../../recipe';
import { trainingState } from './internal/state';

/** Options of `recipes.assumeNegative` and `recipes.weakAssumeNegative`: none. */
export type AssumeNegativeOptions = Record<never, never>;

/** These recipes hold no state. */
export type AssumeNegativeState = Record<never, never>;

function stateless(
  name: 'assumeNegative' | 'weakAssumeNegative',
  loss: typeof assumeNegativeLoss,
  options: Partial<AssumeNegativeOptions>,
): Recipe<AssumeNegativeState> {
  const fn = `recipes.${name}`;
  const o = withDefaults<AssumeNegativeOptions>(options, {}, fn);
  return {
    name,
    task: 'multi-label',
    requires: ['multiLabels'],
    options: { ...o },
    setup(ctx) {
      trainingState(ctx.train, fn);
      return { options: { ...o }, state: {} };
    },
    loss(ctx, _state, { batch }) {
      const logits = ctx.model.apply(batch.x, { training: true }) as tf.Tensor2D;
      return { loss: loss(batch.multiLabels!, logits) };
    },
  };
}

/**
 * AN, a peer of paper 001: every unknown entry is a negative, BCE averaged over all B·C entries
 * (docs/methods/001-partial-annotations.md, "Peers").
 *
 * | step | leaf function |
 * |---|---|
 * | loss | `assumeNegativeLoss(z, f(x))` (losses) |
 *
 * @example
 * ```ts
 * const recipe = recipes.assumeNegative();
 * ```
 */
export function assumeNegative(
  options: Partial<AssumeNegativeOptions> = {},
): Recipe<AssumeNegativeState> {
  return stateless('assumeNegative', assumeNegativeLoss, options);
}

/**
 * WAN, a peer of paper 001: AN with every negative term weighted 1/(C − 1)
 * (docs/methods/001-partial-annotations.md, "Peers").
 *
 * | step | leaf function |
 * |---|---|
 * | loss | `weakAssumeNegativeLoss(z, f(x))` (losses) |
 *
 * @example
 * ```ts
 * const recipe = recipes.weakAssumeNegative();
 * ```
 */
export function weakAssumeNegative(
  options: Partial<AssumeNegativeOptions> = {},
): Recipe<AssumeNegativeState> {
  return stateless('weakAssumeNegative', weakAssumeNegativeLoss, options);
}
