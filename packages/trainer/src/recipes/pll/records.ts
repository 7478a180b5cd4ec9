import { assertBoolean, assertNumber, assertOneOf, withDefaults } from '@tailwise/core';
import { plrPseudoLabels } from '@tailwise/pseudo-labels';
import type { Recipe, StepData } from '../../recipe';
import { RECORDS_PRIOR_SOURCES, type RecordsPriorSource } from './internal/records-bias';
import {
  createStoredTargetsRecipe,
  type StoredTargetsLossResult,
  type StoredTargetsState,
} from './internal/stored-targets';

/** Options of the `recipes.records` recipe (settable from the CLI: `--opt momentum=0.9`). */
export interface RecordsOptions {
  /** m of the per-step EMA of the bias estimate, in [0, 1). Default 0.9 (the RECORDS code). */
  momentum: number;
  /**
   * Where the bias `b` comes from: `'features'` (classifier head on the EMA of the batch-mean
   * penultimate feature, softmaxed: RECORDS), `'softmax'` (EMA of the batch-mean softmax) or
   * `'auto'` (default: features when the model has a features/head split, as every built-in
   * model does). The epoch records name the one that ran (`priorSource`).
   */
  priorSource: RecordsPriorSource;
  /** Predict with the debiased logits `logits − log b` at test time. Default true (RECORDS). */
  debias: boolean;
}

const DEFAULTS: RecordsOptions = { momentum: 0.9, priorSource: 'auto', debias: true };

/**
 * RECORDS, dynamic rebalancing on top of PRODEN (Hong et al. 2023, reference [19] of paper 000;
 * docs/methods/000-plr.md, "Peers"): the bias `b` is the model's **unrestricted** prediction of
 * the average sample, `b = softmax(head(f̄))` with `f̄ ← m·f̄ + (1 − m)·mean_batch(features)`
 * updated every step (m = 0.9, f̄ starting at 0 as in the public code), or an EMA of the
 * batch-mean softmax where the model exposes no features. The stored targets are eq. 5 with
 * λ = 1, M = 1 against b, `w_ij = S_ij (f_ij / b_j) / Σ_j S_ij (f_ij / b_j)` — PRODEN's targets
 * from the debiased prediction `softmax(logits − log b)` — and at test time the prediction is
 * debiased the same way (the recipe's `adjustLogits`). b is not PLR's argmax-over-candidates
 * count (eq. 6): with that count the head classes collapse.
 *
 * Each epoch's record gets `prior` (b), `priorSource`, `priorL1` (distance to the true training
 * distribution), `storeAccuracy` and `storeChange` (see `recipes.proden`).
 *
 * @example
 * ```ts
 * const recipe = recipes.records({ momentum: 0.9 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its store and estimate.
 */
export function records(
  options: Partial<RecordsOptions> = {},
): Recipe<StoredTargetsState, StepData, StoredTargetsLossResult> {
  const fn = 'recipes.records';
  const o = withDefaults<RecordsOptions>(options, { ...DEFAULTS }, fn);
  assertNumber(o.momentum, { min: 0, max: 1, maxExclusive: true }, fn, 'momentum');
  assertOneOf(o.priorSource, RECORDS_PRIOR_SOURCES, fn, 'priorSource');
  assertBoolean(o.debias, fn, 'debias');
  return createStoredTargetsRecipe({
    name: 'records',
    options: { ...o },
    // docs/methods/000-plr.md: λ = 1, M = 1 of eq. 5 is the RECORDS-style rebalancing.
    nextTargets: (s, logits, b) => plrPseudoLabels(s, logits, b!, { lambda: 1, m: 1 }),
    bias: { momentum: o.momentum, source: o.priorSource, debias: o.debias },
  });
}
