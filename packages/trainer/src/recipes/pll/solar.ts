import { assertNumber, withDefaults } from '@tailwise/core';
import { SinkhornQueue, selectSmallLoss, sinkhornPseudoLabels } from '@tailwise/pseudo-labels';
import type { Recipe } from '../../recipe';
import {
  createTwoStageRecipe,
  type TwoStageLossResult,
  type TwoStageState,
  type TwoStageStep,
} from './internal/two-stage';
import {
  checkTwoStageOptions,
  TWO_STAGE_DEFAULTS,
  type TwoStageOptions,
} from './internal/two-stage-options';

/** Options of the `recipes.solar` recipe (all settable from the CLI: `--opt queueBatches=32`). */
export interface SolarOptions extends TwoStageOptions {
  /** λ > 0, the exponent in `(f ⊙ S)^λ`. Default 3 (Solar's `lamd`). */
  lambda: number;
  /** Sinkhorn iterations (fixed). Default 50 (Solar). */
  iterations: number;
  /** Batches held in the Sinkhorn queue (used once full). Default 64 (Solar). */
  queueBatches: number;
  /** Samples whose target confidence exceeds this are always selected. Default 0.99 (Solar's τ). */
  confidence: number;
}

const DEFAULTS: SolarOptions = {
  ...TWO_STAGE_DEFAULTS,
  lambda: 3,
  iterations: 50,
  queueBatches: 64,
  confidence: 0.99,
};

/**
 * Solar, Sinkhorn label refinery for imbalanced partial-label learning (Wang et al., 2022; the
 * main peer of paper 000; docs/methods/000-plr.md "Peers").
 *
 * Pseudo-labels are the Sinkhorn transport of `(f ⊙ S)^λ` (λ = 3, 50 iterations, log domain)
 * whose columns follow the estimated prior r, solved jointly with a queue of the last 64
 * batches once it is full ({@link sinkhornPseudoLabels}, {@link SinkhornQueue}). Selection uses
 * Solar's quota `max(min(ceil(|B|·r_k·ρ), |B_k|), 1)` plus every sample with confidence above
 * 0.99 ({@link selectSmallLoss}, `quota: 'prior'`); ρ ramps 0.2 → 0.6 (C ≤ 10) / 0.5 (Solar's
 * README commands for CIFAR-10 / CIFAR-100). The loss skeleton, the two stages and the prior
 * EMA are PLR's (see `recipes.plr`); the queue and the PRODEN store start empty / uniform again
 * in the second stage, as in Solar's reference.
 *
 * Deviation: Solar's reference weighs its unreliable-sample loss over the unselected samples
 * only; docs/methods/000-plr.md takes `CE_all` over every sample for both methods, and so does this.
 *
 * Each epoch's record gets PLR's fields plus `queueBatches` (batches held in the queue).
 *
 * @example
 * ```ts
 * const recipe = recipes.solar({ flip: true });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its store, prior and queue.
 */
export function solar(
  options: Partial<SolarOptions> = {},
): Recipe<TwoStageState, TwoStageStep, TwoStageLossResult> {
  const fn = 'recipes.solar';
  const o = withDefaults<SolarOptions>(options, { ...DEFAULTS }, fn);
  checkTwoStageOptions(o, fn);
  assertNumber(o.lambda, { min: 0, minExclusive: true }, fn, 'lambda');
  assertNumber(o.iterations, { min: 1, integer: true }, fn, 'iterations');
  assertNumber(o.queueBatches, { min: 1, integer: true }, fn, 'queueBatches');
  assertNumber(o.confidence, { min: 0, max: 1 }, fn, 'confidence');
  return createTwoStageRecipe(
    {
      name: 'solar',
      // Solar's README: --rho_range 0.2,0.6 on CIFAR-10, 0.2,0.5 on CIFAR-100.
      rhoEnd: (c) => (c <= 10 ? 0.6 : 0.5),
      resolve: () => ({}),
      createQueue: () => new SinkhornQueue({ batches: o.queueBatches }),
      pseudoLabels: (s, logits, r, queue) =>
        sinkhornPseudoLabels(s, logits, r, {
          lambda: o.lambda,
          iterations: o.iterations,
          ...(queue ? { queue } : {}),
        }),
      select: (w, logits, r, rho) =>
        selectSmallLoss(w, logits, {
          rho,
          quota: 'prior',
          prior: r,
          confidenceOverride: o.confidence,
        }),
    },
    o,
    { ...o },
  );
}
