import {
  assertFiniteValues,
  assertNumber,
  assertRank,
  fail,
  formatShape,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link effectiveNumberWeights}. */
export interface EffectiveNumberWeightsOptions {
  /** β in [0, 1). Default 0.999 (docs/methods/002-plm.md, the class-balanced peer). */
  beta?: number;
}

function effectiveNumberWeights_(
  counts: TensorInput,
  options: EffectiveNumberWeightsOptions = {},
): tf.Tensor1D {
  const fn = 'effectiveNumberWeights';
  const { beta } = withDefaults(options, { beta: 0.999 }, fn);
  assertNumber(beta, { min: 0, max: 1, maxExclusive: true }, fn, 'beta');
  const n = toTensor(counts, fn, 'counts', 'float32');
  assertRank(n, 1, fn, 'counts');
  const numClasses = n.shape[0];
  if (numClasses === 0)
    fail('SHAPE_MISMATCH', fn, 'counts', 'a non-empty [C] tensor', `shape ${formatShape(n.shape)}`);
  const host = valuesToCheck(counts);
  if (host !== undefined) {
    assertFiniteValues(host, fn, 'counts');
    let positive = 0;
    for (let i = 0; i < host.length; i++) {
      const v = host[i]!;
      if (v < 0) fail('INVALID_VALUE', fn, 'counts', 'non-negative counts', `${v} at index ${i}`);
      if (v > 0) positive += 1;
    }
    if (positive === 0)
      fail('INVALID_VALUE', fn, 'counts', 'counts with at least one positive entry', 'all zeros');
  }
  // 1 − β^n as −expm1(n·log β): exact for β near 1 and small n, where 1 − β^n cancels in float32.
  const effective = tf.neg(tf.expm1(tf.mul(n, Math.log(beta))));
  const present = tf.greater(n, 0);
  // A class with no samples has effective number 0 and weight (1 − β)/0 = Inf in Cui et al.;
  // it gets weight 0 instead (nothing of it to reweight) and stays out of the normalisation.
  const raw = tf.where(
    present,
    tf.div(1 - beta, tf.where(present, effective, tf.onesLike(effective))),
    tf.zerosLike(n),
  );
  return tf.divNoNan(tf.mul(raw, numClasses), tf.sum(raw));
}

/**
 * Class-balanced weights from the effective number of samples (Cui et al., CVPR 2019; the
 * class-balanced peer of PLM, paper 002, eq. 8; docs/methods/002-plm.md):
 * `w_c = (1 − β) / (1 − β^n_c)`, then normalised so the weights **sum to C** (Cui et al.'s
 * `w / Σw · C`, so a balanced dataset gets all ones). Default β = 0.999.
 *
 * `counts` is `[C]` non-negative sample counts per class (positives per class for
 * multi-label). A zero count gives weight **0** (not Inf) and the other classes share the
 * total C. Host arrays are checked (finite, non-negative, at least one positive); tensors at
 * the validation level 'values' (core). Pass the result as `weights` of
 * any tailwise loss.
 *
 * @example
 * ```ts
 * const w = effectiveNumberWeights([5000, 500, 50], { beta: 0.999 }); // tail classes weigh more
 * const loss = binaryCrossEntropy(labels, logits, { weights: w });
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const effectiveNumberWeights = /* @__PURE__ */ tf.op({ effectiveNumberWeights_ });
