import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng, type Dataset } from '@tailwise/core';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTailwiseErrorAsync,
} from '../../../test/helpers';
import {
  type AnyRecipe,
  type EpochRecord,
  loadCheckpoint,
  predict,
  recipes,
  type TrainContext,
  Trainer,
} from '../src/index';
import { loadExperimentData } from '../src/node';
import { resolveInitialPrior } from '../src/recipes/pll/internal/shared';
import { disposeState } from './recipe-helpers';

const SIDE = 8;
const C = 4;

/**
 * Long-tailed 8×8 gray images: class c lights one quadrant (0 top-left, 1 top-right,
 * 2 bottom-left, 3 bottom-right) over noise, so a one-pixel shift keeps the class. Each wrong
 * class enters the candidate set with probability `psi` (the true one always does).
 */
function quadrants(
  counts: number[],
  seed: number,
  psi = 0.3,
  withLabels = true,
): Dataset & { candidates: Uint8Array; labels: Int32Array } {
  const rng = createRng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * SIDE * SIDE);
  const labels = new Int32Array(n);
  const candidates = new Uint8Array(n * C);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let y = 0; y < SIDE; y++)
        for (let x = 0; x < SIDE; x++) {
          const on = (y < SIDE / 2 ? 0 : 2) + (x < SIDE / 2 ? 0 : 1) === c;
          const v = (on ? 0.8 : 0.1) + rng.normal(0, 0.1);
          features[(i * SIDE + y) * SIDE + x] = Math.min(1, Math.max(0, v));
        }
      for (let j = 0; j < C; j++) candidates[i * C + j] = j === c || rng.uniform() < psi ? 1 : 0;
    }
  });
  // Shuffled rows, as real loaders give them.
  const order = rng.permutation(n);
  const f2 = new Float32Array(features.length);
  const l2 = new Int32Array(n);
  const c2 = new Uint8Array(candidates.length);
  order.forEach((from, to) => {
    f2.set(features.subarray(from * SIDE * SIDE, (from + 1) * SIDE * SIDE), to * SIDE * SIDE);
    l2[to] = labels[from]!;
    c2.set(candidates.subarray(from * C, (from + 1) * C), to * C);
  });
  const data = {
    name: 'quadrants',
    size: n,
    inputShape: [SIDE, SIDE, 1],
    features: f2,
    numClasses: C,
    labels: l2,
    candidates: c2,
  };
  if (!withLabels) return { ...data, labels: undefined } as unknown as typeof data;
  return data;
}

const TRAIN = quadrants([120, 50, 24, 12], 1);
const TEST = quadrants([25, 25, 25, 25], 2, 0);
/** The same training set without its true labels: a recipe that read them would crash. */
const TRAIN_NO_LABELS: Dataset = { ...TRAIN, labels: undefined } as unknown as Dataset;

/** Models built by `fit()` (the Trainer's constructor also builds one probe, with seed 0). */
let modelCalls = 0;
const model = (seed: number) => {
  modelCalls += 1;
  return mlp({ inputShape: [SIDE, SIDE, 1], numClasses: C, seed, hidden: [16] });
};

async function fit(
  recipe: AnyRecipe,
  options: { epochs?: number; seed?: number; train?: Dataset; lr?: number } = {},
  onEpochEnd?: (record: EpochRecord, trainer: Trainer) => void,
) {
  const trainer: Trainer = new Trainer({
    model,
    recipe,
    train: options.train ?? TRAIN_NO_LABELS,
    test: TEST,
    epochs: options.epochs ?? 6,
    batchSize: 32,
    seed: options.seed ?? 0,
    learningRate: options.lr ?? 0.1,
    progress: false,
    ...(onEpochEnd ? { callbacks: { onEpochEnd: (r) => onEpochEnd(r, trainer) } } : {}),
  });
  const result = await trainer.fit();
  return { trainer, result };
}

const accuracyOf = (r: { final?: unknown }) => (r.final as { accuracy: number }).accuracy;

describe('pll recipes: shared behaviour', () => {
  const names = ['proden', 'cc', 'records', 'solar', 'plr'] as const;
  for (const name of names) {
    it(`${name} learns from candidate sets only, leaks nothing and repeats per seed`, async () => {
      const make = () => recipes[name]() as unknown as AnyRecipe;
      const before = tf.memory().numTensors;
      // The training set has no `labels`: the recipe can only use `candidates`.
      const a = await fit(make(), { epochs: 6 });
      const losses = a.result.history.map((h) => h.loss);
      expect(losses.every(Number.isFinite)).toBe(true);
      // Chance is 25% on the balanced test set; the quadrants are easy.
      expect(accuracyOf(a.result)).toBeGreaterThan(0.6);
      a.trainer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const b = await fit(make(), { epochs: 6 });
      expect(b.result.history.map((h) => h.loss)).toEqual(losses);
      b.trainer.dispose();
      const c = await fit(make(), { epochs: 6, seed: 1 });
      expect(c.result.history.map((h) => h.loss)).not.toEqual(losses);
      c.trainer.dispose();
    });
  }

  it('proden, cc and records: the loss falls', async () => {
    for (const name of ['proden', 'cc', 'records'] as const) {
      const { trainer, result } = await fit(recipes[name]() as unknown as AnyRecipe);
      const h = result.history;
      expect(h[h.length - 1]!.loss, name).toBeLessThan(h[0]!.loss);
      trainer.dispose();
    }
  });

  it('the trainer refuses a training set without candidate sets', () => {
    const plain = { ...TRAIN, candidates: undefined } as unknown as Dataset;
    for (const name of ['proden', 'cc', 'records', 'solar', 'plr'] as const) {
      expectTailwiseError(
        () =>
          new Trainer({
            model,
            recipe: recipes[name]() as unknown as AnyRecipe,
            train: plain,
            epochs: 1,
            batchSize: 32,
            seed: 0,
          }),
        'INVALID_VALUE',
        /candidates/,
      );
    }
  });

  it('refuses a candidate row with no candidate', async () => {
    const broken = new Uint8Array(TRAIN.candidates);
    broken.fill(0, 5 * C, 6 * C);
    const train = { ...TRAIN, candidates: broken };
    for (const name of ['proden', 'cc', 'records', 'solar', 'plr'] as const) {
      await expectTailwiseErrorAsync(
        () => fit(recipes[name]() as unknown as AnyRecipe, { train, epochs: 1 }),
        'EMPTY_CANDIDATE_SET',
        /row 5 with no candidate/,
      );
    }
  });

  it('refuses unknown and out-of-range options', () => {
    expectTailwiseError(
      () => recipes.proden({ lambda: 3 } as never),
      'INVALID_OPTION',
      /recipes\.proden: expected `lambda`/,
    );
    expectTailwiseError(() => recipes.cc({ rho: 1 } as never), 'INVALID_OPTION', /`rho`/);
    expectTailwiseError(() => recipes.plr({ lambda: 0 }), 'INVALID_OPTION', /`lambda`.*> 0/);
    expectTailwiseError(() => recipes.plr({ m: -1 }), 'INVALID_OPTION', /`m`/);
    expectTailwiseError(() => recipes.plr({ rhoEnd: 1.5 }), 'INVALID_OPTION', /`rhoEnd`/);
    expectTailwiseError(() => recipes.plr({ mu: 1 }), 'INVALID_OPTION', /`mu`.*\[0, 1\)/);
    expectTailwiseError(() => recipes.plr({ estEpochs: 1.5 }), 'INVALID_OPTION', /`estEpochs`/);
    expectTailwiseError(() => recipes.plr({ flip: 'yes' } as never), 'INVALID_OPTION', /`flip`/);
    expectTailwiseError(() => recipes.solar({ iterations: 0 }), 'INVALID_OPTION', /`iterations`/);
    expectTailwiseError(
      () => recipes.solar({ queueBatches: 2.5 }),
      'INVALID_OPTION',
      /`queueBatches`/,
    );
    expectTailwiseError(() => recipes.records({ momentum: 1 }), 'INVALID_OPTION', /`momentum`/);
    expectTailwiseError(
      () => recipes.records({ priorSource: 'argmax' as never }),
      'INVALID_OPTION',
      /`priorSource`/,
    );
  });

  it('refuses a prior with a zero or not summing to 1', async () => {
    expectTailwiseError(
      () => resolveInitialPrior([0.5, 0.5, 0, 0], C, 'f'),
      'NOT_A_DISTRIBUTION',
      /`initialPrior`/,
    );
    expectTailwiseError(
      () => resolveInitialPrior([0.4, 0.4, 0.1, 0.2], C, 'f'),
      'NOT_A_DISTRIBUTION',
      /`initialPrior`/,
    );
    expectClose(resolveInitialPrior('uniform', C, 'f'), [0.25, 0.25, 0.25, 0.25]);
    // Through a recipe: checked when training starts (C is known then).
    await expectTailwiseErrorAsync(
      () =>
        fit(recipes.plr({ initialPrior: [0.7, 0.3, 0, 0] }) as unknown as AnyRecipe, {
          epochs: 2,
        }),
      'NOT_A_DISTRIBUTION',
      /recipes\.plr: expected `initialPrior`/,
    );
    await expectTailwiseErrorAsync(
      () =>
        fit(recipes.plr({ initialPrior: '0.5,0.5' }) as unknown as AnyRecipe, {
          epochs: 1,
        }),
      'NOT_A_DISTRIBUTION',
      /over 4 classes/,
    );
  });

  it('plr and solar take views for any input: none on [D] trains, image views on [D] are refused', async () => {
    const flat = { ...TRAIN, inputShape: [SIDE * SIDE] };
    const flatModel = (seed: number) =>
      mlp({ inputShape: [SIDE * SIDE], numClasses: C, seed, hidden: [8] });
    for (const name of ['plr', 'solar'] as const) {
      const run = (views: 'none' | 'image') =>
        new Trainer({
          model: flatModel,
          recipe: recipes[name]({ views }),
          train: flat,
          epochs: 2,
          batchSize: 32,
          seed: 0,
          progress: false,
        });
      const ok = run('none');
      const { history } = await ok.fit();
      expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
      ok.dispose();
      const bad = run('image');
      await expectTailwiseErrorAsync(
        () => bad.fit(),
        'SHAPE_MISMATCH',
        /\[H, W, 1\] or \[H, W, 3\] for 'image' views, got inputShape \[64\]/,
      );
      bad.dispose();
    }
  });
});

describe('plr', () => {
  it('runs two stages, re-initializes the model once and keeps the prior across them (paper schedule)', async () => {
    modelCalls = 0;
    const { trainer, result } = await fit(
      recipes.plr({ estEpochs: 2, schedule: 'paper' }) as unknown as AnyRecipe,
      {
        epochs: 6,
        train: TRAIN,
      },
    );
    // The constructor's probe, one model at the start, one more when the second stage starts.
    expect(modelCalls).toBe(3);
    const h = result.history;
    expect(h.map((r) => r.stage)).toEqual([
      'pre-estimation',
      'pre-estimation',
      'main',
      'main',
      'main',
      'main',
    ]);
    // Stage epoch 0 is the candidate loss alone (η = 0); the ramp restarts in each stage.
    expect(h.map((r) => r.eta)).toEqual([0, 0.9, 0, 0.9, 0.9, 0.9]);
    // ρ ramps from 0.2 to 0.5 (C ≤ 10) over warmupEpochs = max(1, round(0.05·4)) = 1.
    expectClose(
      h.map((r) => r.rho as number),
      [0.2, 0.5, 0.2, 0.5, 0.5, 0.5],
    );
    expect(result.recipeOptions).toMatchObject({
      lambda: 3,
      m: 2,
      estEpochs: 2,
      muEstimate: 0.1,
      rhoEnd: 0.5,
      warmupEpochs: 1,
    });
    // Prior EMA: μ = 0.1 on the new estimate in the pre-estimation stage, 0.01 after, carried
    // over the re-initialization: r_e = (1 − μ)·r_{e−1} + μ·estimate_e, from r_0 uniform.
    let r = [0.25, 0.25, 0.25, 0.25];
    h.forEach((rec, e) => {
      const mu = e < 2 ? 0.1 : 0.01;
      const est = rec.priorEstimate as number[];
      r = r.map((v, c) => (1 - mu) * v + mu * est[c]!);
      expectClose(rec.prior as number[], r, 1e-5);
    });
    // Selection and mixup ran from the second epoch of each stage.
    expect(h[0]!.selectedFraction).toBeNull();
    expect(h[1]!.selectedFraction as number).toBeGreaterThan(0);
    expect(accuracyOf(result)).toBeGreaterThan(0.6);
    trainer.dispose();
  });

  it('estimates the prior from an inference pass: counts of argmax(f ⊙ S) over the training set', async () => {
    const estimates: number[][] = [];
    const fromInference: number[][] = [];
    const pending: Promise<void>[] = [];
    const { trainer } = await fit(
      recipes.plr({ estEpochs: 1 }) as unknown as AnyRecipe,
      { epochs: 3 },
      (record, t) => {
        estimates.push(record.priorEstimate as number[]);
        // The model has not changed since afterEpoch: evaluate it independently here.
        fromInference.push([]);
        pending.push(
          predict(t.model, TRAIN_NO_LABELS).then((probs) => {
            fromInference[fromInference.length - 1] = independentArgmaxPrior(probs);
          }),
        );
      },
    );
    await Promise.all(pending);
    expect(estimates).toHaveLength(3);
    estimates.forEach((e, i) => {
      expectClose(e, fromInference[i]!, 1e-6);
    });
    trainer.dispose();
  });

  it('one stage with estEpochs = 0 (no re-initialization, μ = 0.01 throughout, paper schedule)', async () => {
    modelCalls = 0;
    const { trainer, result } = await fit(
      recipes.plr({
        estEpochs: 0,
        mixup: false,
        consistency: false,
        schedule: 'paper',
      }) as unknown as AnyRecipe,
      { epochs: 3 },
    );
    expect(modelCalls).toBe(2); // the constructor's probe and the run's model: no re-initialization
    expect(result.history.map((r) => r.stage)).toEqual(['main', 'main', 'main']);
    const est = result.history[0]!.priorEstimate as number[];
    expectClose(
      result.history[0]!.prior as number[],
      est.map((v) => 0.99 * 0.25 + 0.01 * v),
    );
    trainer.dispose();
  });

  it('refuses estEpochs that leave no second stage', async () => {
    await expectTailwiseErrorAsync(
      () => fit(recipes.plr({ estEpochs: 3 }) as unknown as AnyRecipe, { epochs: 3 }),
      'INVALID_OPTION',
      /recipes\.plr: expected `estEpochs` to be fewer than the run's 3 epochs/,
    );
  });

  it('budget schedule: μ from a time constant of 0.1 of each stage; components switch off', async () => {
    modelCalls = 0;
    const { trainer, result } = await fit(
      recipes.plr({
        estEpochs: 2,
        reinitialize: false,
        candidateStage: false,
        selection: false,
        mixup: false,
        consistency: false,
      }) as unknown as AnyRecipe,
      { epochs: 6 },
    );
    // No re-initialization: one model for the whole run (besides the constructor's probe).
    expect(modelCalls).toBe(2);
    const h = result.history;
    // μ = 1 − exp(−1/(0.1·2)) in the 2 pre-estimation epochs, 1 − exp(−1/(0.1·4)) after.
    const muEst = 1 - Math.exp(-1 / 0.2);
    const mu = 1 - Math.exp(-1 / 0.4);
    expectClose(result.recipeOptions.muEstimate as number, muEst, 1e-12);
    expectClose(result.recipeOptions.mu as number, mu, 1e-12);
    let r = [0.25, 0.25, 0.25, 0.25];
    h.forEach((rec, e) => {
      const m = e < 2 ? muEst : mu;
      r = r.map((v, c) => (1 - m) * v + m * (rec.priorEstimate as number[])[c]!);
      expectClose(rec.prior as number[], r, 1e-5);
    });
    // Without the candidate stage and the selection: η = 1 and every sample is selected from
    // the first epoch of each stage on.
    expect(h.map((x) => x.eta)).toEqual([1, 1, 1, 1, 1, 1]);
    for (const rec of h) expect(rec.selectedFraction).toBe(1);
    trainer.dispose();
    expectTailwiseError(
      () => recipes.plr({ schedule: 'fast' as never }),
      'INVALID_OPTION',
      /`schedule`/,
    );
    expectTailwiseError(
      () => recipes.plr({ priorTimeConstant: 0 }),
      'INVALID_OPTION',
      /`priorTimeConstant`/,
    );
  });

  it('takes the CIFAR-100 values for more than 10 classes', async () => {
    const recipe = recipes.plr({ schedule: 'paper' }) as unknown as AnyRecipe;
    const ctx = fakeContext(20);
    const { options, state } = await recipe.setup(ctx);
    expect(options).toMatchObject({
      lambda: 1,
      m: 0.5,
      muEstimate: 0.05,
      rhoEnd: 0.6,
      estEpochs: 20,
      warmupEpochs: 4,
    });
    disposeState(state);
  });
});

describe('proden', () => {
  it('updates its store every step: targets change and identify the true labels', async () => {
    const { trainer, result } = await fit(recipes.proden() as unknown as AnyRecipe, {
      epochs: 5,
      train: TRAIN,
    });
    const h = result.history;
    for (const r of h) expect(r.storeChange as number).toBeGreaterThan(0);
    // Start: uniform over the candidates, whose argmax (ties to the lowest class) is often wrong.
    expect(h[h.length - 1]!.storeAccuracy as number).toBeGreaterThan(0.8);
    trainer.dispose();
  });
});

describe('solar', () => {
  it('fills its Sinkhorn queue from the first epoch and empties it for the second stage', async () => {
    const { trainer, result } = await fit(
      recipes.solar({ estEpochs: 2, queueBatches: 10 }) as unknown as AnyRecipe,
      { epochs: 4 },
    );
    // 206 rows in batches of 32: 6 steps per epoch; capacity 10 batches.
    expect(result.history.map((r) => r.queueBatches)).toEqual([6, 10, 6, 10]);
    expect(result.history.map((r) => r.stage)).toEqual([
      'pre-estimation',
      'pre-estimation',
      'main',
      'main',
    ]);
    expect(result.recipeOptions).toMatchObject({ rhoEnd: 0.6, lambda: 3 });
    trainer.dispose();
  });
});

describe('records', () => {
  it('b = softmax(head(EMA of the batch-mean feature)), m = 0.9 per step, debiasing the test logits', async () => {
    const { trainer, result } = await fit(recipes.records() as unknown as AnyRecipe, {
      epochs: 2,
    });
    expect(result.history[1]!.priorSource).toBe('features');
    const b = result.history[1]!.prior as number[];
    expectClose(
      b.reduce((a, v) => a + v, 0),
      1,
      1e-5,
    );
    trainer.dispose();

    // adjustLogits against an independent evaluation of b from a known feature mean.
    const m = mlp({ inputShape: [SIDE, SIDE, 1], numClasses: C, seed: 5, hidden: [3] });
    const recipe = recipes.records() as unknown as AnyRecipe;
    const ctx = { ...fakeContext(C), model: m };
    const featureMean = tf.tensor1d([0.5, 0, 2]);
    const state = { bias: { source: 'features', momentum: 0.9, featureMean } };
    const [w, bias] = m.getWeights().slice(2) as [tf.Tensor, tf.Tensor];
    const W = w.arraySync() as number[][];
    const bb = Array.from(bias.dataSync());
    const z = [0, 1, 2, 3].map((c) => 0.5 * W[0]![c]! + 2 * W[2]![c]! + bb[c]!);
    const mz = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mz));
    const expectedB = e.map((v) => v / e.reduce((a, x) => a + x, 0));
    const logits = tf.tensor2d([
      [1, 2, 3, 4],
      [0, 0, 0, 0],
    ]);
    const adjusted = expectNoLeak(() => recipe.adjustLogits!(ctx, state as never, logits));
    expectClose(
      adjusted,
      [
        [1, 2, 3, 4].map((v, c) => v - Math.log(expectedB[c]! + 1e-9)),
        expectedB.map((v) => -Math.log(v + 1e-9)),
      ],
      1e-4,
    );
    tf.dispose([logits, adjusted, featureMean, w, bias]);
    m.dispose();
    expect(recipes.records({ debias: false }).adjustLogits).toBeUndefined();
  });

  it('folds each step into the feature EMA: f̄ ← m·f̄ + (1 − m)·mean(features), from 0', async () => {
    const m = mlp({ inputShape: [SIDE, SIDE, 1], numClasses: C, seed: 5, hidden: [3] });
    const recipe = recipes.records({ momentum: 0.5 }) as unknown as AnyRecipe;
    const ctx = { ...fakeContext(C), model: m };
    const { state } = await recipe.setup(ctx);
    expect(Array.from(state.bias.featureMean.dataSync())).toEqual([0, 0, 0]);
    const x = tf.randomUniform([6, SIDE, SIDE, 1], 0, 1, 'float32', 3);
    const batch = {
      x,
      indices: Int32Array.from([0, 1, 2, 3, 4, 5]),
      candidates: tf.ones([6, C]),
    };
    let expected = [0, 0, 0];
    for (let k = 0; k < 2; k++) {
      const out = tf.tidy(() => {
        const o = recipe.loss(ctx, state, { batch });
        return { ...o, loss: tf.keep(o.loss) };
      });
      const f = tf.tidy(() => tf.mean(m.features!(x, { training: true }), 0));
      const mean = Array.from(f.dataSync());
      expected = expected.map((v, i) => 0.5 * v + 0.5 * mean[i]!);
      await recipe.afterStep!(ctx, state, { batch }, out);
      expectClose(state.bias.featureMean, expected, 1e-5);
      tf.dispose([out as unknown as tf.TensorContainer, f]);
    }
    tf.dispose([x, batch.candidates]);
    disposeState(state);
    m.dispose();
  });

  it('resumes bit-identically from a mid-run checkpoint (the feature EMA is in the state)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const opts = (dir: string) => ({
      model,
      recipe: recipes.records() as unknown as AnyRecipe,
      train: TRAIN_NO_LABELS,
      test: TEST,
      epochs: 3,
      batchSize: 32,
      seed: 2,
      learningRate: 0.1,
      progress: false as const,
      checkpointDir: dir,
      checkpointEvery: 5,
    });
    const run = async (o: ConstructorParameters<typeof Trainer>[0]) => {
      const t = new Trainer(o);
      try {
        return await t.fit();
      } finally {
        t.dispose();
      }
    };
    const whole = await run(opts(mkdtempSync(join(tmpdir(), 'tw-rec-whole-'))));
    const dir = mkdtempSync(join(tmpdir(), 'tw-rec-cut-'));
    let seen = 0;
    await expect(
      run({
        ...opts(dir),
        callbacks: {
          onCheckpoint() {
            seen += 1;
            if (seen === 2) throw new Error('killed');
          },
        },
      }),
    ).rejects.toThrow('killed');
    const resumed = await run({ ...opts(dir), resume: await loadCheckpoint(dir) });
    expect(resumed.history.at(-1)!.loss).toBe(whole.history.at(-1)!.loss);
    expect(resumed.history.at(-1)!.prior).toEqual(whole.history.at(-1)!.prior);
    expect(resumed.final).toEqual(whole.final);
  });

  it('falls back to the softmax EMA for a model without features, and says so', async () => {
    const plain = () => {
      const c = mlp({ inputShape: [SIDE, SIDE, 1], numClasses: C, seed: 1, hidden: [16] });
      return {
        ...c,
        apply: c.apply.bind(c),
        getWeights: c.getWeights.bind(c),
        setWeights: c.setWeights.bind(c),
        dispose: c.dispose.bind(c),
        trainableVariables: c.trainableVariables,
        features: undefined,
        head: undefined,
      };
    };
    const recipe = recipes.records({ priorSource: 'auto' }) as unknown as AnyRecipe;
    const ctx = { ...fakeContext(C), model: plain() as never };
    const { state, options } = await recipe.setup(ctx);
    expect((options as { priorSource: string }).priorSource).toBe('softmax');
    expect(state.bias.source).toBe('softmax');
    disposeState(state);
    (ctx.model as { dispose(): void }).dispose();
    const forced = recipes.records({ priorSource: 'features' }) as unknown as AnyRecipe;
    const ctx2 = { ...fakeContext(C), model: plain() as never };
    expect(() => forced.setup(ctx2)).toThrow(/priorSource/);
    (ctx2.model as { dispose(): void }).dispose();
  });
});

describe('cc', () => {
  it('logs the probability mass on the candidate sets, which grows', async () => {
    const { trainer, result } = await fit(recipes.cc() as unknown as AnyRecipe, { epochs: 4 });
    const mass = result.history.map((r) => r.candidateMass as number);
    expect(mass[3]!).toBeGreaterThan(mass[0]!);
    expect(mass[3]!).toBeLessThanOrEqual(1 + 1e-6);
    trainer.dispose();
  });
});

describe('bad input through the data layer and the CLI', () => {
  it('loadExperimentData refuses ψ outside [0, 1]', async () => {
    await expectTailwiseErrorAsync(
      () => loadExperimentData({ name: 'mnist-lt', psi: 1.5, seed: 0 }),
      'INVALID_OPTION',
      /`psi`/,
    );
  });

  const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
  it.skipIf(!existsSync(bin))('tailwise train --psi 1.5 exits non-zero naming psi', () => {
    const run = spawnSync(
      process.execPath,
      [bin, 'train', '--method', 'plr', '--psi', '1.5', '--epochs', '1', '--backend', 'cpu'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/psi/);
  });
});

/** Host argmax over candidates, written independently of the recipe's helper. */
function independentArgmaxPrior(probs: Float32Array): number[] {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < TRAIN.size; i++) {
    const row = Array.from(probs.subarray(i * C, (i + 1) * C));
    const masked = row.map((v, c) => (TRAIN.candidates[i * C + c] === 1 ? v : -1));
    counts[masked.indexOf(Math.max(...masked))]! += 1;
  }
  return counts.map((n) => n / TRAIN.size);
}

function fakeContext(numClasses: number): TrainContext {
  const train = { ...quadrants([10, 10, 10, 10], 3), numClasses } as Dataset;
  const candidates = new Uint8Array(train.size * numClasses).fill(1);
  return {
    epoch: 0,
    totalEpochs: 100,
    step: 0,
    stepsPerEpoch: 1,
    totalSteps: 100,
    batchSize: 8,
    learningRate: 0.05,
    rng: createRng(0),
    model: undefined as never,
    train: { ...train, candidates },
    unlabeled: undefined,
    numClasses,
    trainCounts: new Array<number>(numClasses).fill(1),
    reinitializeModel() {},
    predictProbabilities: async () => new Float32Array(0),
  };
}
