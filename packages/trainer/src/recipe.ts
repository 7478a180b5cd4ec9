import type { Batch, Dataset, Rng } from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import type * as tf from '@tensorflow/tfjs-core';

/** What a recipe sees while training. Read-only except through the methods. */
export interface TrainContext {
  /** 0-based epoch. */
  readonly epoch: number;
  readonly totalEpochs: number;
  /** Global step count so far. */
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** The learning rate of the current step (after the schedule), e.g. for a recipe's own estimates. */
  readonly learningRate?: number;
  readonly batchSize: number;
  /** The recipe's own random stream (split from the run seed). */
  readonly rng: Rng;
  readonly model: Classifier;
  readonly train: Dataset;
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

/**
 * A method: how a batch becomes a loss, plus hooks around steps and epochs.
 * `TInput` is what the recipe's batch source yields (a {@link Batch} by default; a pair of
 * labeled/unlabeled batches for semi-supervised recipes).
 */
export interface Recipe<TInput = Batch> {
  readonly name: string;
  /** `'single-label'` evaluates with softmax/argmax; `'multi-label'` with sigmoid/threshold. */
  readonly task: 'single-label' | 'multi-label';
  /** Label fields the training set must carry. */
  readonly requires: readonly ('labels' | 'candidates' | 'multiLabels')[];
  /** Options as resolved (defaults merged), for logs and reports. */
  readonly options: Readonly<Record<string, unknown>>;
  setup?(ctx: TrainContext): void | Promise<void>;
  beforeEpoch?(ctx: TrainContext): void | Promise<void>;
  /** The epoch's inputs. Default: shuffled batches of the training set. */
  batches?(ctx: TrainContext): Iterable<TInput>;
  /** Number of steps the epoch's batch source yields (for schedules and progress). */
  stepsPerEpoch?(ctx: Pick<TrainContext, 'train' | 'batchSize'>): number;
  /** The loss of one input; runs inside `tf.variableGrads`, so only tensor ops here. */
  loss(ctx: TrainContext, input: TInput): tf.Scalar;
  /** After the optimizer step (e.g. update stores or EMA weights). */
  afterStep?(ctx: TrainContext, input: TInput): void | Promise<void>;
  /** After each epoch; a returned object is merged into the epoch's log record. */
  afterEpoch?(
    ctx: TrainContext,
  ): void | Record<string, unknown> | Promise<void | Record<string, unknown>>;
  /**
   * Runs `fn` (an evaluation) with the weights the method evaluates with, e.g. an EMA of the
   * weights (FixMatch/UDAL); restores the training weights afterwards.
   */
  withEvaluationWeights?<T>(ctx: TrainContext, fn: () => Promise<T>): Promise<T>;
  /** Inference-time adjustment of logits (e.g. logit adjustment, RECORDS' debiasing). */
  adjustLogits?(ctx: TrainContext, logits: tf.Tensor2D): tf.Tensor2D;
  /** Frees the recipe's tensors. */
  dispose?(): void;
}
