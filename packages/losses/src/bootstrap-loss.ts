import {
  assertNumber,
  assertOneOf,
  type ReduceOptions,
  stopGradient,
  type TensorInput,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { classTargets, logitsMatrix, type WeightsPer } from './internal/inputs';
import { reduceSamples, resolveSampleOptions } from './internal/options';
import type { SampleLoss } from './types';

/** Options of {@link bootstrapLoss}. */
export interface BootstrapLossOptions extends ReduceOptions {
  /** `'soft'` mixes in the predicted probabilities, `'hard'` the one-hot argmax. Default `'soft'`. */
  mode?: 'soft' | 'hard';
  /** Weight β of the given labels in the target. Default 0.95 (soft) / 0.8 (hard), Reed et al. */
  beta?: number;
  /** How a rank-1 `weights` is read, as in `crossEntropy`. Default `'class'`. */
  weightsPer?: WeightsPer;
}

function bootstrapLoss_(
  labels: TensorInput,
  logits: TensorInput,
  options?: BootstrapLossOptions,
): tf.Tensor {
  const fn = 'bootstrapLoss';
  const o = resolveSampleOptions(
    options,
    { mode: 'soft' as 'soft' | 'hard', beta: undefined as number | undefined },
    fn,
  );
  assertOneOf(o.mode, ['soft', 'hard'] as const, fn, 'mode');
  const beta = o.beta === undefined ? (o.mode === 'hard' ? 0.8 : 0.95) : o.beta;
  assertNumber(beta, { min: 0, max: 1 }, fn, 'beta');
  const x = logitsMatrix(logits, fn);
  const y = classTargets(labels, x, fn);
  const logP = tf.logSoftmax(x);
  // docs/methods/README.md: targets are computed without gradient, so the model's own prediction enters
  // the target as a constant (the reference code's `as_pseudo_label`).
  const own =
    o.mode === 'soft'
      ? stopGradient(tf.exp(logP))
      : tf.cast(tf.oneHot(tf.argMax(x, 1) as tf.Tensor1D, x.shape[1]), 'float32');
  const target = tf.add(tf.mul(y, beta), tf.mul(own, 1 - beta));
  const perSample = tf.neg(tf.sum(tf.mul(target, logP), 1));
  return reduceSamples(perSample, y, o, fn);
}

/**
 * Bootstrapping loss (Reed et al. 2015, eq. 3 soft / eq. 4 hard), per sample
 * `ℓ_i = −Σ_c (β·y_ic + (1 − β)·t_ic)·log p_ic`, with `t = p` (soft) or `t = onehot(argmax p)`
 * (hard), `t` treated as a constant. A noise-robust peer of QLL (paper 003). Options as
 * `crossEntropy`; `weights` per class read the given labels `y`.
 *
 * @example
 * ```ts
 * const loss = bootstrapLoss(labels, logits, { mode: 'hard', beta: 0.8 });
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const bootstrapLoss = /* @__PURE__ */ tf.op({
  bootstrapLoss_,
}) as SampleLoss<BootstrapLossOptions>;
