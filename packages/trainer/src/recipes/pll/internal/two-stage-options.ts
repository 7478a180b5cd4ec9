import { assertBoolean, assertNumber, assertOneOf, type ViewsOption } from '@tailwise/core';
import { parseInitialPrior } from './shared';

/**
 * Options shared by PLR and Solar: the two-stage schedule, the prior EMA, the loss skeleton of
 * docs/methods/000-plr.md and the views. `'auto'` values depend on the number of classes C and are
 * resolved when training starts (C ≤ 10: the papers' CIFAR-10 values; C > 10: CIFAR-100's).
 */
export interface TwoStageOptions {
  /**
   * How `'auto'` schedule values are set (docs/methods/000-plr.md, "Scaling the schedule"):
   * - `'budget'` (default): EMA time constants as fractions of each stage,
   *   `μ = 1 − exp(−1/(priorTimeConstant·E_stage))`, so the prior moves as far in a 30-epoch
   *   run as the paper's does in its 100 + 1000 epochs (τ = 0.1 of a stage reproduces the
   *   paper's μ = 0.1 over 100 epochs and μ = 0.01 over 1000);
   * - `'paper'`: the paper's numbers as printed, μ = 0.1 (C ≤ 10) / 0.05 in pre-estimation and
   *   0.01 after, whatever the run length.
   * Ramps are 5% of each stage in both (the paper's 50 of 1000 epochs).
   */
  schedule: 'budget' | 'paper';
  /**
   * τ of the prior EMA as a fraction of the stage's epochs (`schedule: 'budget'`), in (0, 10].
   * Default 0.1.
   */
  priorTimeConstant: number;
  /**
   * The epoch-0 uniform-candidate stage: each stage's first epoch trains on PRODEN's targets only
   * (`CE(w_proden, f(x_weak))`). Default true (Algorithm 1); false starts the full loss at once.
   */
  candidateStage: boolean;
  /**
   * Small-loss selection (per pseudo-class, `selectSmallLoss`) with the η-weighted skeleton
   * `η·L_selected + (1 − η)·CE(w_proden, f)`. Default true; false: every sample counts as selected.
   */
  selection: boolean;
  /**
   * Re-initialize the model weights when the pre-estimation stage ends. Default true (the paper);
   * false keeps training the same weights with the estimated prior.
   */
  reinitialize: boolean;
  /**
   * Epochs of the pre-estimation stage; the model is then re-initialized and trained for the
   * remaining epochs starting from the estimated prior. `'auto'` (default): 20% of the run's
   * epochs, rounded, leaving at least one epoch for the second stage. 0 disables the stage.
   */
  estEpochs: number | 'auto';
  /**
   * μ of the prior EMA in the pre-estimation stage, in [0, 1): `r ← (1 − μ)·r + μ·r_new`, μ on
   * the new estimate (docs/methods/000-plr.md). `'auto'` (default): from `priorTimeConstant`
   * (`schedule: 'budget'`), or 0.1 for C ≤ 10, 0.05 above (`'paper'`).
   */
  muEstimate: number | 'auto';
  /**
   * μ of the prior EMA in the second stage (or the only one), in [0, 1). `'auto'` (default):
   * from `priorTimeConstant` (`schedule: 'budget'`) or 0.01 (`'paper'`).
   */
  mu: number | 'auto';
  /** ρ at the start of each stage's ramp, in [0, 1]. Default 0.2. */
  rhoStart: number;
  /** ρ at the end of the ramp, in [0, 1]. `'auto'`: the method's paper value for C. */
  rhoEnd: number | 'auto';
  /**
   * Length of the η and ρ ramps in epochs, counted from each stage's first epoch. `'auto'`
   * (default): the papers' 50 of 1000 epochs scaled to the run, `max(1, round(0.05·E₂))` with
   * E₂ the second stage's epochs (Solar's reference ramps over 50 epochs in both stages).
   */
  warmupEpochs: number | 'auto';
  /** Final weight η of the selected-sample losses, in [0, 1]. Default 0.9. */
  eta: number;
  /** α of the mixup coefficient `l ~ Beta(α, α)`. Default 4. */
  mixupAlpha: number;
  /** Use the mixup loss on the selected samples. Default true (false: paper 000's "w/o MU"). */
  mixup: boolean;
  /** Use the consistency loss (strong view vs the weak view's targets). Default true. */
  consistency: boolean;
  /**
   * The weak/strong views of the consistency branch (docs/methods/views.md): `'auto'` (default:
   * image views for `[H, W, 1|3]`, vector views for `[D]`), `'image'`, `'vector'`, `'none'`, a
   * function `(x, rng) => x` for both, or `{ weak, strong }`.
   */
  views: ViewsOption;
  /**
   * Image views: horizontal flips in the weak view (and under the strong view). Default false: a mirrored
   * digit or letter is not the same symbol, so flipping is opt-in. Set it for natural images
   * and clothing (the papers' CIFAR setting flips; on Fashion-MNIST a mirrored shoe or shirt is
   * still a shoe or a shirt).
   */
  flip: boolean;
  /** Largest shift of the weak view as a fraction of the side, in [0, 0.5]. Default 0.125. */
  translate: number;
  /** RandAugment operations per image in the strong view (integer ≥ 0). Default 2. */
  strongOps: number;
  /** Largest Cutout side of the strong view as a fraction of the side, in [0, 1]. Default 0.5. */
  cutout: number;
  /** Vector views: σ of the weak view's Gaussian noise, in the features' units (>= 0). Default 0.1. */
  noiseStd: number;
  /** Vector views: SCARF corruption rate of the strong view, in [0, 1]. Default 0.6. */
  corruptionRate: number;
  /**
   * Starting prior r: `'uniform'` (default, the papers), or C positive numbers summing to 1
   * (an array, or a comma-separated string from `--opt initialPrior=0.5,0.3,0.2`).
   */
  initialPrior: 'uniform' | readonly number[] | string;
}

export const TWO_STAGE_DEFAULTS: TwoStageOptions = {
  schedule: 'budget',
  priorTimeConstant: 0.1,
  candidateStage: true,
  selection: true,
  reinitialize: true,
  estEpochs: 'auto',
  muEstimate: 'auto',
  mu: 'auto',
  rhoStart: 0.2,
  rhoEnd: 'auto',
  warmupEpochs: 'auto',
  eta: 0.9,
  mixupAlpha: 4,
  mixup: true,
  consistency: true,
  views: 'auto',
  flip: false,
  translate: 0.125,
  strongOps: 2,
  cutout: 0.5,
  noiseStd: 0.1,
  corruptionRate: 0.6,
  initialPrior: 'uniform',
};

/** Checks an option that is either `'auto'` or a number within `bounds`. */
export function assertAutoNumber(
  value: unknown,
  bounds: Parameters<typeof assertNumber>[1],
  fn: string,
  parameter: string,
): void {
  if (value !== 'auto') assertNumber(value, bounds, fn, parameter);
}

/** Checks the shared options (the variant checks its own). */
export function checkTwoStageOptions(o: TwoStageOptions, fn: string): void {
  assertAutoNumber(o.estEpochs, { min: 0, integer: true }, fn, 'estEpochs');
  assertAutoNumber(o.muEstimate, { min: 0, max: 1, maxExclusive: true }, fn, 'muEstimate');
  assertOneOf(o.schedule, ['budget', 'paper'] as const, fn, 'schedule');
  assertNumber(
    o.priorTimeConstant,
    { min: 0, minExclusive: true, max: 10 },
    fn,
    'priorTimeConstant',
  );
  assertBoolean(o.candidateStage, fn, 'candidateStage');
  assertBoolean(o.selection, fn, 'selection');
  assertBoolean(o.reinitialize, fn, 'reinitialize');
  assertAutoNumber(o.mu, { min: 0, max: 1, maxExclusive: true }, fn, 'mu');
  assertNumber(o.rhoStart, { min: 0, max: 1 }, fn, 'rhoStart');
  assertAutoNumber(o.rhoEnd, { min: 0, max: 1 }, fn, 'rhoEnd');
  assertAutoNumber(o.warmupEpochs, { min: 0, integer: true }, fn, 'warmupEpochs');
  assertNumber(o.eta, { min: 0, max: 1 }, fn, 'eta');
  assertNumber(o.mixupAlpha, { min: 0, minExclusive: true }, fn, 'mixupAlpha');
  assertBoolean(o.mixup, fn, 'mixup');
  assertBoolean(o.consistency, fn, 'consistency');
  assertBoolean(o.flip, fn, 'flip');
  assertNumber(o.translate, { min: 0, max: 0.5 }, fn, 'translate');
  assertNumber(o.strongOps, { min: 0, integer: true }, fn, 'strongOps');
  assertNumber(o.cutout, { min: 0, max: 1 }, fn, 'cutout');
  assertNumber(o.noiseStd, { min: 0 }, fn, 'noiseStd');
  assertNumber(o.corruptionRate, { min: 0, max: 1 }, fn, 'corruptionRate');
  parseInitialPrior(o.initialPrior, fn);
}
