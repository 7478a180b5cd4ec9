// TEMPORARY until the trainer's recipe shape (typed state, loss result, step data) lands in
// `../../recipe`: the subset of it these recipes use, and an adapter to the current Recipe.
import type { Batch } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Recipe as CurrentRecipe, TrainContext } from '../../../recipe';

export type { TrainContext };

/** What the trainer hands a recipe for one step. */
export interface StepData {
  readonly batch: Batch;
}

/** The typed result of `loss()`; every tensor besides `loss` is detached. */
export interface LossResult {
  readonly loss: tf.Scalar;
}

/** What `setup` returns. */
export interface RecipeSetup<TState> {
  readonly options: Readonly<Record<string, unknown>>;
  readonly state: TState;
}

/** A recipe with explicit state. */
export interface Recipe<TState extends object = object, TStep = StepData, TOut extends LossResult = LossResult> {
  readonly name: string;
  readonly task: 'single-label' | 'multi-label';
  readonly requires: readonly ('labels' | 'candidates' | 'multiLabels')[];
  readonly options: Readonly<Record<string, unknown>>;
  setup(ctx: TrainContext): RecipeSetup<TState> | Promise<RecipeSetup<TState>>;
  loss(ctx: TrainContext, state: TState, step: TStep): TOut;
  afterStep?(ctx: TrainContext, state: TState, step: TStep, out: TOut): void | Promise<void>;
}

/** Runs a recipe of the explicit-state shape on the current trainer. */
export function toCurrent<TState extends object, TOut extends LossResult>(
  recipe: Recipe<TState, StepData, TOut>,
): CurrentRecipe<Batch> {
  let state: TState | undefined;
  let last: TOut | undefined;
  const release = () => {
    if (last !== undefined)
      tf.dispose(Object.values(last).filter((t) => t instanceof tf.Tensor && t !== last!.loss));
    last = undefined;
  };
  return {
    name: recipe.name,
    task: recipe.task,
    requires: recipe.requires,
    options: recipe.options,
    async setup(ctx) {
      state = (await recipe.setup(ctx)).state;
    },
    loss(ctx, batch) {
      release();
      last = recipe.loss(ctx, state!, { batch });
      return last.loss;
    },
    async afterStep(ctx, batch) {
      try {
        if (recipe.afterStep) await recipe.afterStep(ctx, state!, { batch }, last!);
      } finally {
        release();
      }
    },
    dispose() {
      release();
      const s = state as { store?: { dispose(): void } } | undefined;
      s?.store?.dispose();
      state = undefined;
    },
  };
}
