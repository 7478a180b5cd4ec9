import {
  assertNumber,
  assertOneOf,
  fail,
  type Rng,
  type TensorInput,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { classTargets, logitsMatrix } from './internal/inputs';
import { LOG_FLOOR, scaledJensenShannon } from './internal/jensen-shannon';
import { softplus } from './internal/math';
import { sampleSjsAlpha } from './scaled-sjs-divergence';

/** Inner loss `l` of {@link cpuRisk} between a label's Bernoulli and the prediction's. */
export type CpuDivergence = 'sjs' | 'kl' | 'ce';

/** Options of {@link cpuRisk}. */
export interface CpuRiskOptions {
  /** π_p^(1), the weight of the positive risk, in (0, 1]. Default 0.1 (paper 003, §V). */
  pi1?: number;
  /**
   * π_p^(2), the class prior in the negative risk, in (0, 1]. Required; the paper uses m/C
   * (m instances per mixture, C classes), the chance that a class is present in a mixture.
   */
  pi2: number;
  /** Inner loss: scaled stochastic JS (default), KL or binary cross-entropy. */
  divergence?: CpuDivergence;
  /** The per-class score `g_j`: `'sigmoid'` of logit j (default) or the `'softmax'` entry j. */
  activation?: 'sigmoid' | 'softmax';
  /** Source of the per-step SJS skew α (see `sampleSjsAlpha`); needed for `'sjs'` without `alpha`. */
  rng?: Rng;
  /** Fixes the SJS skew α in (0, 0.5] instead of drawing it from `rng` (tests, ablations). */
  alpha?: number;
}

/** Result of {@link cpuRisk}; the caller owns (and disposes) both tensors. */
export interface CpuRiskResult {
  /** The scalar to differentiate: the mean over classes of Algorithm 1's per-class value. */
  objective: tf.Scalar;
  /** The non-negative risk `mean_j [π1·R̂p⁺ + max(neg_j, 0)]`, eq. 5, for logging. */
  risk: tf.Scalar;
  /** The SJS skew used (drawn or given); `undefined` for `'kl'` and `'ce'`. */
  alpha: number | undefined;
}

interface Resolved {
  pi1: number;
  pi2: number;
  divergence: CpuDivergence;
  activation: 'sigmoid' | 'softmax';
  rng: Rng | undefined;
  alpha: number | undefined;
}

const POSITIVE = [1, 0];
const NEGATIVE = [0, 1];

/** log g and log(1 − g), each [B, C], and g itself, for the chosen activation. */
function bernoulliLogs(
  x: tf.Tensor2D,
  activation: 'sigmoid' | 'softmax',
): { g: tf.Tensor; logG: tf.Tensor; logNotG: tf.Tensor } {
  if (activation === 'sigmoid') {
    // log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z): finite for any finite z.
    return { g: tf.sigmoid(x), logG: tf.neg(softplus(tf.neg(x))), logNotG: tf.neg(softplus(x)) };
  }
  const logG = tf.logSoftmax(x);
  const g = tf.exp(logG);
  // 1 − p_j as the sum of the other classes' probabilities (a matMul with 1 − I): no
  // cancellation when p_j is close to 1.
  const c = x.shape[1];
  const others = tf.sub(tf.ones([c, c]), tf.eye(c));
  return { g, logG, logNotG: tf.log(tf.maximum(tf.matMul(g, others), LOG_FLOOR)) };
}

/** The inner loss against the +1 and the −1 label, element-wise [B, C]. */
function innerLosses(
  x: tf.Tensor2D,
  o: Resolved,
  alpha: number | undefined,
): { positive: tf.Tensor; negative: tf.Tensor } {
  const { g, logG, logNotG } = bernoulliLogs(x, o.activation);
  if (o.divergence === 'ce') return { positive: tf.neg(logG), negative: tf.neg(logNotG) };
  const q = tf.stack([g, tf.sub(1, g)], -1);
  const logQ = tf.stack([logG, logNotG], -1);
  const p = tf.tensor1d(POSITIVE);
  const n = tf.tensor1d(NEGATIVE);
  if (o.divergence === 'kl') {
    // KL(P‖Q) = Σ P·(log P − log Q); for a hard Bernoulli target it equals the 'ce' value.
    const kl = (t: tf.Tensor) =>
      tf.sum(tf.mul(t, tf.sub(tf.log(tf.maximum(t, LOG_FLOOR)), logQ)), -1);
    return { positive: kl(p), negative: kl(n) };
  }
  return {
    positive: scaledJensenShannon(p, q, logQ, alpha!),
    negative: scaledJensenShannon(n, q, logQ, alpha!),
  };
}

function cpuRisk_(
  labels: TensorInput,
  logits: TensorInput,
  options: CpuRiskOptions,
): CpuRiskResult {
  const fn = 'cpuRisk';
  const o = withDefaults<Resolved>(
    options,
    {
      pi1: 0.1,
      pi2: undefined as unknown as number,
      divergence: 'sjs',
      activation: 'sigmoid',
      rng: undefined,
      alpha: undefined,
    },
    fn,
  );
  assertNumber(o.pi1, { min: 0, minExclusive: true, max: 1 }, fn, 'pi1');
  assertNumber(o.pi2, { min: 0, minExclusive: true, max: 1 }, fn, 'pi2');
  assertOneOf(o.divergence, ['sjs', 'kl', 'ce'] as const, fn, 'divergence');
  assertOneOf(o.activation, ['sigmoid', 'softmax'] as const, fn, 'activation');
  if (o.alpha !== undefined) {
    assertNumber(o.alpha, { min: 0, minExclusive: true, max: 0.5 }, fn, 'alpha');
  }
  let alpha: number | undefined;
  if (o.divergence === 'sjs') {
    if (o.alpha !== undefined) alpha = o.alpha;
    else if (o.rng === undefined) {
      fail(
        'INVALID_OPTION',
        fn,
        'rng',
        "an Rng (createRng(seed)) to draw the SJS skew, or a fixed `alpha`, with divergence 'sjs'",
        'undefined',
      );
    } else alpha = sampleSjsAlpha(o.rng);
  }

  const x = logitsMatrix(logits, fn);
  const batch = x.shape[0];
  if (batch === 0)
    fail('SHAPE_MISMATCH', fn, 'logits', 'a batch of at least one row', 'shape [0, *]');
  // Labels out of [0, C) are refused by classTargets at the validation level in force (core).
  const y = classTargets(labels, x, fn);

  const { positive, negative } = innerLosses(x, o, alpha);
  // P_j = the rows labeled j; U_j = every row of the batch (docs/methods/003-qll-cpu.md,
  // "Risk"). An empty P_j contributes 0 to R̂p⁺ and R̂p⁻ (the count is floored at 1).
  const count = tf.maximum(tf.sum(y, 0), 1);
  const riskPositive = tf.div(tf.sum(tf.mul(y, positive), 0), count);
  const riskPositiveAsNegative = tf.div(tf.sum(tf.mul(y, negative), 0), count);
  const riskUnlabeledAsNegative = tf.mean(negative, 0);
  const neg = tf.sub(riskUnlabeledAsNegative, tf.mul(riskPositiveAsNegative, o.pi2));
  const positivePart = tf.mul(riskPositive, o.pi1);
  // Algorithm 1: when the negative part is non-negative, descend on the whole risk; when it
  // went below 0, descend on −neg (push it back up) and drop the positive part for the step.
  const keep = tf.greaterEqual(neg, 0);
  const perClass = tf.where(keep, tf.add(positivePart, neg), tf.neg(neg));
  const objective = tf.mean(perClass) as tf.Scalar;
  const risk = tf.mean(tf.add(positivePart, tf.relu(neg))) as tf.Scalar;
  return { objective, risk, alpha };
}

/**
 * The class-wise positive-unlabeled (CPU) risk of QLL (paper 003, eq. 4–5, Algorithm 1) for
 * ambiguous inputs with quantized (hard) labels. Per class j, one-vs-rest with
 * `g_j = sigmoid(x_j)` (or `softmax(x)_j`), positives `P_j` = rows labeled j, unlabeled `U_j` =
 * all rows:
 * ```
 * R̂p⁺ = mean_{P_j} l(g_j, +1)   R̂p⁻ = mean_{P_j} l(g_j, −1)   R̂u⁻ = mean_{U_j} l(g_j, −1)
 * neg_j = R̂u⁻ − π2·R̂p⁻
 * objective_j = π1·R̂p⁺ + neg_j  if neg_j ≥ 0,  −neg_j otherwise (nnPU, Kiryo et al. 2017)
 * risk_j      = π1·R̂p⁺ + max(neg_j, 0)
 * ```
 * averaged over the C classes. `l` is the scaled SJS divergence (skew α drawn per call from
 * `rng`, or fixed by `alpha`), KL, or binary cross-entropy between the label's Bernoulli
 * `[1, 0]` / `[0, 1]` and `[g, 1 − g]`. Notes: docs/methods/003-qll-cpu.md.
 *
 * @example
 * ```ts
 * const { objective, risk, alpha } = cpuRisk(batch.labels, logits, { pi2: 2 / 10, rng });
 * // differentiate `objective`; log `risk`; dispose both
 * ```
 * @param labels Quantized labels: int32 class indices `[B]` or one-hot rows `[B, C]`, checked
 * (indices in [0, C)) at the validation level in force (core).
 * @param logits `[B, C]`.
 * @returns New scalars `objective` and `risk`, owned by the caller, and the α used.
 * @throws `INVALID_OPTION` for π1 or π2 outside (0, 1], α outside (0, 0.5], an unknown
 * `divergence` / `activation`, or `'sjs'` with neither `rng` nor `alpha`; `INVALID_VALUE` for
 * labels outside [0, C); `SHAPE_MISMATCH` / `DTYPE_MISMATCH` for bad shapes.
 */
export const cpuRisk = /* @__PURE__ */ tf.op({ cpuRisk_ }) as (
  labels: TensorInput,
  logits: TensorInput,
  options: CpuRiskOptions,
) => CpuRiskResult;
