import { assertBoolean, assertNumber, withDefaults } from '@tailwise/core';
import { plrPseudoLabels } from '@tailwise/pseudo-labels';
import type { Recipe, StepData } from '../../recipe';
import { parseInitialPrior } from './internal/shared';
import {
  createStoredTargetsRecipe,
  type StoredTargetsLossResult,
  type StoredTargetsState,
} from './internal/stored-targets';

/** Options of the {@link records} recipe (settable from the CLI: `--opt mu=0.05`). */
export interface RecordsOptions {
  /**
   * μ of the per-epoch prior EMA, in [0, 1): `r ← (1 − μ)·r + μ·counts(argmax(f ⊙ S))/n`.
   * Default 0.1 (PLR's pre-estimation value; RECORDS itself keeps a per-step momentum average
   * of the predictions, which this per-epoch estimate replaces, as docs/methods/000-plr.md does for PLR).
   */
  mu: number;
  /** Predict with the debiased logits `logits − log r` at test time. Default true (RECORDS). */
  debias: boolean;
  /**
   * Starting prior: `'uniform'` (default) or C positive numbers summing to 1 (an array, or a
   * comma-separated string from `--opt initialPrior=0.5,0.3,0.2`).
   */
  initialPrior: 'uniform' | readonly number[] | string;
}

const DEFAULTS: RecordsOptions = { mu: 0.1, debias: true, initialPrior: 'uniform' };

/**
 * RECORDS-style dynamic rebalancing on top of PRODEN (Hong et al. 2023, reference [19] of paper
 * 000; docs/methods/000-plr.md): the stored targets are eq. 5 with λ = 1, M = 1,
 * `w_ij = S_ij (f_ij / r_j) / Σ_j S_ij (f_ij / r_j)` — PRODEN's targets computed from the
 * debiased prediction `softmax(logits − log r)` — with r the class prior estimated after every
 * epoch from an inference pass (argmax over the candidates, EMA with μ). At test time the
 * prediction is debiased the same way, `softmax(logits − log r)` (the recipe's `adjustLogits`).
 *
 * Each epoch's record gets `prior`, `priorEstimate`, `priorL1` (distance to the true training
 * distribution), `storeAccuracy` and `storeChange` (see {@link proden}).
 *
 * @example
 * ```ts
 * const recipe = recipes.records({ mu: 0.1 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its store and prior.
 */
export function records(
  options: Partial<RecordsOptions> = {},
): Recipe<StoredTargetsState, StepData, StoredTargetsLossResult> {
  const fn = 'recipes.records';
  const o = withDefaults<RecordsOptions>(options, { ...DEFAULTS }, fn);
  assertNumber(o.mu, { min: 0, max: 1, maxExclusive: true }, fn, 'mu');
  assertBoolean(o.debias, fn, 'debias');
  const initialPrior = parseInitialPrior(o.initialPrior, fn);
  return createStoredTargetsRecipe({
    name: 'records',
    options: { ...o },
    // docs/methods/000-plr.md: λ = 1, M = 1 of eq. 5 is the RECORDS-style rebalancing.
    nextTargets: (s, logits, r) => plrPseudoLabels(s, logits, r!, { lambda: 1, m: 1 }),
    prior: { mu: o.mu, initialPrior, debias: o.debias },
  });
}
