import { assertSchedule, resolveOptions, type SslBaseOptions } from './internal/ssl-options';
import { createSslRecipe, type SslRecipe } from './internal/ssl-recipe';
import { alignedTargets, fixMatchLoss } from './internal/ssl-slots';

/** Options of `recipes.fixMatchDa`: FixMatch's plus the progressive target of the alignment. */
export interface FixMatchDaOptions extends SslBaseOptions {
  /** Smallest α of the target `p̃ = normalize(p_data^α_t)`, in [0, 1]. Default 0.5 (paper 004, Table 1). */
  alphaMin: number;
  /** Rate k ≥ 0 of `α_t = 1 − (1 − αMin)·(t/T)^k`. Default 1 (CReST's linear schedule, eq. 4). */
  k: number;
}

/**
 * FixMatch + distribution alignment (ReMixMatch, Berthelot et al. 2020, with CReST's
 * progressive target; paper 004 eq. 1, 2, 4 and Table 1 "w/ DA"; docs/methods/004-udal.md, peers):
 * the weak-view probabilities are aligned before they become pseudo-labels,
 *
 * `q̃ = normalize(q · (p̃ + ε)/(p̂ + ε))`, `ŷ = argmax q̃`, mask `= 1[max q̃ ≥ τ]`,
 *
 * with `p̃ = normalize(p_data^α_t)`, `α_t = 1 − (1 − αMin)·(t/T)^k` (t the 0-based epoch),
 * `p_data` the labeled class frequencies and `p̂` an EMA (0.999, uniform start, updated after
 * every step) of the mean **unaligned** weak-view softmax. The losses are FixMatch's
 * (see `recipes.fixMatch`). Defaults `alphaMin = 0.5, k = 1` (the paper's DA baseline uses
 * α_min = 0.5; k = 1 is CReST's linear schedule).
 *
 * Adds `alpha` and `target` (p̃) to each epoch's log record.
 *
 * @example
 * ```ts
 * const recipe = recipes.fixMatchDa({ alphaMin: 0.5 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its EMA weights and priors.
 */
export function fixMatchDa(options: Partial<FixMatchDaOptions> = {}): SslRecipe {
  const fn = 'fixMatchDa';
  const o = resolveOptions<FixMatchDaOptions>(options, { alphaMin: 0.5, k: 1 }, fn);
  assertSchedule(o.alphaMin, o.k, fn);
  return createSslRecipe(
    {
      name: fn,
      schedule: { alphaMin: o.alphaMin, k: o.k },
      pseudoLabels: alignedTargets,
      loss: fixMatchLoss,
    },
    o,
  );
}
