import { assertGradientsRegistered } from '@tailwise/backends';
import {
  assertNumber,
  type Batch,
  cosineDecay,
  createRng,
  type Dataset,
  fail,
  type Rng,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import { batches, classCounts } from '@tailwise/datasets';
import type { Classifier } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { type Evaluation, evaluate, predict } from './evaluate';
import { SgdMomentum } from './optimizer';
import { type ProgressReporter, resolveReporter } from './progress';
import type { Recipe, TrainContext } from './recipe';

/** Builds a fresh, seeded model. Called again when a recipe re-initialises the model. */
export type ModelFactory = (seed: number) => Classifier;

/** What the trainer reports after every epoch (also one line of the JSONL log). */
export interface EpochRecord {
  epoch: number;
  loss: number;
  learningRate: number;
  seconds: number;
  samplesPerSecond: number;
  evaluation?: Evaluation;
  /** With `inferenceTau`: the evaluation with logit adjustment at inference. */
  evaluationLA?: Evaluation;
  [extra: string]: unknown;
}

/** Hooks into a run. */
export interface TrainerCallbacks {
  onEpochEnd?(record: EpochRecord): void | Promise<void>;
  onStepEnd?(info: { epoch: number; step: number; loss: number }): void;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions<TInput = Batch> {
  model: ModelFactory;
  recipe: Recipe<TInput>;
  train: Dataset;
  test?: Dataset;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Peak learning rate. Default 0.05. */
  learningRate: number;
  momentum: number;
  weightDecay: number;
  /** Linear warm-up epochs before the cosine decay. Default 0. */
  warmupEpochs: number;
  /** Evaluate on `test` every n epochs (and always after the last). Default 1. */
  evaluateEvery: number;
  /** `'auto'` (a line per epoch), false, or your own reporter (a terminal bar: `barReporter` of `@tailwise/trainer/node`). */
  progress: boolean | 'auto' | ProgressReporter;
  /**
   * Also evaluate with logit adjustment at inference, `logits − τ·log p_train` (METHODS.md §004,
   * "LA (Inf)"), where `p_train` is the class distribution of the training labels; the result
   * goes to `evaluationLA`. Off when undefined.
   */
  inferenceTau?: number;
  /** Append one JSON line per epoch to this file (Node only). */
  logFile?: string;
  callbacks?: TrainerCallbacks;
}

const DEFAULTS = {
  learningRate: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
  warmupEpochs: 0,
  evaluateEvery: 1,
  progress: 'auto' as const,
};

/** The result of {@link Trainer.fit}. */
export interface TrainResult {
  history: EpochRecord[];
  final: Evaluation | undefined;
  /** With `inferenceTau`: the final evaluation with logit adjustment at inference. */
  finalLA?: Evaluation;
  /** Training counts per class (from true labels) used for shot groups. */
  trainCounts: number[];
}

/**
 * The training loop: seeded shuffling, SGD with momentum and weight decay, cosine schedule
 * with warm-up, per-epoch evaluation, progress, a JSONL log and callbacks. A {@link Recipe}
 * decides how a batch becomes a loss.
 *
 * Fails with `NON_FINITE` the moment the loss stops being finite, naming epoch and step.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: (seed) => mlp({ inputShape: [28, 28, 1], numClasses: 10, seed }),
 *   recipe: recipes.ce(), train, test, epochs: 10, batchSize: 128, seed: 0 });
 * const { final } = await trainer.fit();
 * ```
 */
export class Trainer<TInput = Batch> {
  readonly options: TrainerOptions<TInput>;
  private modelInstance: Classifier | undefined;
  private optimizer: SgdMomentum;
  private disposed = false;

  constructor(
    options: Omit<TrainerOptions<TInput>, keyof typeof DEFAULTS> &
      Partial<Pick<TrainerOptions<TInput>, keyof typeof DEFAULTS>>,
  ) {
    const o = withDefaults(
      options as Partial<TrainerOptions<TInput>>,
      { ...DEFAULTS } as TrainerOptions<TInput>,
      'Trainer',
      [
        'model',
        'recipe',
        'train',
        'test',
        'epochs',
        'batchSize',
        'seed',
        'logFile',
        'callbacks',
        'inferenceTau',
      ],
    );
    if (typeof o.model !== 'function')
      fail('INVALID_OPTION', 'Trainer', 'model', 'a function (seed) => Classifier', typeof o.model);
    if (!o.recipe || typeof o.recipe.loss !== 'function')
      fail('INVALID_OPTION', 'Trainer', 'recipe', 'a recipe (see `recipes`)', String(o.recipe));
    assertNumber(o.epochs, { min: 1, integer: true }, 'Trainer', 'epochs');
    assertNumber(o.batchSize, { min: 1, integer: true }, 'Trainer', 'batchSize');
    assertNumber(o.seed, { min: 0, integer: true }, 'Trainer', 'seed');
    assertNumber(o.learningRate, { min: 0, minExclusive: true }, 'Trainer', 'learningRate');
    assertNumber(
      o.warmupEpochs,
      { min: 0, max: o.epochs, maxExclusive: true },
      'Trainer',
      'warmupEpochs',
    );
    assertNumber(o.evaluateEvery, { min: 1, integer: true }, 'Trainer', 'evaluateEvery');
    for (const field of o.recipe.requires) {
      if (o.train[field] === undefined) {
        fail(
          'INVALID_VALUE',
          'Trainer',
          'train',
          `a dataset with \`${field}\` (needed by recipe '${o.recipe.name}')`,
          `dataset '${o.train.name}' without it`,
        );
      }
    }
    this.options = o;
    this.optimizer = new SgdMomentum({ momentum: o.momentum, weightDecay: o.weightDecay });
  }

  /** The current model (after `fit`, the trained one). */
  get model(): Classifier {
    if (this.modelInstance === undefined)
      throw new TailwiseError(
        'INVALID_STATE',
        'Trainer.model: the model exists once fit() has started',
        { functionName: 'Trainer.model' },
      );
    return this.modelInstance;
  }

  /** Trains for `epochs` epochs and returns the history and the final evaluation. */
  async fit(): Promise<TrainResult> {
    if (this.disposed)
      throw new TailwiseError('INVALID_STATE', 'Trainer.fit: this trainer was disposed', {
        functionName: 'Trainer.fit',
      });
    assertGradientsRegistered();
    const o = this.options;
    const { recipe, train } = o;
    const rng = createRng(o.seed);
    const modelSeeds = rng.split();
    const shuffleRng = rng.split();
    const recipeRng = rng.split();
    this.modelInstance?.dispose();
    this.modelInstance = o.model(modelSeeds.nextSeed());
    const numClasses = this.modelInstance.numClasses;
    if (numClasses !== train.numClasses) {
      fail(
        'SHAPE_MISMATCH',
        'Trainer',
        'model',
        `a classifier with ${train.numClasses} outputs (the dataset's classes)`,
        `${numClasses} outputs`,
      );
    }
    const trainCounts = countsFor(train);
    const stepsPerEpoch =
      recipe.stepsPerEpoch?.({ train, batchSize: o.batchSize }) ??
      defaultSteps(train.size, o.batchSize);
    const totalSteps = o.epochs * stepsPerEpoch;
    const reporter = resolveReporter(o.progress);
    const log = o.logFile ? await openLog(o.logFile) : undefined;
    const history: EpochRecord[] = [];
    let final: Evaluation | undefined;
    let finalLA: Evaluation | undefined;
    let step = 0;
    let epoch = 0;
    const self = this;
    const ctx: TrainContext = {
      get epoch() {
        return epoch;
      },
      totalEpochs: o.epochs,
      get step() {
        return step;
      },
      stepsPerEpoch,
      batchSize: o.batchSize,
      rng: recipeRng,
      get model() {
        return self.model;
      },
      train,
      numClasses,
      trainCounts,
      reinitializeModel() {
        self.modelInstance?.dispose();
        self.modelInstance = o.model(modelSeeds.nextSeed());
        self.optimizer.reset();
      },
      predictProbabilities: (dataset) => predict(self.model, dataset, { task: recipe.task }),
    };
    if (o.inferenceTau !== undefined)
      assertNumber(o.inferenceTau, { min: 0 }, 'Trainer', 'inferenceTau');
    const total = trainCounts.reduce((a, b) => a + b, 0);
    // LA at inference subtracts τ·log p_train; a class absent from training gets p = 1/(n+C)
    // instead of 0 so its adjustment stays finite.
    const logPrior = trainCounts.map((n) =>
      Math.log(Math.max(n, 1 / (1 + numClasses)) / Math.max(total, 1)),
    );
    const evaluateOnce = async (withLA: boolean) => {
      if (o.test === undefined) return undefined;
      const base = recipe.adjustLogits
        ? (l: tf.Tensor2D) => recipe.adjustLogits!(ctx, l)
        : undefined;
      const tau = o.inferenceTau ?? 0;
      const adjust = withLA
        ? (l: tf.Tensor2D) =>
            tf.sub(base ? base(l) : l, tf.mul(tf.tensor1d(logPrior), tau)) as tf.Tensor2D
        : base;
      const run = () =>
        evaluate(this.model, o.test!, trainCounts, {
          task: recipe.task,
          ...(adjust ? { adjustLogits: adjust } : {}),
        });
      return recipe.withEvaluationWeights ? recipe.withEvaluationWeights(ctx, run) : run();
    };
    const evaluateNow = async () => ({
      plain: await evaluateOnce(false),
      la: o.inferenceTau === undefined ? undefined : await evaluateOnce(true),
    });
    try {
      await recipe.setup?.(ctx);
      for (epoch = 0; epoch < o.epochs; epoch++) {
        const started = performance.now();
        await recipe.beforeEpoch?.(ctx);
        reporter.startEpoch(epoch, o.epochs, stepsPerEpoch);
        const source = recipe.batches
          ? recipe.batches(ctx)
          : (batches(train, {
              batchSize: o.batchSize,
              shuffle: true,
              rng: shuffleRng,
              dropLast: train.size > o.batchSize,
            }) as Iterable<unknown> as Iterable<TInput>);
        let lossSum = 0;
        let samples = 0;
        let inEpoch = 0;
        let learningRate = o.learningRate;
        for (const input of source) {
          learningRate = cosineDecay(step, {
            initial: o.learningRate,
            total: totalSteps,
            warmup: o.warmupEpochs * stepsPerEpoch,
          });
          const model = this.model;
          const { value, grads } = tf.variableGrads(
            () => recipe.loss(ctx, input),
            model.trainableVariables,
          );
          const loss = (await value.data())[0]!;
          if (!Number.isFinite(loss)) {
            tf.dispose([
              value,
              grads as unknown as tf.TensorContainer,
              input as unknown as tf.TensorContainer,
            ]);
            throw new TailwiseError(
              'NON_FINITE',
              `Trainer.fit: the loss of recipe '${recipe.name}' became ${loss} at epoch ${epoch + 1}, step ${inEpoch + 1}; lower the learning rate (now ${learningRate.toPrecision(3)}) or check the inputs`,
              { functionName: 'Trainer.fit', parameter: 'loss' },
            );
          }
          this.optimizer.apply(model.trainableVariables, grads, learningRate);
          tf.dispose([value, grads as unknown as tf.TensorContainer]);
          await recipe.afterStep?.(ctx, input);
          samples += batchSizeOf(input);
          tf.dispose(input as unknown as tf.TensorContainer);
          lossSum += loss;
          inEpoch += 1;
          step += 1;
          reporter.step(inEpoch, { loss: lossSum / inEpoch });
          o.callbacks?.onStepEnd?.({ epoch, step, loss });
        }
        const extra = (await recipe.afterEpoch?.(ctx)) ?? {};
        const seconds = (performance.now() - started) / 1000;
        const last = epoch === o.epochs - 1;
        const evaluated =
          last || (epoch + 1) % o.evaluateEvery === 0 ? await evaluateNow() : undefined;
        const evaluation = evaluated?.plain;
        if (last) {
          final = evaluation;
          finalLA = evaluated?.la;
        }
        const record: EpochRecord = {
          epoch: epoch + 1,
          loss: inEpoch === 0 ? Number.NaN : lossSum / inEpoch,
          learningRate,
          seconds,
          samplesPerSecond: samples / seconds,
          ...extra,
          ...(evaluation ? { evaluation } : {}),
          ...(evaluated?.la ? { evaluationLA: evaluated.la } : {}),
        };
        history.push(record);
        reporter.endEpoch(describeEpoch(record, o.epochs));
        log?.(record);
        await o.callbacks?.onEpochEnd?.(record);
      }
    } finally {
      reporter.stop();
    }
    return { history, final, ...(finalLA ? { finalLA } : {}), trainCounts };
  }

  /** Frees the model, the optimizer state and the recipe's tensors. */
  dispose(): void {
    this.modelInstance?.dispose();
    this.modelInstance = undefined;
    this.optimizer.dispose();
    this.options.recipe.dispose?.();
    this.disposed = true;
  }
}

function defaultSteps(size: number, batchSize: number): number {
  return size > batchSize ? Math.floor(size / batchSize) : 1;
}

function countsFor(train: Dataset): number[] {
  if (train.labels) return classCounts(train);
  const counts = new Array<number>(train.numClasses).fill(0);
  // Multi-label: count known positives per class.
  if (train.multiLabels)
    for (let i = 0; i < train.multiLabels.length; i++)
      if (train.multiLabels[i] === 1) counts[i % train.numClasses]! += 1;
  return counts;
}

function batchSizeOf(input: unknown): number {
  const i = input as {
    indices?: Int32Array;
    labeled?: { indices: Int32Array };
    unlabeled?: { indices: Int32Array };
  };
  if (i.indices) return i.indices.length;
  return (i.labeled?.indices.length ?? 0) + (i.unlabeled?.indices.length ?? 0);
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(2)}%`;
}

function describeEpoch(r: EpochRecord, total: number): string {
  let line = `epoch ${r.epoch}/${total} loss ${r.loss.toFixed(4)} lr ${r.learningRate.toPrecision(3)} ${r.seconds.toFixed(1)}s (${Math.round(r.samplesPerSecond)} samples/s)`;
  const e = r.evaluation;
  if (e?.task === 'single-label')
    line += ` | test acc ${pct(e.accuracy)} many ${pct(e.many)} medium ${pct(e.medium)} few ${pct(e.few)}`;
  if (e?.task === 'multi-label')
    line += ` | test F1 ${pct(e.f1)} rarest F1 ${pct(e.rarestF1)} exact ${pct(e.exactMatch)} mAP ${pct(e.meanAveragePrecision)}`;
  return line;
}

async function openLog(path: string): Promise<(record: EpochRecord) => void> {
  // Specifiers in variables keep bundlers from resolving Node modules for a browser build:
  // `logFile` is a Node-only option, and this code only runs when it is set.
  const fsName = 'node:fs';
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const { dirname } = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  fs.mkdirSync(dirname(path), { recursive: true });
  fs.writeFileSync(path, '');
  return (record) => fs.appendFileSync(path, `${JSON.stringify(record)}\n`);
}

export type { Rng };
