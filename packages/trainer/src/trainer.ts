import { assertGradientsRegistered } from '@tailwise/backends';
import {
  assertDataset,
  assertNumber,
  cosineDecay,
  createRng,
  type Dataset,
  describeValue,
  fail,
  formatShape,
  getValidation,
  rngFromJSON,
  setValidation,
  TailwiseError,
  withDefaults,
  withValidation,
} from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, recipeStateJSON, saveCheckpoint } from './checkpoint';
import type { Evaluation } from './evaluate';
import { predict } from './evaluate';
import { ensureWritableDirectory } from './internal/directory';
import { type EpochPlan, epochSteps, stepsOfPass } from './internal/epoch-data';
import {
  type OptimizerOption,
  resolveOptimizer,
  type TrainerOptimizer,
} from './internal/optimizer-adapter';
import {
  checkCheckpoint,
  loadModelAndOptimizer,
  RngSlot,
  type RunIdentity,
  saveModelAndOptimizer,
} from './internal/resume';
import { decodeState, disposeState, encodeState } from './internal/state-codec';
import { countsFor, describeEpoch, evaluator, openLog } from './internal/trainer-io';
import type { SgdMomentum } from './optimizer';
import { type ProgressReporter, resolveReporter } from './progress';
import type { AnyRecipe, LossResult, Task, TrainContext } from './recipe';

/** Builds a fresh, seeded model. Called again when a recipe re-initialises the model. */
export type ModelFactory = (seed: number) => Classifier;

async function nodePath(): Promise<typeof import('node:path')> {
  const name = 'node:path'; // in a variable: browser bundles must not resolve it
  return (await import(/* @vite-ignore */ name)) as typeof import('node:path');
}

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
  readonly options: TrainerOptions;
  private modelInstance: Classifier | undefined;
  private readonly optimizer: TrainerOptimizer;
  private state: object | undefined;
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
    if (o.resume !== undefined && o.checkpointDir === undefined && o.checkpointEvery > 0)
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
    if (this.modelInstance === undefined)
      throw new TailwiseError(
        'INVALID_STATE',
        'Trainer.model: the model exists once fit() has started',
        {
          functionName: 'Trainer.model',
        },
      );
    return this.modelInstance;
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
    const level = getValidation();
    try {
      return await this.run();
    } catch (error) {
      this.disposeRun();
      this.optimizer.reset();
      throw error;
    } finally {
      setValidation(level);
    }
  }

  private async run(): Promise<TrainResult> {
    const o = this.options;
    if (o.logFile !== undefined) {
      const { dirname, resolve } = await nodePath();
      await ensureWritableDirectory(dirname(resolve(o.logFile)), 'Trainer', 'logFile');
    }
    if (o.checkpointDir !== undefined)
      await ensureWritableDirectory(o.checkpointDir, 'Trainer', 'checkpointDir');
    const { recipe, train } = o;
    const unlabeled = recipe.unlabeled ? o.unlabeled : undefined;
    const rng = createRng(o.seed);
    const modelSeeds = new RngSlot(rng.split());
    const dataRng = new RngSlot(rng.split());
    const recipeRng = new RngSlot(rng.split());
    this.disposeRun();
    this.modelInstance = o.model(modelSeeds.current.nextSeed());
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
    const peak = o.learningRate ?? this.optimizer.initialLearningRate ?? 0.05;
    let task: Task = recipe.task;
    let step = 0;
    let epoch = 0;
    let stepsPerEpoch = stepsOfPass(train.size, o.batchSize);
    let learningRate = peak;
    const self = this;
    const ctx: TrainContext = {
      get epoch() {
        return epoch;
      },
      totalEpochs: o.epochs,
      get step() {
        return step;
      },
      get stepsPerEpoch() {
        return stepsPerEpoch;
      },
      get totalSteps() {
        return stepsPerEpoch * o.epochs;
      },
      batchSize: o.batchSize,
      get learningRate() {
        return learningRate;
      },
      get rng() {
        return recipeRng.current;
      },
      get model() {
        return self.model;
      },
      train,
      unlabeled,
      numClasses,
      trainCounts,
      reinitializeModel() {
        self.modelInstance?.dispose();
        self.modelInstance = o.model(modelSeeds.current.nextSeed());
        self.optimizer.reset();
      },
      predictProbabilities: (dataset) => predict(self.model, dataset, { task }),
    };

    const setup = await recipe.setup(ctx);
    let state: object = setup.state;
    this.state = state;
    task = setup.task ?? recipe.task;
    const plan = setup.data ?? {};
    if (plan.unlabeledRatio !== undefined && unlabeled === undefined)
      fail(
        'INVALID_VALUE',
        'Trainer',
        'unlabeled',
        `an unlabeled dataset for recipe '${recipe.name}'`,
        'none',
      );
    stepsPerEpoch = plan.stepsPerEpoch ?? stepsOfPass(train.size, o.batchSize);
    const totalSteps = stepsPerEpoch * o.epochs;
    const run: RunIdentity = {
      recipe: recipe.name,
      recipeOptions: JSON.parse(JSON.stringify(setup.options)) as Record<string, unknown>,
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      stepsPerEpoch,
      train: { name: train.name, size: train.size, numClasses, inputShape: [...train.inputShape] },
      unlabeled: unlabeled ? { name: unlabeled.name, size: unlabeled.size } : null,
      optimizer: this.optimizer.kind,
    };

    const history: EpochRecord[] = [];
    let lossSum = 0;
    let samples = 0;
    let inEpoch = 0;
    let lastLoss: number | null = null;
    let dataAtEpochStart = dataRng.current.toJSON();
    const cp = o.resume;
    if (cp) {
      // Everything is checked before anything is replaced or written.
      checkCheckpoint(cp, run, this.model);
      const restored = decodeState(cp.recipeState.value, { model: this.model }) as object;
      disposeState(state);
      state = restored;
      this.state = state;
      await loadModelAndOptimizer(cp, this.model, this.optimizer);
      modelSeeds.current = rngFromJSON(cp.rngs.model);
      recipeRng.current = rngFromJSON(cp.rngs.recipe);
      dataAtEpochStart = cp.rngs.dataAtEpochStart;
      // Mid-epoch: replay the epoch's data order from its start and skip the steps done.
      dataRng.current = rngFromJSON(
        cp.position.stepInEpoch > 0 ? cp.rngs.dataAtEpochStart : cp.rngs.data,
      );
      ({ epoch, step, lossSum, samples, lastLoss } = cp.position);
      inEpoch = cp.position.stepInEpoch;
      history.push(...(cp.history as EpochRecord[]));
    }

    const checkpoint = async () => {
      if (o.checkpointDir === undefined) return;
      const saved: Checkpoint = {
        kind: 'tailwise.Checkpoint',
        version: 1,
        run,
        position: { epoch, stepInEpoch: inEpoch, step, lossSum, samples, lastLoss },
        rngs: {
          model: modelSeeds.current.toJSON(),
          recipe: recipeRng.current.toJSON(),
          data: dataRng.current.toJSON(),
          dataAtEpochStart,
        },
        ...(await saveModelAndOptimizer(this.model, this.optimizer)),
        recipeState: recipeStateJSON(recipe.name, await encodeState(state)),
        history: history as Record<string, unknown>[],
        ...(o.checkpointMeta === undefined ? {} : { meta: o.checkpointMeta }),
      };
      await saveCheckpoint(o.checkpointDir, saved);
      o.callbacks?.onCheckpoint?.({ epoch, stepInEpoch: inEpoch, step });
    };

    const reporter = resolveReporter(o.progress);
    const log = o.logFile ? await openLog(o.logFile, history) : undefined;
    const evaluateNow = evaluator({
      recipe,
      ctx,
      state,
      test: o.test,
      trainCounts,
      numClasses,
      task: () => task,
      tau: o.inferenceTau,
    });
    let final: Evaluation | undefined;
    let finalLA: Evaluation | undefined;
    // Steps run at 'shapes': the data was validated at construction, the model's outputs are
    // guarded by the non-finite-loss check below; no tensor is read back to check values.
    setValidation('shapes');
    try {
      for (; epoch < o.epochs; epoch++) {
        const started = performance.now();
        const resumingMidEpoch = inEpoch > 0;
        if (!resumingMidEpoch) {
          lossSum = 0;
          samples = 0;
          dataAtEpochStart = dataRng.current.toJSON();
          await recipe.beforeEpoch?.(ctx, state);
        }
        reporter.startEpoch(epoch, o.epochs, stepsPerEpoch);
        const epochPlan: EpochPlan = {
          train: recipe.epochData?.(ctx, state, dataRng.current) ?? train,
          unlabeled,
          unlabeledRatio: plan.unlabeledRatio,
          batchSize: o.batchSize,
          fixedSteps: plan.stepsPerEpoch,
        };
        for (const data of epochSteps(epochPlan, dataRng.current, inEpoch)) {
          learningRate = cosineDecay(step, {
            initial: peak,
            total: totalSteps,
            warmup: o.warmupEpochs * stepsPerEpoch,
          });
          let prepared: unknown;
          let out: LossResult | undefined;
          try {
            const model = this.model;
            // Steps run at the 'shapes' validation level (no per-step readback of values); the
            // loss itself is guarded below.
            const { value, grads } = withValidation('shapes', () => {
              prepared = recipe.prepare ? recipe.prepare(ctx, state, data) : data;
              return tf.variableGrads(() => {
                out = recipe.loss(ctx, state, prepared);
                for (const [k, t] of Object.entries(out!))
                  if (k !== 'loss' && t instanceof tf.Tensor) tf.keep(t);
                return out!.loss;
              }, model.trainableVariables);
            });
            const loss = (await value.data())[0]!;
            if (!Number.isFinite(loss)) {
              tf.dispose([value, grads as unknown as tf.TensorContainer]);
              throw new TailwiseError(
                'NON_FINITE',
                `Trainer.fit: the loss of recipe '${recipe.name}' became ${loss} at epoch ${epoch + 1}, step ${inEpoch + 1}; lower the learning rate (now ${learningRate.toPrecision(3)}) or check the inputs`,
                { functionName: 'Trainer.fit', parameter: 'loss' },
              );
            }
            this.optimizer.apply(model.trainableVariables, grads, learningRate);
            tf.dispose([value, grads as unknown as tf.TensorContainer]);
            await recipe.afterStep?.(ctx, state, prepared, out!);
            lastLoss = loss;
            lossSum += loss;
          } finally {
            tf.dispose([data, prepared, out] as unknown as tf.TensorContainer);
          }
          samples += data.batch.indices.length + (data.unlabeled?.indices.length ?? 0);
          inEpoch += 1;
          step += 1;
          reporter.step(inEpoch, { loss: lossSum / inEpoch });
          o.callbacks?.onStepEnd?.({ epoch, step, loss: lastLoss });
          if (o.checkpointEvery > 0 && step % o.checkpointEvery === 0) await checkpoint();
        }
        const extra = (await recipe.afterEpoch?.(ctx, state)) ?? {};
        const seconds = (performance.now() - started) / 1000;
        const last = epoch === o.epochs - 1;
        const evaluated =
          last || (epoch + 1) % o.evaluateEvery === 0 ? await evaluateNow() : undefined;
        if (last) {
          final = evaluated?.plain;
          finalLA = evaluated?.la;
        }
        const record: EpochRecord = {
          epoch: epoch + 1,
          loss: inEpoch === 0 ? Number.NaN : lossSum / inEpoch,
          learningRate,
          seconds,
          samplesPerSecond: samples / seconds,
          ...extra,
          ...(evaluated?.plain ? { evaluation: evaluated.plain } : {}),
          ...(evaluated?.la ? { evaluationLA: evaluated.la } : {}),
        };
        history.push(record);
        reporter.endEpoch(describeEpoch(record, o.epochs));
        log?.(record);
        await o.callbacks?.onEpochEnd?.(record);
        inEpoch = 0;
        if (o.checkpointDir !== undefined) {
          epoch += 1;
          try {
            await checkpoint();
          } finally {
            epoch -= 1;
          }
        }
      }
    } finally {
      reporter.stop();
    }
    if (
      final === undefined &&
      history.length > 0 &&
      epoch >= o.epochs &&
      cp &&
      cp.position.epoch >= o.epochs
    ) {
      // Resumed a finished run: evaluate the restored model once more.
      const evaluated = await evaluateNow();
      final = evaluated.plain;
      finalLA = evaluated.la;
    }
    return {
      history,
      final,
      ...(finalLA ? { finalLA } : {}),
      trainCounts,
      lastLoss,
      recipeOptions: run.recipeOptions,
      task,
    };
  }

  /** Frees the model, the optimizer state and the recipe's state. */
  dispose(): void {
    this.disposeRun();
    this.optimizer.dispose();
    this.disposed = true;
  }

  private disposeRun(): void {
    this.modelInstance?.dispose();
    this.modelInstance = undefined;
    if (this.state !== undefined) disposeState(this.state);
    this.state = undefined;
  }
}
