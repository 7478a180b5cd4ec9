import {
  assertDistribution,
  assertNumber,
  assertRank,
  stopGradient,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link progressiveAlpha} and {@link progressiveTarget}. */
export interface ProgressiveTargetOptions {
  /** Smallest exponent α, reached at `epoch = totalEpochs`, in [0, 1]. Default 0.1. */
  alphaMin?: number;
  /** Rate k ≥ 0 at which α approaches `alphaMin`; k = 0 gives the fixed α = αMin. Default 2. */
  k?: number;
  /** Current epoch t in [0, totalEpochs] (the paper uses the integer epoch; fractions work). */
  epoch: number;
  /** Total epochs T > 0. */
  totalEpochs: number;
}

const DEFAULTS: ProgressiveTargetOptions = {
  alphaMin: 0.1,
  k: 2,
  epoch: undefined as unknown as number,
  totalEpochs: undefined as unknown as number,
};

function resolve(
  options: ProgressiveTargetOptions,
  fn: string,
): Required<ProgressiveTargetOptions> {
  const o = withDefaults(options, DEFAULTS, fn) as Required<ProgressiveTargetOptions>;
  assertNumber(o.alphaMin, { min: 0, max: 1 }, fn, 'alphaMin');
  assertNumber(o.k, { min: 0 }, fn, 'k');
  assertNumber(o.totalEpochs, { min: 0, minExclusive: true }, fn, 'totalEpochs');
  assertNumber(o.epoch, { min: 0, max: o.totalEpochs }, fn, 'epoch');
  return o;
}

function alphaOf(o: Required<ProgressiveTargetOptions>): number {
  return 1 - (1 - o.alphaMin) * (o.epoch / o.totalEpochs) ** o.k;
}

/**
 * UDAL's alignment exponent: `α_t = 1 − (1 − αMin)·(t/T)^k` (paper 004, eq. 10; docs/methods/004-udal.md
 * §004). α falls from 1 at t = 0 to αMin at t = T; `k = 0` keeps α = αMin throughout
 * (`(t/T)^0 = 1`, the fixed-target "LA (Sup)" peer).
 *
 * @example
 * ```ts
 * progressiveAlpha({ alphaMin: 0.1, k: 2, epoch: 5, totalEpochs: 10 }); // 1 − 0.9·0.25 = 0.775
 * ```
 */
export function progressiveAlpha(options: ProgressiveTargetOptions): number {
  return alphaOf(resolve(options, 'progressiveAlpha'));
}

function progressiveTarget_(pData: TensorInput, options: ProgressiveTargetOptions): tf.Tensor1D {
  const fn = 'progressiveTarget';
  const alpha = alphaOf(resolve(options, fn));
  const p = toTensor(pData, fn, 'pData', 'float32');
  assertRank(p, 1, fn, 'pData');
  const host = valuesToCheck(pData);
  // A zero class would get 0^α = 0 target mass (or 1 at α = 0) and an infinite logit
  // adjustment downstream; docs/methods/004-udal.md defines p_data as class frequencies of the
  // labeled set, so a zero means a class without labels: refused, not clamped.
  if (host !== undefined)
    assertDistribution(host, fn, 'pData', { positive: true, length: p.shape[0] });
  const powered = tf.pow(stopGradient(p), alpha);
  return tf.div(powered, tf.sum(powered));
}

/**
 * UDAL's progressive target: `p̃ = normalize(p_data^α_t)` with
 * `α_t = 1 − (1 − αMin)·(t/T)^k` (paper 004, eq. 2 and 10; docs/methods/004-udal.md).
 * Defaults `alphaMin = 0.1`, `k = 2`.
 *
 * `pData` is a `[C]` distribution with positive entries. A host array with a zero, a
 * negative, a non-finite entry or a sum other than 1 throws `NOT_A_DISTRIBUTION` (zeros are
 * refused, not clamped). A tensor is checked the same way at the validation level 'values' (core); at
 * 'shapes' a zero entry gives target 0 (`0^α`, or 1 at α = 0).
 * Computed without gradient.
 *
 * @example
 * ```ts
 * const target = progressiveTarget([0.8, 0.2], { epoch: 5, totalEpochs: 10 });
 * // α = 0.775: [0.8^0.775, 0.2^0.775] / sum ≈ [0.7454, 0.2546]
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const progressiveTarget = /* @__PURE__ */ tf.op({ progressiveTarget_ });
