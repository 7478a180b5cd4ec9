import { assertBoolean, assertNumber, type ViewsOption, withDefaults } from '@tailwise/core';

/** Options shared by every semi-supervised recipe (FixMatch base, docs/methods/004-udal.md). */
export interface SslBaseOptions {
  /** μ: unlabeled samples per labeled sample in a step (μ·B unlabeled rows). Default 7. */
  mu: number;
  /**
   * Steps in an epoch (integer ≥ 0). 0 (default): one pass over the labeled set in batches of
   * B. A positive value fixes the epoch length in steps, as FixMatch and UDAL count epochs in
   * iterations (paper 004, Sec. 4.3: 1024 per epoch); the labeled set is then re-shuffled
   * whenever a pass ends.
   */
  epochSteps: number;
  /** Confidence threshold τ of the pseudo-labels, in [0, 1]. Default 0.95. */
  threshold: number;
  /** λ_u: weight of the unlabeled loss. Default 1. */
  lambdaU: number;
  /** Decay of the EMA of the weights used at evaluation, in [0, 1]. Default 0.999. */
  emaDecay: number;
  /**
   * EMA warm-up: decay `min(emaDecay, (1 + t)/(10 + t))` at update t (TensorFlow's
   * `ExponentialMovingAverage` with `num_updates`). Default true: short runs (hundreds of
   * steps, not FixMatch's 2^20) would otherwise evaluate weights still mostly at their
   * random initialization. After ~9,000 steps the decay is `emaDecay` either way.
   */
  emaWarmup: boolean;
  /** Decay of the EMA prior p̂ of the weak-view predictions, in [0, 1]. Default 0.999. */
  priorMomentum: number;
  /**
   * The weak/strong views (docs/methods/views.md): `'auto'` (default: image views for
   * `[H, W, 1|3]`, vector views for `[D]`), `'image'`, `'vector'`, `'none'`, a function
   * `(x, rng) => x` for both, or `{ weak, strong }`.
   */
  views: ViewsOption;
  /**
   * Image views: horizontal flips in the weak view (and under the strong view). Default true
   * (FixMatch on natural images). Turn off for digits, where a mirrored digit is not a digit.
   */
  flip: boolean;
  /** Image views: largest translation as a fraction of the side, in [0, 0.5]. Default 0.125. */
  translate: number;
  /** Image views: RandAugment operations per image in the strong view (integer ≥ 0). Default 2. */
  strongOps: number;
  /** Image views: largest Cutout side as a fraction of the side, in [0, 1]. Default 0.5. */
  cutout: number;
  /** Vector views: σ of the weak view's Gaussian noise, in the features' units (>= 0). Default 0.1. */
  noiseStd: number;
  /** Vector views: SCARF corruption rate of the strong view, in [0, 1]. Default 0.6. */
  corruptionRate: number;
  /**
   * Log the mask rate and pseudo-label statistics per epoch (one small readback per step).
   * Default true.
   */
  diagnostics: boolean;
}

/** Progressive target schedule `α_t = 1 − (1 − αMin)·(t/T)^k` (paper 004, eq. 10). */
export interface TargetSchedule {
  alphaMin: number;
  k: number;
}

export const SSL_BASE_DEFAULTS: SslBaseOptions = {
  mu: 7,
  epochSteps: 0,
  threshold: 0.95,
  lambdaU: 1,
  emaDecay: 0.999,
  emaWarmup: true,
  priorMomentum: 0.999,
  views: 'auto',
  flip: true,
  translate: 0.125,
  strongOps: 2,
  cutout: 0.5,
  noiseStd: 0.1,
  corruptionRate: 0.6,
  diagnostics: true,
};

/** Merges defaults (unknown keys are refused) and checks every shared option. */
export function resolveOptions<T extends SslBaseOptions>(
  options: Partial<T> | undefined,
  extraDefaults: Omit<T, keyof SslBaseOptions>,
  fn: string,
): T {
  const o = withDefaults<T>(options, { ...SSL_BASE_DEFAULTS, ...extraDefaults } as T, fn);
  assertNumber(o.mu, { min: 1, integer: true }, fn, 'mu');
  assertNumber(o.epochSteps, { min: 0, integer: true }, fn, 'epochSteps');
  assertNumber(o.threshold, { min: 0, max: 1 }, fn, 'threshold');
  assertNumber(o.lambdaU, { min: 0 }, fn, 'lambdaU');
  assertNumber(o.emaDecay, { min: 0, max: 1 }, fn, 'emaDecay');
  assertBoolean(o.emaWarmup, fn, 'emaWarmup');
  assertNumber(o.priorMomentum, { min: 0, max: 1 }, fn, 'priorMomentum');
  assertBoolean(o.flip, fn, 'flip');
  assertNumber(o.translate, { min: 0, max: 0.5 }, fn, 'translate');
  assertNumber(o.strongOps, { min: 0, integer: true }, fn, 'strongOps');
  assertNumber(o.cutout, { min: 0, max: 1 }, fn, 'cutout');
  assertNumber(o.noiseStd, { min: 0 }, fn, 'noiseStd');
  assertNumber(o.corruptionRate, { min: 0, max: 1 }, fn, 'corruptionRate');
  assertBoolean(o.diagnostics, fn, 'diagnostics');
  return o;
}

/** Checks `alphaMin ∈ [0, 1]` and `k ≥ 0` (paper 004, eq. 10). */
export function assertSchedule(alphaMin: unknown, k: unknown, fn: string): void {
  assertNumber(alphaMin, { min: 0, max: 1 }, fn, 'alphaMin');
  assertNumber(k, { min: 0 }, fn, 'k');
}
