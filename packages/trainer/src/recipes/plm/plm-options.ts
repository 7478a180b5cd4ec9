import { assertNumber, assertOneOf, describeValue, fail, withDefaults } from '@tailwise/core';
import type { BinaryLossName, TargetSource } from './binary-recipe';

/** How PLM's ideal ratios start: the dataset's `r_c`, a statistic of them, or given values. */
export type PlmInitialRatio = 'dataset' | 'mean' | 'min' | 'max' | readonly number[];

/** Options of the `recipes.plm` recipe. */
export interface PlmOptions {
  /**
   * The element-wise loss PLM masks: `'bce'` (default), `'focal'` (binary focal, γ = `gamma`)
   * or `'classBalanced'` (BCE with effective-number class weights, β = `beta`; paper 002's
   * "PLM (BCE+CB)").
   */
  loss: BinaryLossName;
  /**
   * Rate λ ≥ 0 of the ratio update (eq. 7). `'auto'` (default, docs/methods/002-plm.md): 0.01 for
   * multi-label data, 1.0 for single-label data with at most 10 classes (paper 002's
   * CIFAR-10), 0.01 for more classes (its CIFAR-100).
   */
  lambda: number | 'auto';
  /** Histogram bins τ (eq. 4–5), an integer ≥ 2. Default 10. */
  tau: number;
  /**
   * Optional clip `[rMin, rMax]` of the ideal ratios after each update (paper 002 clips to
   * [0, 1] on MSCOCO), as a pair or a string `'rMin,rMax'` (from `--opt clip=0,1`).
   * Default: none.
   */
  clip: readonly [number, number] | string | undefined;
  /**
   * Starting ideal ratios `r̄_{c,1}`: `'dataset'` (default, the training set's `r_c`, as the
   * paper), `'mean' | 'min' | 'max'` of them for every class, or `[C]` positive values.
   */
  initial: PlmInitialRatio;
  /** β of the class-balanced weights (`loss: 'classBalanced'`). Default 0.999. */
  beta: number;
  /** Focal γ (`loss: 'focal'`). Default 2. */
  gamma: number;
  /** Where the 0/1 targets come from (see `TargetSource`). Default `'auto'`. */
  target: TargetSource;
}

const DEFAULTS: PlmOptions = {
  loss: 'bce',
  lambda: 'auto',
  tau: 10,
  clip: undefined,
  initial: 'dataset',
  beta: 0.999,
  gamma: 2,
  target: 'auto',
};

export const FN = 'recipes.plm';

function parseClip(clip: PlmOptions['clip']): [number, number] | undefined {
  if (clip === undefined) return undefined;
  const pair =
    typeof clip === 'string'
      ? clip.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)))
      : Array.isArray(clip)
        ? [...clip]
        : undefined;
  if (pair === undefined || pair.length !== 2) {
    fail('INVALID_OPTION', FN, 'clip', "a pair [rMin, rMax] (or 'rMin,rMax')", describeValue(clip));
  }
  const [lo, hi] = pair as [number, number];
  assertNumber(lo, { min: 0 }, FN, 'clip[0]');
  assertNumber(hi, { min: lo, ...(lo === 0 ? { minExclusive: true } : {}) }, FN, 'clip[1]');
  return [lo, hi];
}

function checkRatios(values: readonly number[], parameter: string): void {
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(
        'NON_FINITE',
        FN,
        parameter,
        'finite positive ratios',
        `${describeValue(v)} at index ${i}`,
      );
    if (v <= 0) fail('INVALID_VALUE', FN, parameter, 'positive ratios (> 0)', `${v} at index ${i}`);
  });
}

/** PLM's options with defaults merged and checked; `clip` parsed to a pair. */
export function resolvePlmOptions(
  options: Partial<PlmOptions>,
): PlmOptions & { clip: [number, number] | undefined } {
  const o = withDefaults(options, DEFAULTS, FN);
  assertOneOf(o.loss, ['bce', 'focal', 'classBalanced'] as const, FN, 'loss');
  if (o.lambda !== 'auto') assertNumber(o.lambda, { min: 0 }, FN, 'lambda');
  assertNumber(o.tau, { min: 2, integer: true }, FN, 'tau');
  const clip = parseClip(o.clip);
  if (typeof o.initial === 'string') {
    assertOneOf(o.initial, ['dataset', 'mean', 'min', 'max'] as const, FN, 'initial');
  } else if (Array.isArray(o.initial) && o.initial.length > 0) {
    checkRatios(o.initial, 'initial');
  } else {
    fail(
      'INVALID_OPTION',
      FN,
      'initial',
      "'dataset', 'mean', 'min', 'max' or an array of positive ratios",
      describeValue(o.initial),
    );
  }
  assertNumber(o.beta, { min: 0, max: 1, maxExclusive: true }, FN, 'beta');
  assertNumber(o.gamma, { min: 0 }, FN, 'gamma');

  return { ...o, clip };
}
