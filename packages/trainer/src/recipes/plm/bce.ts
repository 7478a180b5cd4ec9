import { withDefaults } from '@tailwise/core';
import type { Recipe } from '../../recipe';
import {
  assertOwnLoss,
  type BinaryState,
  binaryLoss,
  binaryRecipe,
  type TargetSource,
} from './binary-recipe';

/** Options of the `recipes.bce` recipe. */
export interface BceRecipeOptions {
  /** Where the 0/1 targets come from (see `TargetSource`). Default `'auto'`. */
  target: TargetSource;
  /** Accepted only as `'bce'` (so a global `--loss bce` works); any other value is refused. */
  loss: 'bce' | undefined;
}

const FN = 'recipes.bce';

/**
 * Binary cross-entropy, one sigmoid output per class: the baseline of PLM (paper 002, eq. 1;
 * docs/methods/002-plm.md peers). `L = (1/B)·Σ_i Σ_c ℓ(y_ic, x_ic)` with
 * `ℓ = −[y·log σ(x) + (1 − y)·log(1 − σ(x))]`.
 *
 * Multi-label data trains on `multiLabels` (0/1), single-label data on one-hot `labels` and is
 * evaluated by argmax (`target`, default `'auto'`).
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, recipe: recipes.bce(), train, test, epochs: 30, batchSize: 128, seed: 0 });
 * ```
 * Holds no tensors.
 */
export function bce(options: Partial<BceRecipeOptions> = {}): Recipe<BinaryState> {
  const o = withDefaults<BceRecipeOptions>(options, { target: 'auto', loss: undefined }, FN);
  assertOwnLoss(o.loss, 'bce', FN);
  return binaryRecipe<Record<never, never>>({
    name: 'bce',
    functionName: FN,
    options: { target: o.target },
    target: o.target,
    loss: (_ctx, _state, labels, logits) => ({
      loss: binaryLoss('bce', labels, logits, { gamma: 0 }),
    }),
  });
}
