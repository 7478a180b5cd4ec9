import { assertSchedule, resolveOptions, type SslBaseOptions } from './internal/ssl-options';
import { createSslRecipe, type SslRecipe } from './internal/ssl-recipe';
import { fixMatchTargets, laSupLoss } from './internal/ssl-slots';

/** Options of `recipes.laSup`: FixMatch's plus the fixed target's exponent. */
export interface LaSupOptions extends SslBaseOptions {
  /**
   * Exponent of the fixed target `p̃ = normalize(p_data^αMin)`, in [0, 1]. Default 0.1
   * (UDAL's). 0 gives the uniform target, i.e. Menon et al.'s logit-adjusted loss
   * `CE(y, f(x) + log p_data)` up to a constant shift.
   */
  alphaMin: number;
}

/**
 * "LA (Sup)" (paper 004, Table 1 and Sec. 3.1; docs/methods/004-udal.md: fixed target, k = 0):
 * FixMatch whose **labeled** branch is UDAL's logit-adjusted cross-entropy with a target
 * that does not move,
 *
 * `loss_l = CE(y_l, f(x_l) + log((p_data + 1e-9)/(p̃ + 1e-9)))`, `p̃ = normalize(p_data^αMin)`
 * in every epoch (`α_t = 1 − (1 − αMin)·(t/T)^0 = αMin`),
 *
 * while the **unlabeled** branch is plain FixMatch: pseudo-labels from the unadjusted weak
 * logits and an unadjusted `CE(ŷ, f(x_strong))`. This isolates what the paper ablates: the
 * supervised-branch alignment without a schedule and without alignment of the unlabeled
 * branch. (The paper's Table 1 row also stacks DA on the pseudo-labels; that combination is
 * not a recipe here.) Everything else is `recipes.fixMatch`.
 *
 * Adds `alpha` (always `alphaMin`) and `target` to each epoch's log record.
 *
 * @example
 * ```ts
 * const recipe = recipes.laSup({ alphaMin: 0.1 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its EMA weights and priors.
 */
export function laSup(options: Partial<LaSupOptions> = {}): SslRecipe {
  const fn = 'laSup';
  const o = resolveOptions<LaSupOptions>(options, { alphaMin: 0.1 }, fn);
  assertSchedule(o.alphaMin, 0, fn);
  return createSslRecipe(
    {
      name: fn,
      schedule: { alphaMin: o.alphaMin, k: 0 },
      pseudoLabels: fixMatchTargets,
      loss: laSupLoss,
    },
    o,
  );
}
