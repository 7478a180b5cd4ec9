import {
  assertRank,
  assertValuesIn,
  fail,
  formatShape,
  type TensorInput,
  toTensor,
  valuesToCheck,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

function positiveNegativeRatio_(labels: TensorInput): tf.Tensor1D {
  const fn = 'positiveNegativeRatio';
  const y = toTensor(labels, fn, 'labels', 'float32');
  assertRank(y, 2, fn, 'labels');
  if (y.shape[0] === 0 || y.shape[1] === 0) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'labels',
      'a non-empty [N, C] tensor',
      `shape ${formatShape(y.shape)}`,
    );
  }
  const host = valuesToCheck(labels);
  if (host !== undefined) assertValuesIn(host, [0, 1], fn, 'labels');
  const positives = tf.sum(tf.cast(tf.equal(y, 1), 'float32'), 0);
  const negatives = tf.sum(tf.cast(tf.equal(y, 0), 'float32'), 0);
  // A class present in every sample has n⁻ = 0 and r = ∞; the denominator is clamped to 1
  // so every ratio stays finite (r = n⁺), which PLM's mask and ratio update can use.
  return tf.div(positives, tf.maximum(negatives, 1));
}

/**
 * Per-class ratio of positives to negatives in multi-label data: `r_c = n_c⁺ / n_c⁻`
 * (PLM, paper 002, Section 3 "Notation"; docs/methods/002-plm.md). It is PLM's `r_c` and the
 * paper's default initial ideal ratio `r̄_{c,1}`.
 *
 * `labels` is `[N, C]` in {0, 1}. A class with **no negatives** gets `r_c = n_c⁺ / max(n_c⁻, 1)
 * = n_c⁺` (finite, never Infinity). A class with no positives gets 0, which `plmMask` refuses
 * (it would mask all of that class's negatives). Host arrays are checked for 0/1 values
 * (`INVALID_VALUE`); tensors at the validation level 'values' (core).
 *
 * @example
 * ```ts
 * const r = positiveNegativeRatio(trainLabels); // [C]
 * const adapter = new RatioAdapter({ initial: await r.data() });
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const positiveNegativeRatio = /* @__PURE__ */ tf.op({ positiveNegativeRatio_ });
