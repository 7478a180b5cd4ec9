import { offTape } from '@tailwise/core';
import { crossEntropy } from '@tailwise/losses';
import { PseudoLabelStore } from '@tailwise/pseudo-labels';
import type * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../../recipe';
import {
  createRecordsBias,
  debiasLogits,
  type RecordsBias,
  type RecordsPriorSource,
  recordsBatchEstimate,
  recordsBiasValue,
  recordsForward,
  updateRecordsBias,
} from './records-bias';
import { assertTrainCandidates, priorL1, targetAccuracy } from './shared';

/** RECORDS' bias estimate of a stored-targets recipe. */
export interface StoredTargetsBias {
  /** m of the per-step EMA. */
  momentum: number;
  source: RecordsPriorSource;
  /** Subtract `log b` from the logits at inference. */
  debias: boolean;
}

/** What distinguishes PRODEN from RECORDS: the target rule (a slot) and an optional bias. */
export interface StoredTargetsSpec {
  name: string;
  options: Record<string, unknown>;
  /** The targets stored after a step, from that step's logits and `b`; runs with the tape off. */
  nextTargets(
    candidates: tf.Tensor2D,
    logits: tf.Tensor2D,
    bias: tf.Tensor1D | undefined,
  ): tf.Tensor2D;
  bias?: StoredTargetsBias;
}

/** State of PRODEN and RECORDS: the per-sample targets, RECORDS' bias, the epoch's start rows. */
export interface StoredTargetsState {
  store: PseudoLabelStore;
  bias: RecordsBias | undefined;
  /** The store's rows when the epoch began (for `storeChange`). */
  atEpochStart: Float32Array | undefined;
}

/** A step's result: the loss, the targets to store, and RECORDS' batch estimate. */
export interface StoredTargetsLossResult extends LossResult {
  readonly next: tf.Tensor2D;
  readonly estimate?: tf.Tensor1D;
}

/**
 * PRODEN's training scheme (Lv et al. 2020; docs/methods/000-plr.md, "Peers"), step by step:
 *
 * | step | leaf function |
 * |---|---|
 * | targets start uniform over S | `PseudoLabelStore.fromCandidates` (pseudo-labels) |
 * | loss | `crossEntropy(store.get(i), f(x))` (losses) |
 * | after the step | `store.set(i, nextTargets(S, f(x), b))`: `prodenPseudoLabels` / `plrPseudoLabels` |
 * | after the step (RECORDS) | EMA (m) of the batch-mean feature (`Classifier.features`) or softmax |
 *
 * With `bias`, the RECORDS variant: `b = softmax(head(EMA of the mean feature))` (or the EMA of
 * the mean softmax) feeds `nextTargets` and, with `debias`, is subtracted (as `log b`) from the
 * logits at inference. Each epoch's record gets `storeAccuracy` (hidden true labels, logging
 * only) and `storeChange`; with a bias also `prior` (= b), `priorSource` and `priorL1`.
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
      const b = spec.bias;
      const bias = b ? createRecordsBias(ctx.model, c, b.source, b.momentum, fn) : undefined;
      const store = PseudoLabelStore.fromCandidates(candidates, c);
      const options = bias ? { ...spec.options, priorSource: bias.source } : spec.options;
      return { options, state: { store, bias, atEpochStart: undefined } };
    },
    beforeEpoch(_ctx, state) {
      state.atEpochStart = state.store.value;
    },
    loss(ctx, state, { batch }) {
      const s = batch.candidates!;
      const { bias } = state;
      const { logits, features } = bias
        ? recordsForward(ctx.model, batch.x, bias)
        : { logits: ctx.model.apply(batch.x, { training: true }), features: undefined };
      const loss = crossEntropy(state.store.get(batch.indices), logits) as tf.Scalar;
      if (!bias) {
        const { next } = offTape(logits, (l) => ({
          next: spec.nextTargets(s, l as tf.Tensor2D, undefined),
        }));
        return { loss, next: next as tf.Tensor2D };
      }
      // RECORDS: the target update sees the debiased prediction softmax(logits − log b), b from
      // the estimate before this step (folded in after it, as UDAL's p̂).
      const { next } = offTape(logits, (l) => ({
        next: spec.nextTargets(s, l as tf.Tensor2D, recordsBiasValue(ctx.model, bias)),
      }));
      const { estimate } = offTape(features ?? logits, (t) => ({
        estimate: recordsBatchEstimate(bias, t as tf.Tensor2D),
      }));
      return { loss, next: next as tf.Tensor2D, estimate: estimate as tf.Tensor1D };
    },
    async afterStep(_ctx, state, { batch }, out) {
      await state.store.set(batch.indices, out.next);
      if (state.bias && out.estimate) updateRecordsBias(state.bias, out.estimate);
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
      if (state.bias) {
        const b = recordsBiasValue(ctx.model, state.bias);
        const r = Array.from(await b.data());
        b.dispose();
        Object.assign(record, {
          prior: r,
          priorSource: state.bias.source,
          priorL1: priorL1(r, ctx.trainCounts),
        });
      }
      return record;
    },
  };
  if (spec.bias?.debias) {
    // RECORDS' debiased prediction at test time: logits − log(b + 1e-9), b from the current head.
    recipe.adjustLogits = (ctx, state, logits) => {
      const b = recordsBiasValue(ctx.model, state.bias!);
      try {
        return debiasLogits(logits, b);
      } finally {
        b.dispose();
      }
    };
  }
  return recipe;
}
