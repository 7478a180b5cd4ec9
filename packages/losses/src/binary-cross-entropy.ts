import {
  assertNumber,
  checkInRange,
  type ReduceOptions,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertClassOrElementShape, elementLabels, logitsMatrix } from './internal/inputs';
import { softplus } from './internal/math';
import { reduceElements, resolveElementOptions } from './internal/options';
import type { ElementLoss } from './types';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReduceOptions {
  /**
   * Label smoothing ε in [0, 1): targets become `(1 − ε)·y + ε/2` (BCE-LS uses 0.1; the same
   * convention as `tf.losses.sigmoidCrossEntropy` and Keras). Default 0.
   */
  labelSmoothing?: number;
  /**
   * Weight of the positive term, a number, `[C]` per class or `[B, C]` per element:
   * `ℓ = −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))]` (as PyTorch's `pos_weight`). Default 1.
   */
  posWeight?: number | TensorInput;
}

function binaryCrossEntropy_(
  labels: TensorInput,
  logits: TensorInput,
  options?: BinaryCrossEntropyOptions,
): tf.Tensor {
  const fn = 'binaryCrossEntropy';
  const o = resolveElementOptions(
    options,
    { labelSmoothing: 0, posWeight: 1 as number | TensorInput },
    fn,
  );
  assertNumber(o.labelSmoothing, { min: 0, max: 1, maxExclusive: true }, fn, 'labelSmoothing');
  const x = logitsMatrix(logits, fn);
  let y: tf.Tensor = elementLabels(labels, x, fn);
  const [batch, classes] = x.shape;
  let pos: tf.Tensor | number;
  if (typeof o.posWeight === 'number') {
    assertNumber(o.posWeight, { min: 0 }, fn, 'posWeight');
    pos = o.posWeight;
  } else {
    pos = toTensor(o.posWeight, fn, 'posWeight', 'float32');
    assertClassOrElementShape(pos, batch, classes, fn, 'posWeight', true);
    checkInRange(o.posWeight, { min: 0 }, fn, 'posWeight');
  }
  if (o.labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - o.labelSmoothing), o.labelSmoothing / 2);
  // −log(1 − σ(x)) = softplus(x) and −log σ(x) = softplus(x) − x, both finite for |x| = 1e4.
  const s = softplus(x);
  let perElement: tf.Tensor;
  if (pos === 1) {
    // max(x, 0) − x·y + log(1 + exp(−|x|)).
    perElement = tf.sub(s, tf.mul(x, y));
  } else {
    perElement = tf.add(tf.mul(tf.sub(1, y), s), tf.mul(tf.mul(pos, y), tf.sub(s, x)));
  }
  return reduceElements(perElement, o, fn);
}

/**
 * Binary cross-entropy from logits, per element (multi-label / one-vs-rest):
 * `ℓ_ic = max(x, 0) − x·y + log(1 + exp(−|x|))`, i.e. `−[y·log σ(x) + (1 − y)·log(1 − σ(x))]`
 * (paper 001 eq. 1), computed without forming σ(x), so it stays finite for logits of ±1e4.
 *
 * `labels` are `[B, C]` in [0, 1] (soft targets allowed). `mask` is per element `[B, C]`
 * (or `[B, 1]`, `[C]`) and multiplies the per-element loss before any reduction, as PLM
 * requires (paper 002 eq. 3, docs/methods/002-plm.md); `'mean'` then divides by the number of kept
 * elements. `weights` is `[C]` per class (class-balanced reweighting, paper 002 eq. 8) or
 * `[B, C]` per element.
 *
 * @example
 * ```ts
 * const loss = binaryCrossEntropy(multiLabels, logits, { mask: plmMask(...) });
 * const bceLs = binaryCrossEntropy(multiLabels, logits, { labelSmoothing: 0.1 });
 * // class-balanced: weights from @tailwise/priors
 * const cb = binaryCrossEntropy(multiLabels, logits, { weights: effectiveNumberWeights(trainCounts) });
 * ```
 * Values in [0, 1] are not checked here: see {@link validateBinaryTargets}.
 * @returns a new tensor owned by the caller: a scalar, or `[B, C]` with `reduction: 'none'`.
 */
export const binaryCrossEntropy = /* @__PURE__ */ tf.op({
  binaryCrossEntropy_,
}) as ElementLoss<BinaryCrossEntropyOptions>;
