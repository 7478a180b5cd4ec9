import {
  assertNumber,
  checkFinite,
  type TensorInput,
  withDefaults,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { toMatrix } from './internal/inputs';

/** Options of {@link fixMatchPseudoLabels}. */
export interface FixMatchPseudoLabelsOptions {
  /** Confidence threshold τ in [0, 1]; a sample counts when `max f ≥ τ`. Default 0.95. */
  threshold?: number;
}

/**
 * Result of {@link fixMatchPseudoLabels}; every tensor is owned by the caller. A type alias, not
 * an interface, so it is a `tf.TensorContainer` and `tf.dispose(result)` type-checks.
 */
export type FixMatchPseudoLabels = {
  /** `[B]` int32 hard pseudo-labels `argmax_j f_j`. */
  labels: tf.Tensor1D;
  /** `[B]` float32, 1 where `max_j f_j ≥ threshold`, else 0. */
  mask: tf.Tensor1D;
  /** `[B]` float32 `max_j f_j`. */
  confidence: tf.Tensor1D;
};

function fixMatchPseudoLabels_(
  logits: TensorInput,
  options?: FixMatchPseudoLabelsOptions,
): FixMatchPseudoLabels {
  const fn = 'fixMatchPseudoLabels';
  const { threshold } = withDefaults(options, { threshold: 0.95 }, fn);
  assertNumber(threshold, { min: 0, max: 1 }, fn, 'threshold');
  const l = toMatrix(logits, fn, 'logits');
  // At 'values' (core): NaN logits would give label 0 (argMax of NaN) and a 0 mask.
  checkFinite(logits, fn, 'logits');
  // Each output is computed off the tape: ArgMax and GreaterEqual have no gradient, so leaving
  // them on it would break backprop of any loss that uses these targets.
  const confidence = withoutGradient((x) => tf.max(tf.softmax(x!), 1), [l]) as tf.Tensor1D;
  const labels = withoutGradient((x) => tf.argMax(x!, 1), [l]) as tf.Tensor1D;
  const mask = withoutGradient(
    (x) => tf.cast(tf.greaterEqual(tf.max(tf.softmax(x!), 1), threshold), 'float32'),
    [l],
  ) as tf.Tensor1D;
  return { labels, mask, confidence };
}

/**
 * FixMatch pseudo-labels: the hard label of the weak view and whether it is confident enough.
 *
 * `q = softmax(logits)`, `labels = argmax q`, `mask = 1[max q ≥ τ]`, `confidence = max q` —
 * FixMatch (Sohn et al., 2020), the base learner of UDAL (paper 004, Algorithm 1: "PLs predicted
 * from weakly-augmented x_u after confidence thresholding"). Pass the **unadjusted** weak-view
 * logits (docs/methods/004-udal.md); UDAL adjusts the strong view's logits in the loss instead. No gradient
 * flows to `logits`.
 *
 * @param logits `[B, C]` raw scores of the weakly augmented unlabeled batch.
 * @returns `{ labels, mask, confidence }`, three new `[B]` tensors owned by the caller
 *   (`tf.dispose(result)` frees them).
 *
 * @example
 * ```ts
 * const { labels, mask } = fixMatchPseudoLabels(logitsWeak, { threshold: 0.95 });
 * const lossU = crossEntropy(labels, logitsStrong, { mask });
 * ```
 */
export const fixMatchPseudoLabels = /* @__PURE__ */ tf.op({ fixMatchPseudoLabels_ });
