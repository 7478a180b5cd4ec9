import { offTape } from '@tailwise/core';
import { crossEntropy } from '@tailwise/losses';
import { EmaPrior } from '@tailwise/priors';
import { PseudoLabelStore } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../../recipe';
import {
  assertTrainCandidates,
  estimatePrior,
  priorL1,
  resolveInitialPrior,
  targetAccuracy,
} from './shared';

/** The prior a stored-targets recipe keeps (RECORDS). */
export interface StoredTargetsPrior {
  /** μ of the per-epoch EMA, weight of the new estimate. */
  mu: number;
  initialPrior: 'uniform' | readonly number[];
  /** Subtract `log r` from the logits at inference. */
  debias: boolean;
}

/** What distinguishes PRODEN from RECORDS: the target rule (a slot) and an optional prior. */
export interface StoredTargetsSpec {
  name: string;
  options: Record<string, unknown>;
  /** The targets stored after a step, from that step's logits; runs with the tape off. */
  nextTargets(
    candidates: tf.Tensor2D,
    logits: tf.Tensor2D,
    prior: tf.Tensor1D | undefined,
  ): tf.Tensor2D;
  prior?: StoredTargetsPrior;
}

/** State of PRODEN and RECORDS: the per-sample targets, RECORDS' prior, the epoch's start rows. */
export interface StoredTargetsState {
  store: PseudoLabelStore;
  prior: EmaPrior | undefined;
  /** The store's rows when the epoch began (for `storeChange`). */
  atEpochStart: Float32Array | undefined;
}

/** A step's result: the loss and the targets to store after the step. */
export interface StoredTargetsLossResult extends LossResult {
  readonly next: tf.Tensor2D;
}

/**
 * PRODEN's training scheme (Lv et al. 2020; docs/methods/000-plr.md, "Peers"), step by step:
 *
 * | step | leaf function |
 * |---|---|
 * | targets start uniform over S | `PseudoLabelStore.fromCandidates` (pseudo-labels) |
 * | loss | `crossEntropy(store.get(i), f(x))` (losses) |
 * | after the step | `store.set(i, nextTargets(S, f(x)))`: `prodenPseudoLabels` / `plrPseudoLabels` |
 * | after the epoch (RECORDS) | `argmaxDistribution` (priors) → `EmaPrior.update` |
 *
 * With `prior`, the RECORDS variant: the prior feeds `nextTargets` and, with `debias`, is
 * subtracted (as `log r`) from the logits at inference. Each epoch's record gets `storeAccuracy`
 * (hidden true labels, logging only) and `storeChange`; with a prior also `prior`,
 * `priorEstimate` and `priorL1`.
 */
export function createStoredTargetsRecipe(
  spec: StoredTargetsSpec,
): Recipe<StoredTargetsState, StepData, StoredTargetsLossResult> {
  const fn = `recipes.${spec.name}`;
  const recipe: Recipe<StoredTargetsState, StepData, StoredTargetsLossResult> = {
    name: spec.name,
    task: 'single-label',
    requires: ['candidates'],
    options: spec.options,
    setup(ctx) {
      const candidates = assertTrainCandidates(ctx.train, fn);
      const c = ctx.numClasses;
      const prior = spec.prior
        ? new EmaPrior({
            numClasses: c,
            momentum: 1 - spec.prior.mu,
            initial: resolveInitialPrior(spec.prior.initialPrior, c, fn),
          })
        : undefined;
      const store = PseudoLabelStore.fromCandidates(candidates, c);
      return { options: spec.options, state: { store, prior, atEpochStart: undefined } };
    },
    beforeEpoch(_ctx, state) {
      state.atEpochStart = state.store.value;
    },
    loss(ctx, state, { batch }) {
      const s = batch.candidates!;
      const logits = ctx.model.apply(batch.x, { training: true });
      const r = state.prior?.value;
      const { next } = offTape(logits, (l) => ({ next: spec.nextTargets(s, l as tf.Tensor2D, r) }));
      const loss = crossEntropy(state.store.get(batch.indices), logits) as tf.Scalar;
      return { loss, next: next as tf.Tensor2D };
    },
    async afterStep(_ctx, state, { batch }, out) {
      await state.store.set(batch.indices, out.next);
    },
    async afterEpoch(ctx, state) {
      const now = state.store.value;
      const start = state.atEpochStart ?? now;
      let change = 0;
      for (let i = 0; i < now.length; i++) change += Math.abs(now[i]! - start[i]!);
      const record: Record<string, unknown> = {
        storeChange: change / Math.max(ctx.train.size, 1),
        storeAccuracy: targetAccuracy(now, ctx.train.labels, ctx.numClasses),
      };
      if (state.prior) {
        // docs/methods/000-plr.md, eq. 6: the prior from one inference pass, argmax over S.
        const estimate = await estimatePrior(ctx, ctx.train.candidates!);
        state.prior.update(estimate);
        const r = Array.from(await state.prior.value.data());
        Object.assign(record, {
          prior: r,
          priorEstimate: estimate,
          priorL1: priorL1(r, ctx.trainCounts),
        });
      }
      return record;
    },
  };
  if (spec.prior?.debias) {
    // RECORDS' debiased prediction at test time: softmax(logits − log r). r stays positive
    // (an EMA from a positive start with μ < 1), so the logarithm is finite.
    recipe.adjustLogits = (_ctx, state, logits) =>
      tf.tidy(() => tf.sub(logits, tf.log(state.prior!.value)) as tf.Tensor2D);
  }
  return recipe;
}
