import * as tf from '@tensorflow/tfjs-core';

/** Floor inside the logs: a floored entry is multiplied by a 0 weight (no 0·log 0 NaN). */
export const LOG_FLOOR = 1e-30;

/**
 * `−1 / ((1 − α)·log(1 − α))`, the factor that keeps the α-skewed Jensen–Shannon divergence on
 * the scale of KL (it tends to 1/α as α → 0). Englesson & Azizpour 2021, eq. 4; QLL (paper 003)
 * applies it to its stochastic JS (docs/methods/003-qll-cpu.md, "SJS").
 */
export function sjsScale(alpha: number): number {
  return -1 / ((1 - alpha) * Math.log1p(-alpha));
}

/**
 * The scaled α-skewed Jensen–Shannon divergence over the last axis, the one copy of the
 * formula that `jensenShannonLoss` and `scaledSjsDivergence` share:
 * `[α·KL(p‖m) + (1 − α)·KL(q‖m)]·sjsScale(α)`, `m = α·p + (1 − α)·q`.
 *
 * `logQ` is passed in so callers with logits use a stable log-softmax / log-sigmoid; `p` may
 * broadcast against `q` (e.g. a constant Bernoulli target `[2]` against `[B, C, 2]`).
 */
export function scaledJensenShannon(
  p: tf.Tensor,
  q: tf.Tensor,
  logQ: tf.Tensor,
  alpha: number,
): tf.Tensor {
  const m = tf.add(tf.mul(p, alpha), tf.mul(q, 1 - alpha));
  const logM = tf.log(tf.maximum(m, LOG_FLOOR));
  const logP = tf.log(tf.maximum(p, LOG_FLOOR));
  const klPM = tf.sum(tf.mul(p, tf.sub(logP, logM)), -1);
  const klQM = tf.sum(tf.mul(q, tf.sub(logQ, logM)), -1);
  return tf.mul(tf.add(tf.mul(klPM, alpha), tf.mul(klQM, 1 - alpha)), sjsScale(alpha));
}
