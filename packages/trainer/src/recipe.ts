import type { Batch, Dataset, Rng } from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import type * as tf from '@tensorflow/tfjs-core';

/** How a run is evaluated: softmax/argmax or sigmoid/threshold 0.5. */
export type Task = 'single-label' | 'multi-label';

/** Label fields a recipe can require of the training set. */
export type LabelField = 'labels' | 'candidates' | 'multiLabels';

/**
 * What a recipe sees while training. Read-only; the model and the counters change under it as
 * the run goes on. The data are the trainer's: `train`, and `unlabeled` when the recipe
 * declares `unlabeled: 'required' | 'optional'` and the trainer has one.
 */
export interface TrainContext {
  /** 0-based epoch. */
  readonly epoch: number;
  readonly totalEpochs: number;
  /** Global optimizer steps done so far. */
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  /**
   * The learning rate of the step in progress (the schedule's value; before the first step, its
   * peak), for recipes that update their own estimates (ROLE's label estimates learn at 10×).
   */
  readonly learningRate: number;
  /**
   * The recipe's random stream (split from the run seed). Its state is saved in checkpoints;
   * take from it directly or keep `ctx.rng.split()` streams **in the recipe state** (never in a
   * closure), so a resumed run draws the same numbers.
   */
  readonly rng: Rng;
  readonly model: Classifier;
  readonly train: Dataset;
  readonly unlabeled: Dataset | undefined;
  readonly numClasses: number;
  /**
   * Training counts per class from the true labels, for reporting (shot groups) only.
   * Methods that learn from weak labels must not train on it.
   */
  readonly trainCounts: readonly number[];
  /** Rebuilds the model from its factory (fresh seeded weights) and resets the optimizer. */
  reinitializeModel(): void;
  /**
   * One inference pass (training: false) over `dataset` in batches; returns row-major
   * probabilities N × C (softmax, or sigmoid for multi-label recipes).
   */
  predictProbabilities(dataset: Dataset): Promise<Float32Array>;
}

/** What the trainer hands a recipe for one step: the batch, and μ·B unlabeled rows if declared. */
export interface StepData {
  readonly batch: Batch;
  /** Present when the recipe declared `unlabeled` and `RecipeSetup.data.unlabeledRatio`. */
  readonly unlabeled?: Batch;
}

/** How the trainer draws the epoch's data for a recipe (all optional). */
export interface DataPlan {
  /**
   * μ: unlabeled rows per labeled row, so each step carries μ·B unlabeled rows (FixMatch), cycled
   * through a reshuffled order of the trainer's `unlabeled` set.
   */
  readonly unlabeledRatio?: number;
  /**
   * Steps per epoch. Default: one pass over the epoch's rows in batches of B (a short last batch
   * dropped). A larger value re-shuffles and continues when a pass ends (FixMatch/UDAL count
   * epochs in iterations).
   */
  readonly stepsPerEpoch?: number;
}

/** What `setup` returns: the options as resolved for this data, the initial state, the data plan. */
export interface RecipeSetup<TState> {
  /**
   * Options with every `'auto'` resolved (for logs, reports and checkpoint checks): a plain,
   * JSON-serialisable object.
   */
  readonly options: object;
  /**
   * The recipe's whole state as one value: estimators (`EmaPrior`, `RatioAdapter`,
   * `PseudoLabelStore`, `SinkhornQueue`, `EmaWeights`), its `Rng` streams, tensors, typed arrays
   * and plain numbers (stage, schedule position, per-epoch diagnostics). The trainer owns it:
   * it passes it to every hook, saves it in checkpoints, restores it on resume and disposes it.
   * Hooks may change its fields (replace an estimator, bump a counter) but keep nothing outside.
   */
  readonly state: TState;
  /** Overrides `recipe.task` once the data are known (sigmoid recipes on one-hot labels). */
  readonly task?: Task;
  readonly data?: DataPlan;
}

/**
 * The typed result of `loss()`: the scalar to minimise plus whatever `afterStep` needs (extend
 * it). Every tensor besides `loss` must be detached (made with `offTape`) and belongs to the
 * trainer, which disposes it after `afterStep`.
 */
export interface LossResult {
  readonly loss: tf.Scalar;
}

/**
 * A method as a thin composition of leaf functions in the order of its paper's algorithm
 * (docs/architecture.md). A step goes
 * `prepare` (views, off the tape) → `loss` (inside `tf.variableGrads`) → optimizer step →
 * `afterStep` (stores, EMAs); around epochs `beforeEpoch` / `afterEpoch`. Every hook receives
 * the recipe state from `setup`; nothing lives in closures, so a checkpoint holds the whole run.
 *
 * `TState` is the state, `TStep` what `prepare` makes of a {@link StepData} (the step data itself
 * by default), `TOut` the typed loss result.
 */
export interface Recipe<
  TState extends object = object,
  TStep = StepData,
  TOut extends LossResult = LossResult,
> {
  readonly name: string;
  /** `'single-label'` evaluates with softmax/argmax; `'multi-label'` with sigmoid/threshold. */
  readonly task: Task;
  /** Label fields the training set must carry. */
  readonly requires: readonly LabelField[];
  /** Whether the recipe trains on the trainer's `unlabeled` set. Default: it does not. */
  readonly unlabeled?: 'required' | 'optional';
  /** Options as given, defaults merged (before `setup` resolves `'auto'` values); plain data. */
  readonly options: object;
  /** Checks the data, resolves options and builds the initial state. Called once per `fit()`. */
  setup(ctx: TrainContext): RecipeSetup<TState> | Promise<RecipeSetup<TState>>;
  beforeEpoch?(ctx: TrainContext, state: TState): void | Promise<void>;
  /**
   * The training set of this epoch, drawn with `rng` (the trainer's data stream, so a resumed run
   * draws the same), e.g. an undersampled subset. Batch `indices` then number rows of it.
   * Default: `train`.
   */
  epochData?(ctx: TrainContext, state: TState, rng: Rng): Dataset;
  /**
   * Builds the step's inputs (views, mixup partners) outside the gradient tape. Whatever it
   * returns is the trainer's to dispose after the step. Default: the step data as they are.
   */
  prepare?(ctx: TrainContext, state: TState, data: StepData): TStep;
  /** The loss of one step; runs inside `tf.variableGrads`, so only synchronous tensor ops here. */
  loss(ctx: TrainContext, state: TState, step: TStep): TOut;
  /** After the optimizer step (update stores, priors, EMA weights). */
  afterStep?(ctx: TrainContext, state: TState, step: TStep, out: TOut): void | Promise<void>;
  /** After each epoch; a returned object is merged into the epoch's log record. */
  afterEpoch?(
    ctx: TrainContext,
    state: TState,
  ): void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
  /**
   * Runs `fn` (an evaluation) with the weights the method evaluates with, e.g. an EMA of the
   * weights (FixMatch/UDAL); restores the training weights afterwards.
   */
  withEvaluationWeights?<T>(ctx: TrainContext, state: TState, fn: () => Promise<T>): Promise<T>;
  /** Inference-time adjustment of logits (e.g. logit adjustment, RECORDS' debiasing). */
  adjustLogits?(ctx: TrainContext, state: TState, logits: tf.Tensor2D): tf.Tensor2D;
}

/** Any recipe, whatever its state and step types (what the Trainer and the registry accept). */
// biome-ignore lint/suspicious/noExplicitAny: the trainer treats state and steps as opaque.
export type AnyRecipe = Recipe<any, any, any>;
