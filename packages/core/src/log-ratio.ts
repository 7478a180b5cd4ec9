import * as tf from '@tensorflow/tfjs-core';
import { withoutGradient } from './stop-gradient';

/** Added inside logs and ratios of distributions (docs/methods/004-udal.md, notation). */
export const DISTRIBUTION_EPS = 1e-9;

function logRatio_(current: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return withoutGradient(
    (c, t) => tf.sub(tf.log(tf.add(c!, DISTRIBUTION_EPS)), tf.log(tf.add(t!, DISTRIBUTION_EPS))),
    [current, target],
  );
}

/**
 * `log((current + 1e-9) / (target + 1e-9))` element-wise, without gradient: the logit
 * adjustment of UDAL (paper 004, eq. 6 and 9; docs/methods/004-udal.md). The one place of this
 * formula; `@tailwise/priors`' `logitAdjustment` (checked inputs) and `@tailwise/losses`'
 * `udalLoss` both call it. Inputs are not checked here.
 *
 * @returns a new float32 tensor owned by the caller.
 */
export const logRatio = /* @__PURE__ */ tf.op({ logRatio_ });
