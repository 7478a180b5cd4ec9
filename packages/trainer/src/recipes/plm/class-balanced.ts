import { assertNumber, assertOneOf, withDefaults } from '@tailwise/core';
import { effectiveNumberWeights } from '@tailwise/priors';
import type { Recipe } from '../../recipe';
import { type BinaryState, binaryLoss, binaryRecipe, type TargetSource } from './binary-recipe';

/** Options of the `recipes.classBalanced` recipe. */
export interface ClassBalancedOptions {
  /** β in [0, 1) of the effective number `(1 − β^n)/(1 − β)`. Default 0.999. */
  beta: number;
  /** The weighted element-wise loss: `'bce'` (default; paper 002's "BCE+CB") or `'focal'`. */
  loss: 'bce' | 'focal';
  /** Focal γ (`loss: 'focal'`). Default 2. */
  gamma: number;
  /** Where the 0/1 targets come from (see `TargetSource`). Default `'auto'`. */
  target: TargetSource;
}

const FN = 'recipes.classBalanced';

/** State of `recipes.classBalanced`: the class weights `w_c` computed in `setup`. */
export interface ClassBalancedState {
  weights: Float32Array;
}

/**
 * Class-balanced reweighting (Cui et al. 2019) of an element-wise loss: the "CB" peer of PLM
 * (paper 002, eq. 8; docs/methods/002-plm.md). `L = (1/B)·Σ_i Σ_c w_c·ℓ(y_ic, x_ic)` with
 * `w_c = (1 − β)/(1 − β^{n_c})` normalised to sum to C (`effectiveNumberWeights`), where `n_c`
 * is the number of training samples positive for class c (its count in single-label data).
 * The weight multiplies both the positive and the negative term of class c, as eq. 8 writes it.
 *
 * @example
 * ```ts
 * const recipe = recipes.classBalanced({ beta: 0.999 });
 * ```
 * Holds no tensors (the weights are a host array computed in `setup`).
 */
export function classBalanced(
  options: Partial<ClassBalancedOptions> = {},
): Recipe<ClassBalancedState & BinaryState> {
  const o = withDefaults<ClassBalancedOptions>(
    options,
    { beta: 0.999, loss: 'bce', gamma: 2, target: 'auto' },
    FN,
  );
  assertNumber(o.beta, { min: 0, max: 1, maxExclusive: true }, FN, 'beta');
  assertOneOf(o.loss, ['bce', 'focal'] as const, FN, 'loss');
  assertNumber(o.gamma, { min: 0 }, FN, 'gamma');
  return binaryRecipe<ClassBalancedState>({
    name: 'classBalanced',
    functionName: FN,
    options: { ...o },
    target: o.target,
    async setup(_ctx, t) {
      const w = effectiveNumberWeights(t.positives, { beta: o.beta });
      try {
        return { state: { weights: Float32Array.from(await w.data()) } };
      } finally {
        w.dispose();
      }
    },
    loss: (_ctx, state, labels, logits) => ({
      loss: binaryLoss(o.loss, labels, logits, { weights: state.weights, gamma: o.gamma }),
    }),
  });
}
