import {
  assertNumber,
  assertSameShape,
  describeValue,
  fail,
  type Rng,
  type TensorInput,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { LOG_FLOOR, scaledJensenShannon } from './internal/jensen-shannon';

/** Options of {@link scaledSjsDivergence}. */
export interface ScaledSjsDivergenceOptions {
  /**
   * Skew α in (0, 1): the weight of `p` in the mixture `m = α·p + (1 − α)·q`. α → 0 gives
   * KL(p‖q), α = 0.5 the (scaled) Jensen–Shannon divergence. Required; draw it per step with
   * {@link sampleSjsAlpha} for QLL's stochastic JS.
   */
  alpha: number;
}

/** Smallest α {@link sampleSjsAlpha} returns (docs/methods/003-qll-cpu.md, "SJS"). */
export const SJS_ALPHA_FLOOR = 1e-3;

/**
 * Draws QLL's SJS skew: `a ~ Beta(0.5, 0.5)`, folded into (0, 0.5] by `min(a, 1 − a)` and
 * clipped below at 1e-3 (paper 003, §III "The choice of the loss function"; the fold and the
 * floor are this repository's reading, docs/methods/003-qll-cpu.md, "SJS"). Draw once per
 * training step; equal seeds give equal sequences.
 *
 * @example
 * ```ts
 * const alpha = sampleSjsAlpha(rng); // in [0.001, 0.5]
 * ```
 * @throws `INVALID_OPTION` when `rng` is not an `Rng`.
 */
export function sampleSjsAlpha(rng: Rng): number {
  if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).beta !== 'function') {
    fail(
      'INVALID_OPTION',
      'sampleSjsAlpha',
      'rng',
      'an Rng (createRng(seed) from @tailwise/core)',
      describeValue(rng),
    );
  }
  const a = rng.beta(0.5, 0.5);
  return Math.max(Math.min(a, 1 - a), SJS_ALPHA_FLOOR);
}

function scaledSjsDivergence_(
  p: TensorInput,
  q: TensorInput,
  options: ScaledSjsDivergenceOptions,
): tf.Tensor {
  const fn = 'scaledSjsDivergence';
  const o = withDefaults<ScaledSjsDivergenceOptions>(
    options,
    { alpha: undefined as unknown as number },
    fn,
  );
  assertNumber(o.alpha, { min: 0, max: 1, minExclusive: true, maxExclusive: true }, fn, 'alpha');
  const pt = toTensor(p, fn, 'p', 'float32');
  const qt = toTensor(q, fn, 'q', 'float32');
  if (pt.rank < 1) fail('SHAPE_MISMATCH', fn, 'p', 'of rank >= 1 ([..., K])', 'a scalar');
  assertSameShape(pt, qt, fn, 'p', 'q');
  return scaledJensenShannon(pt, qt, tf.log(tf.maximum(qt, LOG_FLOOR)), o.alpha);
}

/**
 * QLL's scaled stochastic Jensen–Shannon divergence (paper 003, §III; Englesson & Azizpour 2021
 * for the scaling), over the last axis of two distributions:
 * `D̂(P‖Q) = −1/((1 − α)·log(1 − α)) · [α·KL(P‖M) + (1 − α)·KL(Q‖M)]`, `M = α·P + (1 − α)·Q`.
 * It tends to KL(P‖Q) as α → 0 and is `2/ln 2 ·` JS(P, Q) at α = 0.5. Terms with a zero
 * probability contribute 0 (no 0·log 0 NaN); values and gradients are finite.
 *
 * `cpuRisk` uses it as the inner loss between a label's Bernoulli and the prediction's.
 *
 * @example
 * ```ts
 * const d = scaledSjsDivergence([[1, 0]], [[0.7, 0.3]], { alpha: sampleSjsAlpha(rng) }); // [1]
 * ```
 * @param p Distributions `[..., K]` (rows summing to 1; not read here).
 * @param q Distributions of the same shape.
 * @returns A new tensor owned by the caller, of shape `p.shape` without its last axis.
 * Differentiable in `p` and `q`.
 * @throws `INVALID_OPTION` for α outside (0, 1); `SHAPE_MISMATCH` for shapes that differ.
 */
export const scaledSjsDivergence = /* @__PURE__ */ tf.op({ scaledSjsDivergence_ });
