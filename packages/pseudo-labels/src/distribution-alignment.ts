import {
  checkDistributionRows,
  type TensorInput,
  withDefaults,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { requireOption, toDistribution, toMatrix } from './internal/inputs';

/** Options of {@link distributionAlignment}. */
export interface DistributionAlignmentOptions {
  /** `[C]` the distribution aligned from: p̂, the model's running mean prediction. Required. */
  from: TensorInput;
  /** `[C]` the distribution aligned to: the target p̃ (e.g. `progressiveTarget`). Required. */
  to: TensorInput;
}

const EPS = 1e-9;

function distributionAlignment_(
  probs: TensorInput,
  options: DistributionAlignmentOptions,
): tf.Tensor2D {
  const fn = 'distributionAlignment';
  const o = withDefaults<Partial<DistributionAlignmentOptions>>(options, {}, fn, ['from', 'to']);
  const q = toMatrix(probs, fn, 'probs');
  const c = q.shape[1];
  checkDistributionRows(probs, c, fn, 'probs', { tolerance: 1e-3 });
  const from = toDistribution(
    requireOption(o.from, fn, 'from', `a distribution over ${c} classes`),
    c,
    fn,
    'from',
  );
  const to = toDistribution(
    requireOption(o.to, fn, 'to', `a distribution over ${c} classes`),
    c,
    fn,
    'to',
  );
  return withoutGradient(
    (qt, ft, tt) => {
      // docs/methods/004-udal.md: eps = 1e-9 in ratios, so a class the model never predicts cannot divide by 0.
      const aligned = tf.mul(qt, tf.div(tf.add(tt, EPS), tf.add(ft, EPS)));
      return tf.div(aligned, tf.sum(aligned, 1, true)) as tf.Tensor2D;
    },
    [q, from, to],
  );
}

/**
 * Distribution alignment (ReMixMatch): rescales predicted class probabilities by the ratio of a
 * target distribution to the model's running mean prediction, then renormalizes each row.
 *
 * `q̃ = normalize(q · (p̃ + ε) / (p̂ + ε))`, ε = 1e-9 — UDAL paper (004) eq. 1 (Berthelot et al.,
 * 2020), with p̃ the progressive target of eq. 2 for FixMatch + DA (docs/methods/004-udal.md, peers).
 * No gradient flows to `probs`.
 *
 * @param probs `[B, C]` predicted probabilities (e.g. softmax of the weak view).
 * @returns `[B, C]` float32 aligned probabilities, rows summing to 1; a new tensor owned by the
 *   caller.
 *
 * @example
 * ```ts
 * const q = tf.softmax(logitsWeak);
 * const aligned = distributionAlignment(q, { from: emaPrior.value, to: target });
 * ```
 */
export const distributionAlignment = /* @__PURE__ */ tf.op({ distributionAlignment_ });
