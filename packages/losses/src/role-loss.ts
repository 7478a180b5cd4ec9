import { assertNumber, fail, stopGradient, type TensorInput, withDefaults } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { logitsMatrix } from './internal/inputs';
import { softplus } from './internal/math';
import { logitsLike, multiLabelState, stateMasks } from './internal/multi-label-state';

/** Options of {@link roleLoss}. */
export interface RoleLossOptions {
  /** Expected number of positives per sample k ≥ 0 of the regulariser. Required. */
  expectedNumPos: number;
}

/** `(mean_i Σ_j v_ij − k)² / C²`: ROLE's expected-positives regulariser. */
function expectedPositives(v: tf.Tensor2D, k: number): tf.Tensor {
  const classes = v.shape[1];
  const gap = tf.sub(tf.mean(tf.sum(v, 1)), k);
  return tf.div(tf.square(gap), classes * classes);
}

function roleLoss_(
  state: TensorInput,
  estimatorLogits: TensorInput,
  logits: TensorInput,
  options: RoleLossOptions,
): tf.Scalar {
  const fn = 'roleLoss';
  if (options === undefined || options === null)
    fail('INVALID_OPTION', fn, 'options', 'an object with `expectedNumPos`', 'undefined');
  const o = withDefaults<RoleLossOptions>(
    options,
    { expectedNumPos: undefined as unknown as number },
    fn,
  );
  assertNumber(o.expectedNumPos, { min: 0 }, fn, 'expectedNumPos');
  const x = logitsMatrix(logits, fn);
  const theta = logitsLike(estimatorLogits, x, fn, 'estimatorLogits');
  const { positive, negative, unknown } = stateMasks(multiLabelState(state, x, fn));
  const preds = tf.sigmoid(x) as tf.Tensor2D;
  const estimates = tf.sigmoid(theta) as tf.Tensor2D;
  // −log σ(v) = softplus(v) − v, −log(1 − σ(v)) = softplus(v); BCE(t, v) = softplus(v) − t·v.
  const spX = softplus(x);
  const spT = softplus(theta);
  const known = (sp: tf.Tensor, v: tf.Tensor) =>
    tf.add(tf.mul(positive, tf.sub(sp, v)), tf.mul(negative, sp));
  // Each side learns from the other's detached values on unknown entries.
  const crossModel = tf.sub(spX, tf.mul(stopGradient(estimates), x));
  const crossEstimator = tf.sub(spT, tf.mul(stopGradient(preds), theta));
  const model = tf.add(known(spX, x), tf.mul(unknown, crossModel));
  const estimator = tf.add(known(spT, theta), tf.mul(unknown, crossEstimator));
  const main = tf.mean(tf.div(tf.add(model, estimator), 2));
  const reg = tf.div(
    tf.add(
      expectedPositives(preds, o.expectedNumPos),
      expectedPositives(estimates, o.expectedNumPos),
    ),
    2,
  );
  return tf.add(main, reg) as tf.Scalar;
}

/**
 * ROLE, "regularized online label estimation" (Cole et al., "Multi-label learning from single
 * positive labels", CVPR 2021; a peer of paper 001), for one batch:
 * ```
 * L = mean_{B·C} ½·(ℓ_model + ℓ_est) + ½·(R(ŷ) + R(ŷ_est)),  R(v) = (mean_i Σ_j v_ij − k)² / C²
 * ```
 * with `ŷ = σ(logits)`, `ŷ_est = σ(estimatorLogits)` the learnable label estimates of the batch's
 * samples; on a known positive both ℓ are `−log`, on a known negative `−log(1 − ·)`, on an
 * unknown entry each side is BCE against the other's **detached** value
 * (docs/methods/001-partial-annotations.md, "Peers"). The gradient with respect to `logits`
 * trains the model, the one with respect to `estimatorLogits` the estimates (ROLE uses 10× the
 * model's learning rate for them; the recipe keeps and updates them).
 *
 * `state` `[B, C]` in {1, 0, −1}; `estimatorLogits` and `logits` `[B, C]`. Computed from
 * logits with softplus forms (finite for ±1e4). Always the batch mean (the regulariser is a
 * batch quantity).
 *
 * @example
 * ```ts
 * const loss = roleLoss(batch.multiLabels, thetaRows, logits, { expectedNumPos: 2.9 });
 * ```
 * @returns a new scalar owned by the caller.
 */
export const roleLoss = /* @__PURE__ */ tf.op({ roleLoss_ }) as (
  state: TensorInput,
  estimatorLogits: TensorInput,
  logits: TensorInput,
  options: RoleLossOptions,
) => tf.Scalar;
