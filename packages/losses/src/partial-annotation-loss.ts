import {
  assertNumber,
  assertOneOf,
  checkValuesIn,
  fail,
  type ReduceOptions,
  type TensorInput,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { elementLabels, logitsMatrix } from './internal/inputs';
import { softplus } from './internal/math';
import { multiLabelState, stateMasks } from './internal/multi-label-state';
import { reduceElements, resolveElementOptions } from './internal/options';

/** Which entries of the batch P/T of β counts (docs/methods/001-partial-annotations.md, "α and β"). */
export type BetaFrom = 'known' | 'all';

/** Options of {@link partialAnnotationLoss}. */
export interface PartialAnnotationLossOptions extends ReduceOptions {
  /** Current epoch e, **1-based**, in [1, totalEpochs] (eq. 9). Required. */
  epoch: number;
  /** Number of epochs E_total ≥ 1 (eq. 9). Required. */
  totalEpochs: number;
  /** Shift m of the dynamic coefficient d (eq. 9). Default 3. */
  m?: number;
  /** Floor γ of β, in [0, 1] (eq. 8). Default 0.05. */
  gamma?: number;
  /**
   * `[B, C]` 0/1 mask of the unknown entries taking part in this step (the set Q of eq. 12, from
   * `subsampleUnknown` in `@tailwise/masking`). Only unknown entries count; a 1 on a known entry
   * is ignored. Default: every unknown entry (q = 1, the paper's "remove q" ablation).
   */
  selected?: TensorInput;
  /**
   * P/T of β: `'known'` (default) = known positives over known entries of the batch; `'all'` =
   * known positives over all B·C entries.
   */
  betaFrom?: BetaFrom;
}

/**
 * The dynamic coefficient `d = exp((e + m)/E_total − 1)` of eq. 9, with the `− 1` that makes
 * `d = 1` at epoch `E_total − m` (docs/methods/001-partial-annotations.md, "d"); e is 1-based.
 *
 * @example
 * ```ts
 * partialAnnotationD(7, 10); // exp(0) = 1: equal weight at epoch E_total − m
 * ```
 */
export function partialAnnotationD(epoch: number, totalEpochs: number, m = 3): number {
  const fn = 'partialAnnotationD';
  assertNumber(totalEpochs, { min: 1, integer: true }, fn, 'totalEpochs');
  assertNumber(epoch, { min: 1, max: totalEpochs, integer: true }, fn, 'epoch');
  assertNumber(m, { min: 0 }, fn, 'm');
  return Math.exp((epoch + m) / totalEpochs - 1);
}

function partialAnnotationLoss_(
  state: TensorInput,
  pseudoLabels: TensorInput,
  logits: TensorInput,
  options: PartialAnnotationLossOptions,
): tf.Tensor {
  const fn = 'partialAnnotationLoss';
  if (options === undefined || options === null)
    fail('INVALID_OPTION', fn, 'options', 'an object with `epoch` and `totalEpochs`', 'undefined');
  const o = resolveElementOptions(
    options,
    {
      epoch: undefined as unknown as number,
      totalEpochs: undefined as unknown as number,
      m: 3,
      gamma: 0.05,
      selected: undefined as TensorInput | undefined,
      betaFrom: 'known' as BetaFrom,
    },
    fn,
  );
  assertNumber(o.totalEpochs, { min: 1, integer: true }, fn, 'totalEpochs');
  assertNumber(o.epoch, { min: 1, max: o.totalEpochs, integer: true }, fn, 'epoch');
  assertNumber(o.m, { min: 0 }, fn, 'm');
  assertNumber(o.gamma, { min: 0, max: 1 }, fn, 'gamma');
  assertOneOf(o.betaFrom, ['known', 'all'] as const, fn, 'betaFrom');
  const x = logitsMatrix(logits, fn);
  const z = multiLabelState(state, x, fn);
  const targets = elementLabels(pseudoLabels, x, fn, 'pseudoLabels');
  const { positive, negative, unknown } = stateMasks(z);
  let q = unknown;
  if (o.selected !== undefined) {
    const sel = elementLabels(o.selected, x, fn, 'selected');
    checkValuesIn(o.selected, [0, 1], fn, 'selected');
    q = tf.mul(unknown, tf.cast(tf.greater(sel, 0), 'float32')) as tf.Tensor2D;
  }
  const known = tf.add(positive, negative);
  const [batch, classes] = x.shape;

  // β = max(P/T, γ), α = 1 − β from the batch's labels (docs/methods/001-partial-annotations.md,
  // "α and β": P = known positives, T = known entries, or B·C with betaFrom 'all'; T = 0 → 0).
  const p = tf.sum(positive);
  const t = o.betaFrom === 'known' ? tf.sum(known) : tf.scalar(batch * classes);
  const beta = tf.maximum(tf.div(p, tf.maximum(t, 1)), o.gamma);
  const alpha = tf.sub(1, beta);
  const d = partialAnnotationD(o.epoch, o.totalEpochs, o.m);

  // log ŷ = −softplus(−x), log(1 − ŷ) = −softplus(x): finite for any finite logit.
  const spPos = softplus(x);
  const logOneMinus = tf.neg(spPos);
  const logP = tf.sub(x, spPos);
  // Means over E_i and Q_i; an empty set has sum 0 and divides by 1, so its mean is 0.
  const perRowMean = (values: tf.Tensor, count: tf.Tensor) =>
    tf.div(tf.sum(values, 1), tf.maximum(count, 1));
  const nE = tf.sum(known, 1);
  const nQ = tf.sum(q, 1);
  const posE = perRowMean(tf.mul(positive, logP), nE);
  const negE = perRowMean(tf.mul(negative, logOneMinus), nE);
  const posQ = perRowMean(tf.mul(tf.mul(q, targets), logP), nQ);
  const negQ = perRowMean(tf.mul(tf.mul(q, tf.sub(1, targets)), logOneMinus), nQ);

  // p_i = 2 when every prediction of sample i is ≤ 0.1, else 1 (eq. 10): a step function of the
  // logits, computed off the gradient tape.
  const penalty = withoutGradient(
    (l) => tf.add(1, tf.cast(tf.lessEqual(tf.max(tf.sigmoid(l!), 1), 0.1), 'float32')),
    [x],
  );
  const positiveTerm = tf.mul(alpha, tf.add(posE, tf.mul(posQ, d)));
  const negativeTerm = tf.mul(beta, tf.add(negE, tf.mul(negQ, d)));
  const perSample = tf.neg(tf.mul(penalty, tf.add(positiveTerm, negativeTerm)));
  return reduceElements(perSample, o, fn);
}

/**
 * The loss of paper 001 (Zhang et al., "Towards Imbalanced Large Scale Multi-label
 * Classification with Partially Annotated Labels", eq. 11/12), per sample
 * ```
 * L_i = −p_i·α·[mean_E(y·log ŷ) + d·mean_Q(ỹ·log ŷ)] − p_i·β·[mean_E((1−y)·log(1−ŷ)) + d·mean_Q((1−ỹ)·log(1−ŷ))]
 * ```
 * averaged over the batch, with `ŷ = σ(logits)`, E the known entries of the sample (`state`
 * 1 or 0), Q its selected unknown entries (`selected`, from `subsampleUnknown`), ỹ the
 * pseudo-labels, `β = max(P/T, γ)`, `α = 1 − β` from the batch (`betaFrom`),
 * `d = exp((e + m)/E_total − 1)` and `p_i = 2` when all of sample i's predictions are ≤ 0.1.
 * Every decision the paper leaves open is in docs/methods/001-partial-annotations.md; in short:
 * means over empty sets are 0, the `− 1` in d, P/T from known entries.
 *
 * `state` `[B, C]` in {1, 0, −1}; `pseudoLabels` `[B, C]` in [0, 1] (only read on Q, e.g.
 * `MultiLabelPseudoLabelStore.get`); values are checked at the validation level in force (core:
 * `'values'` by default, `'shapes'` skips tensor readbacks). Log-sigmoid forms: finite for logits of ±1e4. `reduction`
 * `'mean'` (batch mean), `'sum'`, or `'none'` for the `[B]` per-sample values; `mask` and
 * `weights` are per sample `[B]`.
 *
 * @example
 * ```ts
 * const selected = subsampleUnknown(batch.multiLabels, { q: 0.5, rng });
 * const loss = partialAnnotationLoss(batch.multiLabels, store.get(batch.indices), logits,
 *   { epoch: ctx.epoch + 1, totalEpochs: ctx.totalEpochs, selected });
 * ```
 * @returns a new tensor owned by the caller: a scalar, or `[B]` with `reduction: 'none'`.
 */
export const partialAnnotationLoss = /* @__PURE__ */ tf.op({ partialAnnotationLoss_ }) as {
  (
    state: TensorInput,
    pseudoLabels: TensorInput,
    logits: TensorInput,
    options: PartialAnnotationLossOptions & { reduction: 'none' },
  ): tf.Tensor1D;
  (
    state: TensorInput,
    pseudoLabels: TensorInput,
    logits: TensorInput,
    options: PartialAnnotationLossOptions & { reduction?: 'mean' | 'sum' },
  ): tf.Scalar;
  (
    state: TensorInput,
    pseudoLabels: TensorInput,
    logits: TensorInput,
    options: PartialAnnotationLossOptions,
  ): tf.Tensor;
};
