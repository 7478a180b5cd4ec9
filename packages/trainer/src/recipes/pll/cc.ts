import { offTape, withDefaults } from '@tailwise/core';
import { ccLoss } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';
import { assertTrainCandidates } from './internal/shared';

/** Options of the `recipes.cc` recipe: none (the CC loss has no hyper-parameter). */
export type CcOptions = Record<never, never>;

/** State of `recipes.cc`: the epoch's running candidate mass (diagnostics). */
export interface CcState {
  massSum: number;
  rows: number;
}

/** A CC step's result: the loss and the batch's summed candidate mass `Σ_i Σ_j S_ij f_ij`. */
export interface CcLossResult extends LossResult {
  readonly mass: tf.Scalar;
}

/**
 * CC, the classifier-consistent partial-label loss (Feng et al. 2020; a peer in PLR paper 000,
 * Table 1; docs/methods/000-plr.md "Peers"): `ℓ_i = −log Σ_j S_ij softmax(x_i)_j`, the probability mass
 * the model puts on the candidate set ({@link ccLoss}). No pseudo-labels and no store.
 *
 * Each epoch's record gets `candidateMass`: the mean of `Σ_j S_ij f_ij` over the epoch's
 * training batches (1 when every prediction lies inside its candidate set).
 *
 * @example
 * ```ts
 * const recipe = recipes.cc();
 * ```
 */
export function cc(options: Partial<CcOptions> = {}): Recipe<CcState, StepData, CcLossResult> {
  const fn = 'recipes.cc';
  const o = withDefaults<CcOptions>(options, {}, fn);
  return {
    name: 'cc',
    task: 'single-label',
    requires: ['candidates'],
    options: { ...o },
    setup(ctx) {
      assertTrainCandidates(ctx.train, fn);
      return { options: { ...o }, state: { massSum: 0, rows: 0 } };
    },
    beforeEpoch(_ctx, state) {
      state.massSum = 0;
      state.rows = 0;
    },
    loss(ctx, _state, { batch }) {
      const s = batch.candidates!;
      const logits = ctx.model.apply(batch.x, { training: true });
      const { mass } = offTape(logits, (l) => ({ mass: tf.sum(tf.mul(tf.softmax(l), s)) }));
      return { loss: ccLoss(s, logits) as tf.Scalar, mass: mass as tf.Scalar };
    },
    async afterStep(_ctx, state, { batch }, out) {
      state.massSum += (await out.mass.data())[0]!;
      state.rows += batch.indices.length;
    },
    afterEpoch(_ctx, state) {
      return { candidateMass: state.rows > 0 ? state.massSum / state.rows : null };
    },
  };
}
