import * as tf from '@tensorflow/tfjs-core';
import { fail } from './errors';
import { assertOneOf } from './options';
import { withoutGradient } from './stop-gradient';
import { formatShape, type TensorInput, toTensor } from './tensors';
import { checkInRange } from './validation';

/** How a loss turns per-element values into its result. */
export type Reduction = 'mean' | 'sum' | 'batchMean' | 'none';

/** Options of {@link reduceElementwise}; every loss accepts these. */
export interface ReduceOptions {
  /**
   * `'mean'` (default), `'sum'`, `'batchMean'` or `'none'` (per-element values, masked and
   * weighted). `'batchMean'` sums over every axis but the first and averages over the B rows:
   * `Σ(v·m·w) / B`, a denominator that does not depend on the mask — PLM's normalisation
   * (paper 002, eq. 2; docs/methods/002-plm.md): masking an element removes its contribution
   * instead of rescaling the kept ones, and a `[B, C]` loss is summed over classes.
   */
  reduction?: Reduction;
  /**
   * 0/1 mask broadcastable to the values (e.g. `[B, C]` from `plmMask`, or `[B, 1]`). Masked
   * entries contribute zero value and zero gradient; `'mean'` divides by the number of entries
   * the mask keeps (0 when it keeps none, never NaN).
   */
  mask?: TensorInput;
  /**
   * Weights broadcastable to the values: `[C]` per class or `[B, C]` per element for `[B, C]`
   * values; `[B]` per sample for `[B]` values. Weights scale entries; they do not change the
   * denominator of `'mean'`.
   */
  weights?: TensorInput;
}

/** The values {@link Reduction} takes. */
export const REDUCTIONS = ['mean', 'sum', 'batchMean', 'none'] as const;

function assertBroadcastsTo(
  shape: number[],
  target: number[],
  functionName: string,
  parameter: string,
): void {
  const ok =
    shape.length <= target.length &&
    shape.every((d, i) => {
      const t = target[target.length - shape.length + i]!;
      return d === t || d === 1;
    });
  if (!ok) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `broadcastable to the values' shape ${formatShape(target)}`,
      `shape ${formatShape(shape)}`,
    );
  }
}

function reduceElementwise_(
  values: tf.Tensor,
  options: ReduceOptions = {},
  functionName = 'reduceElementwise',
): tf.Tensor {
  const reduction = options.reduction ?? 'mean';
  assertOneOf(reduction, REDUCTIONS, functionName, 'reduction');
  const v = toTensor(values, functionName, 'values', 'float32');
  let out = v;
  let mask: tf.Tensor | undefined;
  if (options.mask !== undefined) {
    const m = toTensor(options.mask, functionName, 'mask', 'float32');
    assertBroadcastsTo(m.shape, v.shape, functionName, 'mask');
    checkInRange(options.mask, { min: 0 }, functionName, 'mask');
    // A mask is a constant: cut it off the tape, comparison included. A mask built from model
    // outputs (pseudo-label confidence) would otherwise put `Greater`, which has no gradient,
    // on the path to the loss and crash backprop.
    const full = withoutGradient((x) => tf.broadcastTo(x!, v.shape), [m]);
    const keep = withoutGradient((x) => tf.greater(tf.broadcastTo(x!, v.shape), 0), [m]);
    // where() rather than multiply: a masked entry whose value is Inf/NaN must not poison the sum.
    out = tf.where(keep, tf.mul(out, full), tf.zerosLike(out));
    mask = full;
  }
  if (options.weights !== undefined) {
    const w = toTensor(options.weights, functionName, 'weights', 'float32');
    assertBroadcastsTo(w.shape, v.shape, functionName, 'weights');
    checkInRange(options.weights, { min: 0 }, functionName, 'weights');
    out = tf.mul(out, w);
  }
  if (reduction === 'none') return out;
  const total = tf.sum(out);
  if (reduction === 'sum') return total;
  if (reduction === 'batchMean') return tf.div(total, Math.max(v.rank === 0 ? 1 : v.shape[0]!, 1));
  if (mask === undefined) return tf.div(total, Math.max(v.size, 1));
  return tf.div(total, tf.maximum(tf.sum(mask), 1));
}

/**
 * Applies an element mask and weights to per-element values and reduces them.
 * Every loss in tailwise ends with it, so masks (PLM), class weights (class-balanced) and
 * reductions compose the same way everywhere.
 *
 * `mean = Σ(v·m·w) / max(Σm, 1)` with a mask, `Σ(v·w) / size` without; `sum = Σ(v·m·w)`;
 * `batchMean = Σ(v·m·w) / B` (B = the first dimension, mask or not: PLM paper 002 eq. 2);
 * `none = v·m·w`.
 *
 * @example
 * ```ts
 * const perElement = tf.losses.sigmoidCrossEntropy(...); // [B, C]
 * const loss = reduceElementwise(perElement, { mask: plmMask(...), reduction: 'mean' });
 * ```
 * @returns a new tensor owned by the caller (scalar unless `reduction: 'none'`).
 */
export const reduceElementwise = /* @__PURE__ */ tf.op({ reduceElementwise_ });
