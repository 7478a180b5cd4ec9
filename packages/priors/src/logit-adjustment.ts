import {
  assertDistribution,
  assertNumber,
  assertRank,
  assertSameShape,
  DISTRIBUTION_EPS,
  logRatio,
  stopGradient,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Added inside logs and ratios (docs/methods/004-udal.md, notation: eps = 1e-9). */
const EPS = DISTRIBUTION_EPS;

function distribution(x: TensorInput, fn: string, parameter: string): tf.Tensor {
  const t = toTensor(x, fn, parameter, 'float32');
  assertRank(t, 1, fn, parameter);
  const host = valuesToCheck(x);
  if (host !== undefined) assertDistribution(host, fn, parameter, { length: t.shape[0] });
  return stopGradient(t);
}

function logitAdjustment_(current: TensorInput, target: TensorInput): tf.Tensor1D {
  const fn = 'logitAdjustment';
  const c = distribution(current, fn, 'current');
  const t = distribution(target, fn, 'target');
  assertSameShape(c, t, fn, 'current', 'target');
  return logRatio(c, t) as tf.Tensor1D;
}

/**
 * UDAL's logit adjustment: `log((current + 1e-9) / (target + 1e-9))`, a `[C]` vector added to
 * the logits inside the cross-entropy (paper 004, eq. 6 and 9, Algorithm 1; docs/methods/004-udal.md):
 * - labeled branch: `current = p_data` (see {@link classPrior}),
 * - unlabeled branch: `current = p̂` (an {@link EmaPrior} of {@link meanDistribution}),
 * - `target = p̃` from {@link progressiveTarget}.
 *
 * Both inputs are `[C]` distributions (zeros allowed: the 1e-9 keeps the log finite). Host
 * arrays are checked (`NOT_A_DISTRIBUTION`); tensors at the validation level 'values' (core). Computed without gradient.
 *
 * @example
 * ```ts
 * const adj = logitAdjustment([0.75, 0.25], [0.5, 0.5]); // [log 1.5, log 0.5]
 * const adjusted = tf.add(logits, adj); // broadcast over the batch
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const logitAdjustment = /* @__PURE__ */ tf.op({ logitAdjustment_ });

/** Options of {@link inferenceLogitAdjustment}. */
export interface InferenceLogitAdjustmentOptions {
  /** Strength τ ≥ 0. Default 1. */
  tau?: number;
}

function inferenceLogitAdjustment_(
  pData: TensorInput,
  options: InferenceLogitAdjustmentOptions = {},
): tf.Tensor1D {
  const fn = 'inferenceLogitAdjustment';
  const { tau } = withDefaults(options, { tau: 1 }, fn);
  assertNumber(tau, { min: 0 }, fn, 'tau');
  const p = distribution(pData, fn, 'pData');
  return tf.mul(tf.log(tf.add(p, EPS)), -tau);
}

/**
 * Post-hoc logit adjustment ("LA (Inf)", Menon et al. 2021; docs/methods/004-udal.md: at inference
 * `logits − τ·log p_data`): returns `−τ·log(p_data + 1e-9)`, a `[C]` vector to **add** to
 * the logits of a model trained without adjustment. The 1e-9 (docs/methods/README.md notation) keeps a
 * zero-frequency class finite (it gets `+τ·20.7`). Host arrays are checked
 * (`NOT_A_DISTRIBUTION`); tensors at the validation level 'values' (core). Computed without gradient.
 *
 * @example
 * ```ts
 * const balanced = tf.add(logits, inferenceLogitAdjustment(pData, { tau: 1 }));
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const inferenceLogitAdjustment = /* @__PURE__ */ tf.op({ inferenceLogitAdjustment_ });
