import { assertNumber, type ReduceOptions, type TensorInput } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { classTargets, logitsMatrix, type WeightsPer } from './internal/inputs';
import { scaledJensenShannon } from './internal/jensen-shannon';
import { reduceSamples, resolveSampleOptions } from './internal/options';
import type { SampleLoss } from './types';

/** Options of {@link jensenShannonLoss}. */
export interface JensenShannonLossOptions extends ReduceOptions {
  /**
   * Weight π1 in (0, 1) of the label distribution. π1 → 0 approaches cross-entropy, π1 → 1
   * MAE. Default 0.5; QLL (paper 003, Table IV) tunes it in {0.1, …, 0.9} and uses 0.1–0.2.
   */
  pi1?: number;
  /** How a rank-1 `weights` is read, as in `crossEntropy`. Default `'class'`. */
  weightsPer?: WeightsPer;
}

function jensenShannonLoss_(
  labels: TensorInput,
  logits: TensorInput,
  options?: JensenShannonLossOptions,
): tf.Tensor {
  const fn = 'jensenShannonLoss';
  const o = resolveSampleOptions(options, { pi1: 0.5 }, fn);
  assertNumber(o.pi1, { min: 0, max: 1, minExclusive: true, maxExclusive: true }, fn, 'pi1');
  const pi1 = o.pi1;
  const x = logitsMatrix(logits, fn);
  const y = classTargets(labels, x, fn);
  const logP = tf.logSoftmax(x);
  const js = scaledJensenShannon(y, tf.exp(logP), logP, pi1);
  return reduceSamples(js, y, o, fn);
}

/**
 * Scaled Jensen–Shannon loss (Englesson & Azizpour 2021, eq. 3–4), per sample
 * `ℓ_i = [π1·KL(y_i‖m_i) + (1 − π1)·KL(p_i‖m_i)] / Z`, `m = π1·y + (1 − π1)·p`,
 * `Z = −(1 − π1)·log(1 − π1)`, `p = softmax(x)`. The "JS" peer of QLL (paper 003); its
 * stochastic variant with `a ~ Beta(0.5, 0.5)` per step is QLL's `scaledSjsDivergence`.
 * Options as `crossEntropy`.
 *
 * @example
 * ```ts
 * const loss = jensenShannonLoss(labels, logits, { pi1: 0.1 });
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const jensenShannonLoss = /* @__PURE__ */ tf.op({
  jensenShannonLoss_,
}) as SampleLoss<JensenShannonLossOptions>;
