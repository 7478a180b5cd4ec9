import { assertNumber, offTape, withDefaults } from '@tailwise/core';
import { roleLoss } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';
import { knownPositivesPerSample, trainingState } from './internal/state';

/** Options of the `recipes.role` recipe. */
export interface RoleOptions {
  /**
   * k of the expected-positives regulariser. Default `'auto'`: the mean number of known
   * positives per training sample, at least 1 (docs/methods/001-partial-annotations.md, "Peers").
   */
  expectedNumPos: number | 'auto';
  /** The estimates' learning rate as a multiple of the model's current one. Default 10. */
  estimatorLearningRate: number;
}

/** State of the `recipes.role` recipe. */
export interface RoleState {
  /** N × C label-estimate logits θ (row-major); the estimates are σ(θ). */
  theta: Float32Array;
  /** k as resolved. */
  expectedNumPos: number;
}

/** Loss result: the loss and the step's logits, detached, for the estimator step. */
export interface RoleLossResult extends LossResult {
  readonly logits: tf.Tensor2D;
}

const FN = 'recipes.role';
const logit = (p: number) => Math.log(p / (1 - p));

function rowsOf(theta: Float32Array, indices: Int32Array, c: number): tf.Tensor2D {
  const out = new Float32Array(indices.length * c);
  indices.forEach((n, i) => {
    out.set(theta.subarray(n * c, (n + 1) * c), i * c);
  });
  return tf.tensor2d(out, [indices.length, c]);
}

/**
 * ROLE, regularized online label estimation (Cole et al., CVPR 2021), a peer of paper 001: the
 * recipe keeps a learnable estimate of every training label and trains model and estimates
 * against each other (docs/methods/001-partial-annotations.md, "Peers").
 *
 * | step | leaf function |
 * |---|---|
 * | setup | θ: unknown entries `logit(u)`, u ~ U[0.4, 0.6]; known positives `logit(0.995)`, known negatives `logit(0.005)` |
 * | loss | `roleLoss(z, θ_batch, f(x), { expectedNumPos })` (losses); its gradient in `f(x)` trains the model |
 * | after the step | θ_batch ← θ_batch − 10·lr·B·C·∂L/∂θ_batch (the estimates' own SGD step) |
 *
 * The estimator step scales the batch-mean gradient by B·C, so each estimate moves as if it
 * were trained on its own entry (ROLE's reference uses Adam, whose steps do not depend on the
 * gradient's scale; plain SGD on the batch mean would leave the estimates almost frozen).
 *
 * @example
 * ```ts
 * const recipe = recipes.role({ expectedNumPos: 2.9 });
 * ```
 */
export function role(
  options: Partial<RoleOptions> = {},
): Recipe<RoleState, StepData, RoleLossResult> {
  const o = withDefaults<RoleOptions>(
    options,
    { expectedNumPos: 'auto', estimatorLearningRate: 10 },
    FN,
  );
  if (o.expectedNumPos !== 'auto') assertNumber(o.expectedNumPos, { min: 0 }, FN, 'expectedNumPos');
  assertNumber(o.estimatorLearningRate, { min: 0 }, FN, 'estimatorLearningRate');
  return {
    name: 'role',
    task: 'multi-label',
    requires: ['multiLabels'],
    options: { ...o },
    setup(ctx) {
      const z = trainingState(ctx.train, FN);
      const rng = ctx.rng.split();
      const theta = new Float32Array(z.length);
      for (let k = 0; k < z.length; k++) {
        const u = rng.uniform(0.4, 0.6); // one draw per entry, known or not
        theta[k] = z[k] === 1 ? logit(0.995) : z[k] === 0 ? logit(0.005) : logit(u);
      }
      const k =
        o.expectedNumPos === 'auto' ? knownPositivesPerSample(z, ctx.train.size) : o.expectedNumPos;
      return {
        options: { ...o, expectedNumPos: k },
        state: { theta, expectedNumPos: k },
      };
    },
    loss(ctx, state, { batch }) {
      const logits = ctx.model.apply(batch.x, { training: true }) as tf.Tensor2D;
      const theta = rowsOf(state.theta, batch.indices, ctx.numClasses);
      const loss = roleLoss(batch.multiLabels!, theta, logits, {
        expectedNumPos: state.expectedNumPos,
      });
      const { detached } = offTape(logits, (l) => ({ detached: tf.clone(l) as tf.Tensor2D }));
      return { loss, logits: detached };
    },
    async afterStep(ctx, state, { batch }, out) {
      const c = ctx.numClasses;
      const b = batch.indices.length;
      const grad = tf.tidy(() => {
        const theta = rowsOf(state.theta, batch.indices, c);
        // With the model's logits fixed, only the estimator half of the loss depends on θ.
        return tf.grad((t: tf.Tensor) =>
          roleLoss(batch.multiLabels!, t, out.logits, { expectedNumPos: state.expectedNumPos }),
        )(theta);
      });
      const g = await grad.data();
      grad.dispose();
      const step = o.estimatorLearningRate * ctx.learningRate * b * c;
      batch.indices.forEach((n, i) => {
        for (let j = 0; j < c; j++) state.theta[n * c + j]! -= step * g[i * c + j]!;
      });
    },
  };
}
