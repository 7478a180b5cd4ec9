import { assertNumber, withDefaults } from '@tailwise/core';
import type { Recipe } from '../../recipe';
import {
  assertOwnLoss,
  type BinaryState,
  binaryLoss,
  binaryRecipe,
  type TargetSource,
} from './binary-recipe';

/** Options of the `recipes.focal` recipe. */
export interface FocalRecipeOptions {
  /** Focusing parameter γ ≥ 0. Default 2 (Lin et al. 2017; the focal peer of paper 002). */
  gamma: number;
  /** Where the 0/1 targets come from (see `TargetSource`). Default `'auto'`. */
  target: TargetSource;
  /** Accepted only as `'focal'` (so a global `--loss focal` works); any other value is refused. */
  loss: 'focal' | undefined;
}

const FN = 'recipes.focal';

/**
 * Binary focal loss, one sigmoid output per class: a peer of PLM (paper 002 Tables 1–4;
 * docs/methods/002-plm.md). `L = (1/B)·Σ_i Σ_c ℓ_ic` with
 * `ℓ = −[y·(1 − p)^γ·log p + (1 − y)·p^γ·log(1 − p)]`, `p = σ(x)` (no α).
 *
 * Multi-label data trains on `multiLabels`, single-label data on one-hot `labels`
 * (`target`, default `'auto'`).
 *
 * @example
 * ```ts
 * const recipe = recipes.focal({ gamma: 2 });
 * ```
 * Holds no tensors.
 */
export function focal(options: Partial<FocalRecipeOptions> = {}): Recipe<BinaryState> {
  const o = withDefaults<FocalRecipeOptions>(
    options,
    { gamma: 2, target: 'auto', loss: undefined },
    FN,
  );
  assertOwnLoss(o.loss, 'focal', FN);
  assertNumber(o.gamma, { min: 0 }, FN, 'gamma');
  return binaryRecipe<Record<never, never>>({
    name: 'focal',
    functionName: FN,
    options: { gamma: o.gamma, target: o.target },
    target: o.target,
    loss: (_ctx, _state, labels, logits) => ({
      loss: binaryLoss('focal', labels, logits, { gamma: o.gamma }),
    }),
  });
}
