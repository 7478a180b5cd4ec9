import { assertOneOf, type Dataset, fail, type Rng } from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { DataPlan, LossResult, Recipe, StepData, TrainContext } from '../../recipe';
import {
  batchTargets,
  type ResolvedTargets,
  resolveTargets,
  TARGET_SOURCES,
  type TargetSource,
} from './binary-targets';

export type { BinaryLossName, ResolvedTargets, TargetSource } from './binary-targets';
export {
  assertOwnLoss,
  batchTargets,
  binaryLoss,
  resolveTargets,
  TARGET_SOURCES,
} from './binary-targets';

/** The state every sigmoid recipe of the family carries: its targets resolved from the data. */
export interface BinaryState {
  readonly targets: ResolvedTargets;
}

/** What a sigmoid recipe of the family adds to the shared skeleton. */
export interface BinaryRecipeSpec<S extends object, O extends LossResult = LossResult> {
  name: string;
  functionName: string;
  options: Readonly<Record<string, unknown>>;
  target: TargetSource;
  /** After the targets are resolved: the recipe's own state and resolved options. */
  setup?(
    ctx: TrainContext,
    targets: ResolvedTargets,
  ):
    | { state: S; options?: Record<string, unknown>; data?: DataPlan }
    | Promise<{ state: S; options?: Record<string, unknown>; data?: DataPlan }>;
  /** The loss of one batch from its `[B, C]` 0/1 targets and training-mode logits. */
  loss(ctx: TrainContext, state: S & BinaryState, labels: tf.Tensor2D, logits: tf.Tensor2D): O;
  afterStep?(ctx: TrainContext, state: S & BinaryState, out: O): void | Promise<void>;
  epochData?(ctx: TrainContext, state: S & BinaryState, rng: Rng): Dataset;
  afterEpoch?(
    ctx: TrainContext,
    state: S & BinaryState,
  ): void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
}

/**
 * The skeleton shared by `plm`, `bce`, `focal`, `classBalanced` and `undersample`: one sigmoid
 * output per class, targets from `multiLabels` or one-hot `labels` ({@link TargetSource}), and a
 * task that follows the targets (returned by `setup`), so single-label data is evaluated with
 * argmax and multi-label data with threshold 0.5 (docs/methods/002-plm.md).
 */
export function binaryRecipe<S extends object, O extends LossResult = LossResult>(
  spec: BinaryRecipeSpec<S, O>,
): Recipe<S & BinaryState, StepData, O> {
  const fn = spec.functionName;
  assertOneOf(spec.target, TARGET_SOURCES, fn, 'target');
  const requires: readonly ('labels' | 'multiLabels')[] =
    spec.target === 'auto' ? [] : [spec.target];
  return {
    name: spec.name,
    task: spec.target === 'labels' ? 'single-label' : 'multi-label',
    requires,
    options: spec.options,
    async setup(ctx) {
      const targets = resolveTargets(ctx.train, spec.target, fn);
      const own = (await spec.setup?.(ctx, targets)) ?? { state: {} as S };
      return {
        options: { ...spec.options, ...own.options, target: targets.source },
        state: { ...own.state, targets },
        task: targets.task,
        ...(own.data ? { data: own.data } : {}),
      };
    },
    loss(ctx, state, { batch }) {
      if (state.targets === undefined)
        fail('INVALID_STATE', fn, 'setup', 'called before training', 'no setup');
      const logits = ctx.model.apply(batch.x, { training: true }) as tf.Tensor2D;
      return spec.loss(ctx, state, batchTargets(batch, state.targets), logits);
    },
    ...(spec.afterStep
      ? {
          afterStep: (ctx: TrainContext, state: S & BinaryState, _step: unknown, out: O) =>
            spec.afterStep!(ctx, state, out),
        }
      : {}),
    ...(spec.epochData ? { epochData: spec.epochData } : {}),
    ...(spec.afterEpoch ? { afterEpoch: spec.afterEpoch } : {}),
  };
}
