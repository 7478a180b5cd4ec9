import { assertGradientsRegistered } from '@tailwise/backends';
import {
  assertDataset,
  assertNumber,
  type Dataset,
  describeValue,
  fail,
  formatShape,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import type { Checkpoint } from './checkpoint';
import { type DataInput, toDataset } from './data-inputs';
import type { Evaluation } from './evaluate';
import { ensureWritableDirectory } from './internal/directory';
import { nodePath } from './internal/node-modules';
import {
  type OptimizerOption,
  resolveOptimizer,
  type TrainerOptimizer,
} from './internal/optimizer-adapter';
import { TrainingRun } from './internal/run';
import { openLog } from './internal/trainer-io';
import type { SgdMomentum } from './optimizer';
import { type ProgressReporter, resolveReporter } from './progress';
import type { AnyRecipe, Task } from './recipe';

/** Builds a fresh, seeded model. Called again when a recipe re-initialises the model. */
export type ModelFactory = (seed: number) => Classifier;

/** Builds one model and checks its input shape and classes against `train`; disposes it. */
function checkModel(factory: ModelFactory, train: Dataset, functionName: string): void {
  let model: Classifier | undefined;
  try {
    model = factory(0);
  } catch (error) {
    // Wrapped, also a TailwiseError: `mlp: expected options…` would not say it was `model`.
    throw new TailwiseError(
      'INVALID_OPTION',
      `${functionName}: expected \`model\` to be a factory (seed) => Classifier, got one that throws: ${(error as Error).message}`,
      { functionName, parameter: 'model', cause: error },
    );
  }
  try {
    if (typeof model !== 'object' || model === null || typeof model.apply !== 'function')
      fail(
        'INVALID_OPTION',
        functionName,
        'model',
        'a factory returning a Classifier',
        describeValue(model),
      );
    if (model.numClasses !== train.numClasses)
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'model',
        `a classifier with ${train.numClasses} outputs (the training set's classes)`,
        `${model.numClasses} outputs`,
      );
    const want = train.inputShape;
    const got = model.inputShape;
    if (!Array.isArray(got) || got.length !== want.length || got.some((d, i) => d !== want[i]))
      fail(
        'SHAPE_MISMATCH',
        functionName,
        'model',
        `a classifier of input shape ${formatShape(want)} (the training set's inputShape)`,
        `input shape ${Array.isArray(got) ? formatShape(got) : describeValue(got)}`,
      );
  } finally {
    model?.dispose();
  }
}

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
  /** After a checkpoint was written (atomically) to `checkpointDir`. */
  onCheckpoint?(info: { epoch: number; stepInEpoch: number; step: number }): void;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  model: ModelFactory;
  recipe: AnyRecipe;
  /** The (labeled) training set. */
  train: Dataset;
  /** Unlabeled training rows, for recipes that declare `unlabeled` (FixMatch, UDAL). */
  unlabeled?: Dataset;
  test?: Dataset;
  epochs: number;
  batchSize: number;
  seed: number;
  /**
   * Peak learning rate of the cosine schedule. Default 0.05 with the built-in SGD, the
   * optimizer's own learning rate with a `tf.Optimizer`.
   */
  learningRate?: number;
  /** Momentum of the built-in SGD. Default 0.9. */
  momentum: number;
  /** Weight decay of the built-in SGD. Default 5e-4. */
  weightDecay: number;
  /**
   * Any `tf.Optimizer`, a factory `() => tf.Optimizer` (needed for a fresh optimizer when a
   * recipe re-initialises the model), or an `SgdMomentum`. Default: `SgdMomentum` with
   * `momentum` and `weightDecay`. The schedule sets its learning rate every step.
   */
  optimizer?: OptimizerOption | SgdMomentum;
  /** Linear warm-up epochs before the cosine decay. Default 0. */
  warmupEpochs: number;
  /** Evaluate on `test` every n epochs (and always after the last). Default 1. */
  evaluateEvery: number;
  /** `'auto'` (bar on a TTY, lines otherwise), false, or your own reporter. */
  progress: boolean | 'auto' | ProgressReporter;
  /**
   * Also evaluate with logit adjustment at inference, `logits − τ·log p_train`
   * (docs/methods/004-udal.md, "LA (Inf)"); the result goes to `evaluationLA`. Off when undefined.
   */
  inferenceTau?: number;
  /** Append one JSON line per epoch to this file (Node only). */
  logFile?: string;
  /** Write checkpoints to this directory (Node only): at every epoch end and every `checkpointEvery` steps. */
  checkpointDir?: string;
  /** Also checkpoint every N global steps (0: only at epoch ends). Default 0. */
  checkpointEvery: number;
  /** Continue the run saved in this checkpoint (from {@link loadCheckpoint}). */
  resume?: Checkpoint;
  /** Stored in every checkpoint as `meta` (e.g. the CLI's command options). */
  checkpointMeta?: unknown;
  callbacks?: TrainerCallbacks;
}

const DEFAULTS = {
  momentum: 0.9,
  weightDecay: 5e-4,
  warmupEpochs: 0,
  evaluateEvery: 1,
  progress: 'auto' as const,
  checkpointEvery: 0,
};

const OPTIONAL = [
  'model',
  'recipe',
  'train',
  'unlabeled',
  'test',
  'epochs',
  'batchSize',
  'seed',
  'learningRate',
  'optimizer',
  'logFile',
  'checkpointDir',
  'resume',
  'checkpointMeta',
  'callbacks',
  'inferenceTau',
] as const;

/** The result of {@link Trainer.fit}. */
export interface TrainResult {
  history: EpochRecord[];
  final: Evaluation | undefined;
  /** With `inferenceTau`: the final evaluation with logit adjustment at inference. */
  finalLA?: Evaluation;
  /** Training counts per class (from true labels) used for shot groups. */
  trainCounts: number[];
  /** Loss of the last optimizer step (`null` if none ran). */
  lastLoss: number | null;
  /** The recipe's options as `setup` resolved them (plain data). */
  recipeOptions: Record<string, unknown>;
  /** How the run was evaluated (the recipe's task as `setup` resolved it). */
  task: Task;
}

/**
 * The training loop. It owns the data (`train`, `unlabeled`, `test`), the optimizer (any
 * `tf.Optimizer`; SGD with momentum by default), the cosine schedule with warm-up, evaluation,
 * progress, the JSONL log, checkpoints and resume. A {@link Recipe} decides how a step becomes
 * a loss; its state is the trainer's to pass around, save and restore.
 *
 * Fails with `NON_FINITE` the moment the loss stops being finite, naming epoch and step.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: (seed) => mlp({ inputShape: [28, 28, 1], numClasses: 10, seed }),
 *   recipe: recipes.udal(), train: labeled, unlabeled, test, epochs: 10, batchSize: 64, seed: 0,
 *   checkpointDir: 'runs/udal', checkpointEvery: 100 });
 * const { final } = await trainer.fit();
 * ```
 */
export class Trainer {
  /**
   * A trainer whose `train`, `test` and `unlabeled` may also be plain tensors `{ x, y }` or a
   * `tf.data.Dataset` of `{ xs, ys }` ({@link DataInput}); they are read once into tailwise
   * `Dataset`s (`datasetFromTensors` / `datasetFromTfData` of `@tailwise/datasets`), then this
   * is `new Trainer(options)`. The caller keeps ownership of the tensors.
   *
   * @example
   * ```ts
   * const trainer = await Trainer.create({ model, recipe: recipes.ce(), train: { x: xs, y: ys },
   *   test: tfTestDataset, epochs: 5, batchSize: 64, seed: 0 });
   * ```
   */
  static async create(
    options: Omit<ConstructorParameters<typeof Trainer>[0], 'train' | 'test' | 'unlabeled'> & {
      train: DataInput;
      test?: DataInput;
      unlabeled?: DataInput;
    },
  ): Promise<Trainer> {
    const train = await toDataset(options.train, 'train', undefined);
    const test =
      options.test === undefined
        ? undefined
        : await toDataset(options.test, 'test', train.numClasses);
    const unlabeled =
      options.unlabeled === undefined
        ? undefined
        : await toDataset(options.unlabeled, 'unlabeled', train.numClasses);
    return new Trainer({
      ...options,
      train,
      ...(test ? { test } : {}),
      ...(unlabeled ? { unlabeled } : {}),
    } as ConstructorParameters<typeof Trainer>[0]);
  }

  readonly options: TrainerOptions;
  private readonly optimizer: TrainerOptimizer;
  private run: TrainingRun | undefined;
  private disposed = false;

  constructor(
    options: Omit<TrainerOptions, keyof typeof DEFAULTS> &
      Partial<Pick<TrainerOptions, keyof typeof DEFAULTS>>,
  ) {
    const o = withDefaults(
      options as Partial<TrainerOptions>,
      { ...DEFAULTS } as TrainerOptions,
      'Trainer',
      [...OPTIONAL],
    );
    if (typeof o.model !== 'function')
      fail('INVALID_OPTION', 'Trainer', 'model', 'a function (seed) => Classifier', typeof o.model);
    if (!o.recipe || typeof o.recipe.loss !== 'function' || typeof o.recipe.setup !== 'function')
      fail('INVALID_OPTION', 'Trainer', 'recipe', 'a recipe (see `recipes`)', String(o.recipe));
    assertNumber(o.epochs, { min: 1, integer: true }, 'Trainer', 'epochs');
    assertNumber(o.batchSize, { min: 1, integer: true }, 'Trainer', 'batchSize');
    assertNumber(o.seed, { min: 0, integer: true }, 'Trainer', 'seed');
    if (o.learningRate !== undefined)
      assertNumber(o.learningRate, { min: 0, minExclusive: true }, 'Trainer', 'learningRate');
    assertNumber(
      o.warmupEpochs,
      { min: 0, max: o.epochs, maxExclusive: true },
      'Trainer',
      'warmupEpochs',
    );
    assertNumber(o.evaluateEvery, { min: 1, integer: true }, 'Trainer', 'evaluateEvery');
    assertNumber(o.checkpointEvery, { min: 0, integer: true }, 'Trainer', 'checkpointEvery');
    if (o.inferenceTau !== undefined)
      assertNumber(o.inferenceTau, { min: 0 }, 'Trainer', 'inferenceTau');
    if (o.checkpointDir === undefined && o.checkpointEvery > 0)
      fail(
        'INVALID_OPTION',
        'Trainer',
        'checkpointEvery',
        'used with `checkpointDir`',
        String(o.checkpointEvery),
      );
    if (!Array.isArray(o.recipe.requires as unknown))
      fail(
        'INVALID_OPTION',
        'Trainer',
        'recipe',
        'a recipe with `requires`',
        describeValue(o.recipe.requires),
      );
    // The data is validated once, here, on the host (every value: labels in range, candidate
    // rows, finite features); the steps then run at the validation level 'shapes'.
    if (typeof o.train !== 'object' || o.train === null)
      fail('INVALID_VALUE', 'Trainer', 'train', 'a Dataset', describeValue(o.train));
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
    assertDataset(o.train, 'Trainer', 'train');
    const reference = {
      numClasses: o.train.numClasses,
      inputShape: o.train.inputShape,
      reference: 'the training set',
    };
    if (o.unlabeled !== undefined) assertDataset(o.unlabeled, 'Trainer', 'unlabeled', reference);
    if (o.test !== undefined) {
      assertDataset(o.test, 'Trainer', 'test', reference);
      const needs = o.recipe.task === 'multi-label' ? 'multiLabels' : 'labels';
      if (o.test.labels === undefined && o.test.multiLabels === undefined)
        fail(
          'INVALID_VALUE',
          'Trainer',
          `test.${needs}`,
          'present (the test set is evaluated on them)',
          'undefined',
        );
    }
    if (o.logFile !== undefined && (typeof o.logFile !== 'string' || o.logFile === ''))
      fail('INVALID_OPTION', 'Trainer', 'logFile', 'a file path', describeValue(o.logFile));
    if (
      o.checkpointDir !== undefined &&
      (typeof o.checkpointDir !== 'string' || o.checkpointDir === '')
    )
      fail(
        'INVALID_OPTION',
        'Trainer',
        'checkpointDir',
        'a folder path',
        describeValue(o.checkpointDir),
      );
    // The model is a factory: build one probe (fixed seed, disposed at once) to check its input
    // and output against the data now, rather than in the middle of the first step.
    checkModel(o.model, o.train, 'Trainer');
    if (o.recipe.unlabeled === 'required' && o.unlabeled === undefined) {
      fail(
        'INVALID_VALUE',
        'Trainer',
        'unlabeled',
        `an unlabeled dataset (recipe '${o.recipe.name}' trains on one; the CLI makes it with --labeled-fraction)`,
        'none',
      );
    }
    this.options = o;
    this.optimizer = resolveOptimizer(o.optimizer, {
      momentum: o.momentum,
      weightDecay: o.weightDecay,
    });
  }

  /** The current model (after `fit`, the trained one). */
  get model(): Classifier {
    if (this.run === undefined)
      throw new TailwiseError(
        'INVALID_STATE',
        'Trainer.model: the model exists once fit() has started',
        {
          functionName: 'Trainer.model',
        },
      );
    return this.run.model;
  }

  /** Trains (or, with `resume`, continues) for `epochs` epochs; returns the history and the final evaluation. */
  async fit(): Promise<TrainResult> {
    if (this.disposed)
      throw new TailwiseError('INVALID_STATE', 'Trainer.fit: this trainer was disposed', {
        functionName: 'Trainer.fit',
      });
    assertGradientsRegistered();
    // Whatever fails in here frees what the run allocated (model, recipe state, optimizer slots)
    // before the error leaves: a failed fit leaks no tensor.
    try {
      return await this.runFit();
    } catch (error) {
      this.disposeRun();
      this.optimizer.reset();
      throw error;
    }
  }

  private async runFit(): Promise<TrainResult> {
    const o = this.options;
    if (o.logFile !== undefined) {
      const { dirname, resolve } = await nodePath();
      await ensureWritableDirectory(dirname(resolve(o.logFile)), 'Trainer', 'logFile');
    }
    if (o.checkpointDir !== undefined)
      await ensureWritableDirectory(o.checkpointDir, 'Trainer', 'checkpointDir');
    this.disposeRun();
    const run = await TrainingRun.start(o, this.optimizer);
    this.run = run;
    // A checkpoint is checked against this run before anything is replaced or written.
    if (o.resume) await run.restore(o.resume);
    const reporter = resolveReporter(o.progress);
    const log = o.logFile ? await openLog(o.logFile, run.history) : undefined;
    try {
      while (run.epoch < o.epochs) await run.trainEpoch({ reporter, log });
    } finally {
      reporter.stop();
    }
    return run.result();
  }

  /** Frees the model, the optimizer state and the recipe's state. */
  dispose(): void {
    this.disposeRun();
    this.optimizer.dispose();
    this.disposed = true;
  }

  private disposeRun(): void {
    this.run?.dispose();
    this.run = undefined;
  }
}
