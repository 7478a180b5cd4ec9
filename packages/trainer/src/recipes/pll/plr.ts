import { withDefaults } from '@tailwise/core';
import { plrPseudoLabels, selectSmallLoss } from '@tailwise/pseudo-labels';
import type { Recipe } from '../../recipe';
import {
  createTwoStageRecipe,
  type TwoStageLossResult,
  type TwoStageState,
  type TwoStageStep,
} from './internal/two-stage';
import {
  assertAutoNumber,
  checkTwoStageOptions,
  TWO_STAGE_DEFAULTS,
  type TwoStageOptions,
} from './internal/two-stage-options';

/** Options of the `recipes.plr` recipe (all settable from the CLI: `--opt lambda=3`). */
export interface PlrOptions extends TwoStageOptions {
  /** λ > 0 of eq. 5. `'auto'` (default): 3 for C ≤ 10 classes, 1 above (paper 000, §3.1). */
  lambda: number | 'auto';
  /** M ≥ 0 of eq. 5. `'auto'` (default): 2 for C ≤ 10 classes, 0.5 above (paper 000, §3.1). */
  m: number | 'auto';
}

const DEFAULTS: PlrOptions = { ...TWO_STAGE_DEFAULTS, lambda: 'auto', m: 'auto' };

/**
 * PLR, pseudo-label regularization for imbalanced partial-label learning (Xu et al., paper 000;
 * docs/methods/000-plr.md), the method of this family.
 *
 * - Pseudo-labels (eq. 5): `w_ij = S_ij f_ij^λ r_j^−M / Σ_j S_ij f_ij^λ r_j^−M` from the weak
 *   view's logits ({@link plrPseudoLabels}), so head classes of the estimated prior r are
 *   penalized.
 * - Small-loss selection per pseudo-class with PLR's quota `min(|B_k|, ceil(ρ·|B|))`
 *   ({@link selectSmallLoss}, `quota: 'batch'`); ρ ramps 0.2 → 0.5 (C ≤ 10) / 0.6.
 * - Loss: stage epoch 0 `CE(w_proden, f(x_weak))`; later
 *   `η·(CE_sel(w, f(x_weak)) + mixup_sel + CE_sel(w, f(x_strong))) + (1 − η)·CE(w_proden, f(x_weak))`,
 *   `η = 0.9·rampup`; mixup `l ~ Beta(4, 4)`, `λ = max(l, 1 − l)` among the selected samples.
 * - Prior (eq. 6): after every epoch `r ← (1 − μ)·r + μ·counts(argmax(f ⊙ S))/n` from an
 *   inference pass; two stages: pre-estimation (20% of the epochs), then the model is
 *   re-initialized and trained from that prior.
 * - Schedule (docs/methods/000-plr.md, "Scaling the schedule"): `schedule: 'budget'` (default)
 *   sets μ from an EMA time constant of `priorTimeConstant` (0.1) of each stage,
 *   `μ = 1 − exp(−1/(0.1·E_stage))` — the paper's μ = 0.1 over 100 epochs and 0.01 over 1000 —
 *   so a 30-epoch run's prior moves as far as the paper's; `schedule: 'paper'` keeps the printed
 *   μ = 0.1 (C ≤ 10) / 0.05 and 0.01 whatever the budget. Ramps are 5% of each stage.
 * - Every component switches: `candidateStage` (the epoch-0 PRODEN-only epoch), `selection`,
 *   `mixup`, `consistency`, `estEpochs` (0: no pre-estimation) and `reinitialize`; with all of
 *   them off the recipe is eq. 5 + the prior EMA alone (`CE(w, f(x))`, η = 1).
 *
 * Needs `candidates` (views: `views`, images by default); never reads the true labels for training
 * (they feed only the diagnostics `selectedAccuracy` and `storeAccuracy`). Each epoch's record
 * gets `stage`, `prior`, `priorEstimate`, `priorL1` (distance to the true training
 * distribution), `eta`, `rho`, `selectedFraction`, `selectedAccuracy` and `storeAccuracy`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadExperimentData({ name: 'fashion-mnist-lt', gamma: 100,
 *   psi: 0.3, order: 'permuted', seed: 0 });
 * const trainer = new Trainer({ model, recipe: recipes.plr({ flip: true }), train, test,
 *   epochs: 20, batchSize: 256, seed: 0 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its store and prior.
 */
export function plr(
  options: Partial<PlrOptions> = {},
): Recipe<TwoStageState, TwoStageStep, TwoStageLossResult> {
  const fn = 'recipes.plr';
  const o = withDefaults<PlrOptions>(options, { ...DEFAULTS }, fn);
  checkTwoStageOptions(o, fn);
  assertAutoNumber(o.lambda, { min: 0, minExclusive: true }, fn, 'lambda');
  assertAutoNumber(o.m, { min: 0 }, fn, 'm');
  return createTwoStageRecipe(
    {
      name: 'plr',
      // Paper 000, §3.1: ρ ramps to 0.5 on CIFAR-10 and 0.6 on CIFAR-100.
      rhoEnd: (c) => (c <= 10 ? 0.5 : 0.6),
      // Paper 000, §3.1: λ = 3, M = 2 on CIFAR-10; λ = 1, M = 0.5 on CIFAR-100.
      resolve: (c) => ({
        lambda: o.lambda === 'auto' ? (c <= 10 ? 3 : 1) : o.lambda,
        m: o.m === 'auto' ? (c <= 10 ? 2 : 0.5) : o.m,
      }),
      pseudoLabels: (s, logits, r, _queue, { lambda, m }) =>
        plrPseudoLabels(s, logits, r, { lambda: lambda!, m: m! }),
      select: (w, logits, _r, rho) => selectSmallLoss(w, logits, { rho, quota: 'batch' }),
    },
    o,
    { ...o },
  );
}
