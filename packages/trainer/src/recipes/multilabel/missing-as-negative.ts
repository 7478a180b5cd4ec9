import { assertNumber, withDefaults } from '@tailwise/core';
import { asymmetricLoss, binaryCrossEntropy, missingAsNegative } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../../recipe';
import { trainingState } from './internal/state';

/** Options of the `recipes.bceLs` recipe. */
export interface BceLsOptions {
  /** Label smoothing ε in [0, 1). Default 0.1 (paper 001's BCE-LS). */
  labelSmoothing: number;
}

/** Options of the `recipes.asl` recipe (defaults of docs/methods/001-partial-annotations.md, "Peers"). */
export interface AslRecipeOptions {
  gammaNeg: number;
  gammaPos: number;
  clip: number;
}

/** These recipes hold no state. */
export type MissingAsNegativeState = Record<never, never>;

interface Spec<O extends Readonly<Record<string, unknown>>> {
  name: string;
  options: O;
  /** Per-sample sum over classes of the element loss on 0/1 targets. */
  sum(targets: tf.Tensor2D, logits: tf.Tensor2D): tf.Scalar;
}

/**
 * The skeleton of the missing-as-negative peers: 0/1 targets from `missingAsNegative(z)` (full
 * labels pass unchanged) and `L = (1/B)·Σ_i Σ_c ℓ_ic`, the same scale as the `bce` and `focal`
 * recipes they are compared with.
 */
function missingAsNegativeRecipe<O extends Readonly<Record<string, unknown>>>(
  spec: Spec<O>,
): Recipe<MissingAsNegativeState> {
  const fn = `recipes.${spec.name}`;
  return {
    name: spec.name,
    task: 'multi-label',
    requires: ['multiLabels'],
    options: spec.options,
    setup(ctx) {
      trainingState(ctx.train, fn);
      return { options: { ...spec.options }, state: {} };
    },
    loss(ctx, _state, { batch }) {
      const logits = ctx.model.apply(batch.x, { training: true }) as tf.Tensor2D;
      const total = spec.sum(missingAsNegative(batch.multiLabels!), logits);
      return { loss: tf.div(total, logits.shape[0]) as tf.Scalar };
    },
  };
}

/**
 * BCE-LS, a peer of paper 001: binary cross-entropy with label smoothing ε = 0.1
 * (`y → (1 − ε)·y + ε/2`) on the missing-as-negative view; on full labels, the paper's second
 * upper bound (docs/methods/001-partial-annotations.md, "Peers").
 *
 * | step | leaf function |
 * |---|---|
 * | targets | `missingAsNegative(z)` (losses) |
 * | loss | `binaryCrossEntropy(y, f(x), { labelSmoothing, reduction: 'sum' }) / B` (losses) |
 *
 * @example
 * ```ts
 * const recipe = recipes.bceLs(); // train on full labels for the upper bound
 * ```
 */
export function bceLs(options: Partial<BceLsOptions> = {}): Recipe<MissingAsNegativeState> {
  const o = withDefaults<BceLsOptions>(options, { labelSmoothing: 0.1 }, 'recipes.bceLs');
  assertNumber(
    o.labelSmoothing,
    { min: 0, max: 1, maxExclusive: true },
    'recipes.bceLs',
    'labelSmoothing',
  );
  return missingAsNegativeRecipe({
    name: 'bceLs',
    options: { ...o },
    sum: (y, x) =>
      binaryCrossEntropy(y, x, { labelSmoothing: o.labelSmoothing, reduction: 'sum' }) as tf.Scalar,
  });
}

/**
 * ASL (Ridnik et al. 2021), a peer of paper 001, on the missing-as-negative view
 * (docs/methods/001-partial-annotations.md, "Peers"): `gammaNeg = 4`, `gammaPos = 1`,
 * `clip = 0.05`; summed over classes and averaged over the batch.
 *
 * | step | leaf function |
 * |---|---|
 * | targets | `missingAsNegative(z)` (losses) |
 * | loss | `asymmetricLoss(y, f(x), { gammaNeg, gammaPos, clip, reduction: 'sum' }) / B` (losses) |
 *
 * @example
 * ```ts
 * const recipe = recipes.asl({ gammaNeg: 4 });
 * ```
 */
export function asl(options: Partial<AslRecipeOptions> = {}): Recipe<MissingAsNegativeState> {
  const o = withDefaults<AslRecipeOptions>(
    options,
    { gammaNeg: 4, gammaPos: 1, clip: 0.05 },
    'recipes.asl',
  );
  assertNumber(o.gammaNeg, { min: 0 }, 'recipes.asl', 'gammaNeg');
  assertNumber(o.gammaPos, { min: 0 }, 'recipes.asl', 'gammaPos');
  assertNumber(o.clip, { min: 0, max: 1, maxExclusive: true }, 'recipes.asl', 'clip');
  return missingAsNegativeRecipe({
    name: 'asl',
    options: { ...o },
    sum: (y, x) => asymmetricLoss(y, x, { ...o, reduction: 'sum' }) as tf.Scalar,
  });
}
