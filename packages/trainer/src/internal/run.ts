import {
  cosineDecay,
  createRng,
  fail,
  type RngState,
  rngFromJSON,
  TailwiseError,
  withValidation,
} from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, recipeStateJSON, saveCheckpoint } from '../checkpoint';
import { type Evaluation, predict } from '../evaluate';
import type { ProgressReporter } from '../progress';
import type { DataPlan, LossResult, StepData, Task, TrainContext } from '../recipe';
import type { EpochRecord, TrainerOptions, TrainResult } from '../trainer';
import { epochSteps, stepsOfPass } from './epoch-data';
import type { TrainerOptimizer } from './optimizer-adapter';
import {
  checkCheckpoint,
  loadModelAndOptimizer,
  RngSlot,
  type RunIdentity,
  saveModelAndOptimizer,
} from './resume';
import { decodeState, disposeState, encodeState } from './state-codec';
import { countsFor, describeEpoch, evaluator } from './trainer-io';

/** Where the run stands; everything a checkpoint's `position` holds, and the step's rate. */
interface Progress {
  epoch: number;
  step: number;
  /** Steps done in the epoch in progress. */
  inEpoch: number;
  lossSum: number;
  samples: number;
  lastLoss: number | null;
  learningRate: number;
  /** The data stream as it was when the epoch in progress started (its data order). */
  dataAtEpochStart: RngState;
}

/** Where the epoch records go. */
export interface RunOutput {
  reporter: ProgressReporter;
  log: ((record: EpochRecord) => void) | undefined;
}

/**
 * One `fit()`: the model, the three Rng streams (model seeds, data, recipe), the recipe's state,
 * the schedule and the progress, with the steps of the training loop as methods. The Trainer
 * makes one per `fit()` and disposes it.
 */
export class TrainingRun {
  model: Classifier;
  state: object;
  readonly ctx: TrainContext;
  /** What the run is (recipe, resolved options, data, schedule); set by `start`. */
  identity!: RunIdentity;
  readonly history: EpochRecord[] = [];
  final: Evaluation | undefined;
  finalLA: Evaluation | undefined;
  private readonly p: Progress;
  /** Model seeds, data order, recipe: three streams split from the run's seed. */
  private readonly rngs: { model: RngSlot; data: RngSlot; recipe: RngSlot };
  private readonly evaluateNow: () => Promise<{ plain?: Evaluation; la?: Evaluation }>;

  private constructor(
    private readonly o: TrainerOptions,
    private readonly optimizer: TrainerOptimizer,
    private readonly peak: number,
    readonly trainCounts: number[],
    private task: Task,
    private plan: DataPlan,
    private stepsPerEpoch: number,
  ) {
    const rng = createRng(o.seed);
    this.rngs = {
      model: new RngSlot(rng.split()),
      data: new RngSlot(rng.split()),
      recipe: new RngSlot(rng.split()),
    };
    this.model = o.model(this.rngs.model.current.nextSeed());
    this.state = {};
    this.p = {
      epoch: 0,
      step: 0,
      inEpoch: 0,
      lossSum: 0,
      samples: 0,
      lastLoss: null,
      learningRate: peak,
      dataAtEpochStart: this.rngs.data.current.toJSON(),
    };
    this.ctx = this.makeContext();
    this.evaluateNow = evaluator({
      recipe: o.recipe,
      ctx: this.ctx,
      state: () => this.state,
      test: o.test,
      trainCounts,
      numClasses: this.model.numClasses,
      task: () => this.task,
      tau: o.inferenceTau,
    });
  }

  /** Builds the model and the context, runs the recipe's `setup` and fixes the schedule. */
  static async start(o: TrainerOptions, optimizer: TrainerOptimizer): Promise<TrainingRun> {
    const peak = o.learningRate ?? optimizer.initialLearningRate ?? 0.05;
    const run = new TrainingRun(
      o,
      optimizer,
      peak,
      countsFor(o.train),
      o.recipe.task,
      {},
      stepsOfPass(o.train.size, o.batchSize),
    );
    try {
      const { train, recipe } = o;
      if (run.model.numClasses !== train.numClasses) {
        fail(
          'SHAPE_MISMATCH',
          'Trainer',
          'model',
          `a classifier with ${train.numClasses} outputs (the dataset's classes)`,
          `${run.model.numClasses} outputs`,
        );
      }
      const setup = await recipe.setup(run.ctx);
      run.state = setup.state;
      run.task = setup.task ?? recipe.task;
      run.plan = setup.data ?? {};
      if (run.plan.unlabeledRatio !== undefined && run.ctx.unlabeled === undefined)
        fail(
          'INVALID_VALUE',
          'Trainer',
          'unlabeled',
          `an unlabeled dataset for recipe '${recipe.name}'`,
          'none',
        );
      run.stepsPerEpoch = run.plan.stepsPerEpoch ?? stepsOfPass(train.size, o.batchSize);
      const unlabeled = run.ctx.unlabeled;
      run.identity = {
        recipe: recipe.name,
        recipeOptions: JSON.parse(JSON.stringify(setup.options)) as Record<string, unknown>,
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        stepsPerEpoch: run.stepsPerEpoch,
        train: {
          name: train.name,
          size: train.size,
          numClasses: train.numClasses,
          inputShape: [...train.inputShape],
        },
        unlabeled: unlabeled ? { name: unlabeled.name, size: unlabeled.size } : null,
        optimizer: optimizer.kind,
      };
      return run;
    } catch (error) {
      run.dispose();
      throw error;
    }
  }

  get epoch(): number {
    return this.p.epoch;
  }

  /** Continues from `cp`; everything is checked before anything is replaced. */
  async restore(cp: Checkpoint): Promise<void> {
    checkCheckpoint(cp, this.identity, this.model);
    const restored = decodeState(cp.recipeState.value, { model: this.model }) as object;
    disposeState(this.state);
    this.state = restored;
    await loadModelAndOptimizer(cp, this.model, this.optimizer);
    this.rngs.model.current = rngFromJSON(cp.rngs.model);
    this.rngs.recipe.current = rngFromJSON(cp.rngs.recipe);
    // Mid-epoch: replay the epoch's data order from its start and skip the steps done.
    const mid = cp.position.stepInEpoch > 0;
    this.rngs.data.current = rngFromJSON(mid ? cp.rngs.dataAtEpochStart : cp.rngs.data);
    const { epoch, step, lossSum, samples, lastLoss, stepInEpoch } = cp.position;
    Object.assign(this.p, { epoch, step, lossSum, samples, lastLoss, inEpoch: stepInEpoch });
    this.p.dataAtEpochStart = cp.rngs.dataAtEpochStart;
    this.history.push(...(cp.history as EpochRecord[]));
  }

  /** Writes the run as it stands to `checkpointDir` (atomically). */
  async checkpoint(): Promise<void> {
    const o = this.o;
    if (o.checkpointDir === undefined) return;
    const { epoch, inEpoch, step, lossSum, samples, lastLoss } = this.p;
    const saved: Checkpoint = {
      kind: 'tailwise.Checkpoint',
      version: 1,
      run: this.identity,
      position: { epoch, stepInEpoch: inEpoch, step, lossSum, samples, lastLoss },
      rngs: {
        model: this.rngs.model.current.toJSON(),
        recipe: this.rngs.recipe.current.toJSON(),
        data: this.rngs.data.current.toJSON(),
        dataAtEpochStart: this.p.dataAtEpochStart,
      },
      ...(await saveModelAndOptimizer(this.model, this.optimizer)),
      recipeState: recipeStateJSON(o.recipe.name, await encodeState(this.state)),
      history: this.history as Record<string, unknown>[],
      ...(o.checkpointMeta === undefined ? {} : { meta: o.checkpointMeta }),
    };
    await saveCheckpoint(o.checkpointDir, saved);
    o.callbacks?.onCheckpoint?.({ epoch, stepInEpoch: inEpoch, step });
  }

  /** One epoch (or its rest, after a mid-epoch resume): steps, afterEpoch, evaluation, log. */
  async trainEpoch(out: RunOutput): Promise<void> {
    const { o, p, ctx } = this;
    const recipe = o.recipe;
    const started = performance.now();
    if (p.inEpoch === 0) {
      p.lossSum = 0;
      p.samples = 0;
      p.dataAtEpochStart = this.rngs.data.current.toJSON();
      await recipe.beforeEpoch?.(ctx, this.state);
    }
    out.reporter.startEpoch(p.epoch, o.epochs, this.stepsPerEpoch);
    const plan = {
      train: recipe.epochData?.(ctx, this.state, this.rngs.data.current) ?? o.train,
      unlabeled: ctx.unlabeled,
      unlabeledRatio: this.plan.unlabeledRatio,
      batchSize: o.batchSize,
      fixedSteps: this.plan.stepsPerEpoch,
    };
    for (const data of epochSteps(plan, this.rngs.data.current, p.inEpoch)) {
      await this.trainStep(data);
      out.reporter.step(p.inEpoch, { loss: p.lossSum / p.inEpoch });
      o.callbacks?.onStepEnd?.({ epoch: p.epoch, step: p.step, loss: p.lastLoss! });
      if (o.checkpointEvery > 0 && p.step % o.checkpointEvery === 0) await this.checkpoint();
    }
    const extra = (await recipe.afterEpoch?.(ctx, this.state)) ?? {};
    const seconds = (performance.now() - started) / 1000;
    const last = p.epoch === o.epochs - 1;
    const evaluated =
      last || (p.epoch + 1) % o.evaluateEvery === 0 ? await this.evaluateNow() : undefined;
    if (last) {
      this.final = evaluated?.plain;
      this.finalLA = evaluated?.la;
    }
    const record: EpochRecord = {
      epoch: p.epoch + 1,
      loss: p.inEpoch === 0 ? Number.NaN : p.lossSum / p.inEpoch,
      learningRate: p.learningRate,
      seconds,
      samplesPerSecond: p.samples / seconds,
      ...extra,
      ...(evaluated?.plain ? { evaluation: evaluated.plain } : {}),
      ...(evaluated?.la ? { evaluationLA: evaluated.la } : {}),
    };
    this.history.push(record);
    out.reporter.endEpoch(describeEpoch(record, o.epochs));
    out.log?.(record);
    await o.callbacks?.onEpochEnd?.(record);
    p.inEpoch = 0;
    p.epoch += 1;
    await this.checkpoint();
  }

  /** prepare → loss (inside variableGrads, at the 'shapes' validation level) → optimizer → afterStep. */
  private async trainStep(data: StepData): Promise<void> {
    const { o, p, ctx } = this;
    const recipe = o.recipe;
    p.learningRate = cosineDecay(p.step, {
      initial: this.peak,
      total: this.stepsPerEpoch * o.epochs,
      warmup: o.warmupEpochs * this.stepsPerEpoch,
    });
    let prepared: unknown;
    let out: LossResult | undefined;
    try {
      const variables = this.model.trainableVariables;
      // No per-step readback of values inside the leaf functions; the loss is guarded below.
      const { value, grads } = withValidation('shapes', () => {
        prepared = recipe.prepare ? recipe.prepare(ctx, this.state, data) : data;
        return tf.variableGrads(() => {
          out = recipe.loss(ctx, this.state, prepared);
          for (const [k, t] of Object.entries(out!))
            if (k !== 'loss' && t instanceof tf.Tensor) tf.keep(t);
          return out!.loss;
        }, variables);
      });
      const loss = (await value.data())[0]!;
      if (!Number.isFinite(loss)) {
        tf.dispose([value, grads as unknown as tf.TensorContainer]);
        throw new TailwiseError(
          'NON_FINITE',
          `Trainer.fit: the loss of recipe '${recipe.name}' became ${loss} at epoch ${p.epoch + 1}, step ${p.inEpoch + 1}; lower the learning rate (now ${p.learningRate.toPrecision(3)}) or check the inputs`,
          { functionName: 'Trainer.fit', parameter: 'loss' },
        );
      }
      this.optimizer.apply(variables, grads, p.learningRate);
      tf.dispose([value, grads as unknown as tf.TensorContainer]);
      await recipe.afterStep?.(ctx, this.state, prepared, out!);
      p.lastLoss = loss;
      p.lossSum += loss;
    } finally {
      tf.dispose([data, prepared, out] as unknown as tf.TensorContainer);
    }
    p.samples += data.batch.indices.length + (data.unlabeled?.indices.length ?? 0);
    p.inEpoch += 1;
    p.step += 1;
  }

  /** The result of `fit()`; a resumed finished run is evaluated once more. */
  async result(): Promise<TrainResult> {
    if (
      this.final === undefined &&
      this.o.test !== undefined &&
      this.history.length === this.o.epochs
    ) {
      const evaluated = await this.evaluateNow();
      this.final = evaluated.plain;
      this.finalLA = evaluated.la;
    }
    return {
      history: this.history,
      final: this.final,
      ...(this.finalLA ? { finalLA: this.finalLA } : {}),
      trainCounts: this.trainCounts,
      lastLoss: this.p.lastLoss,
      recipeOptions: this.identity.recipeOptions,
      task: this.task,
    };
  }

  dispose(): void {
    this.model.dispose();
    disposeState(this.state);
    this.state = {};
  }

  private makeContext(): TrainContext {
    const { o, p } = this;
    const self = this;
    return {
      get epoch() {
        return p.epoch;
      },
      totalEpochs: o.epochs,
      get step() {
        return p.step;
      },
      get stepsPerEpoch() {
        return self.stepsPerEpoch;
      },
      get totalSteps() {
        return self.stepsPerEpoch * o.epochs;
      },
      batchSize: o.batchSize,
      get learningRate() {
        return p.learningRate;
      },
      get rng() {
        return self.rngs.recipe.current;
      },
      get model() {
        return self.model;
      },
      train: o.train,
      unlabeled: o.recipe.unlabeled ? o.unlabeled : undefined,
      numClasses: o.train.numClasses,
      trainCounts: this.trainCounts,
      reinitializeModel() {
        self.model.dispose();
        self.model = o.model(self.rngs.model.current.nextSeed());
        self.optimizer.reset();
      },
      predictProbabilities: (dataset) => predict(self.model, dataset, { task: self.task }),
    };
  }
}
