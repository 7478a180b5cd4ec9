import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Dataset } from '@tailwise/core';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseErrorAsync } from '../../../test/helpers';
import {
  type AnyRecipe,
  CHECKPOINT_FILE,
  loadCheckpoint,
  type OptimizerOption,
  recipes,
  Trainer,
  type TrainerOptions,
} from '../src/index';
import { blobs } from './recipe-helpers';

const model = (seed: number) => mlp({ inputShape: [4], numClasses: 3, seed, hidden: [16] });
const train = blobs([60, 20, 8], 1);
const test = blobs([10, 10, 10], 2);

class Killed extends Error {}

function base(dir: string, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    model,
    recipe: recipes.ce(),
    train,
    test,
    epochs: 3,
    batchSize: 16,
    seed: 4,
    progress: false,
    checkpointDir: dir,
    checkpointEvery: 2,
    momentum: 0.9,
    weightDecay: 5e-4,
    warmupEpochs: 0,
    evaluateEvery: 1,
    ...extra,
  } as TrainerOptions;
}

async function fitOnce(options: TrainerOptions) {
  const t = new Trainer(options);
  try {
    return await t.fit();
  } finally {
    t.dispose();
  }
}

/** Trains, stops ("kills") right after the `killAt`-th checkpoint, resumes; returns both runs. */
async function interruptedAndWhole(
  recipe: () => AnyRecipe,
  killAt: number,
  extra: Partial<TrainerOptions> = {},
) {
  const whole = await fitOnce(
    base(mkdtempSync(join(tmpdir(), 'tw-whole-')), { recipe: recipe(), ...extra }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tw-cut-'));
  let seen = 0;
  let where = { epoch: -1, stepInEpoch: -1 };
  await expect(
    fitOnce(
      base(dir, {
        recipe: recipe(),
        ...extra,
        callbacks: {
          onCheckpoint(info) {
            seen += 1;
            if (seen === killAt) {
              where = info;
              throw new Killed('stop');
            }
          },
        },
      }),
    ),
  ).rejects.toBeInstanceOf(Killed);
  const resumed = await fitOnce(
    base(dir, { recipe: recipe(), ...extra, resume: await loadCheckpoint(dir) }),
  );
  return { whole, resumed, where };
}

describe('checkpoints and resume', () => {
  it('resumes mid-epoch bit-identically (history, final metrics, last loss)', async () => {
    const before = tf.memory().numTensors;
    const { whole, resumed, where } = await interruptedAndWhole(() => recipes.ce(), 2);
    expect(where.stepInEpoch).toBeGreaterThan(0); // 5 steps per epoch: checkpoint 2 is step 4
    expect(resumed.lastLoss).toBe(whole.lastLoss);
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
    expect(resumed.final).toEqual(whole.final);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes at an epoch end', async () => {
    // checkpoints: step 2, step 4, epoch end (3rd) …
    const { whole, resumed, where } = await interruptedAndWhole(() => recipes.ce(), 3);
    expect(where).toMatchObject({ epoch: 1, stepInEpoch: 0 });
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
    expect(resumed.final).toEqual(whole.final);
  });

  it('takes any tf.Optimizer (a factory here) and saves its slots', async () => {
    const adam: OptimizerOption = () => tf.train.adam(0.01);
    const { whole, resumed } = await interruptedAndWhole(() => recipes.ce(), 2, {
      optimizer: adam,
    });
    expect(resumed.lastLoss).toBe(whole.lastLoss);
    expect(resumed.final).toEqual(whole.final);
    // the schedule's peak is Adam's own learning rate
    expect(whole.history[0]!.learningRate).toBeLessThanOrEqual(0.01);
  });

  it('a perturbed resume is caught: another seed in the saved data stream changes the run', async () => {
    const whole = await fitOnce(base(mkdtempSync(join(tmpdir(), 'tw-')), {}));
    const dir = mkdtempSync(join(tmpdir(), 'tw-'));
    let seen = 0;
    await expect(
      fitOnce(
        base(dir, {
          callbacks: {
            onCheckpoint() {
              if (++seen === 2) throw new Killed('stop');
            },
          },
        }),
      ),
    ).rejects.toBeInstanceOf(Killed);
    const cp = await loadCheckpoint(dir);
    cp.rngs.dataAtEpochStart = createRng(99).toJSON();
    const resumed = await fitOnce(base(dir, { resume: cp }));
    expect(resumed.lastLoss).not.toBe(whole.lastLoss);
  });

  it('writes atomically: one checkpoint file, no temporary left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-'));
    await fitOnce(base(dir, { epochs: 1 }));
    const cp = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8'));
    expect(cp).toMatchObject({
      kind: 'tailwise.Checkpoint',
      version: 1,
      position: { epoch: 1, stepInEpoch: 0, step: 5 },
    });
    expect(statSync(dir).isDirectory()).toBe(true);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
  });
});

/** `blobs` with candidate sets (ψ = 0.4) for the partial-label recipes. */
function withCandidates(d: Dataset, seed: number): Dataset {
  const rng = createRng(seed);
  const candidates = new Uint8Array(d.size * 3);
  for (let i = 0; i < d.size; i++)
    for (let c = 0; c < 3; c++)
      candidates[i * 3 + c] = c === d.labels![i] || rng.uniform() < 0.4 ? 1 : 0;
  return { ...d, candidates };
}

/** `blobs` as a multi-label state in {1, 0, −1}: one-hot labels, a fifth of the entries unknown. */
function withMissing(d: Dataset, seed: number): Dataset {
  const rng = createRng(seed);
  const multiLabels = new Float32Array(d.size * 3);
  for (let i = 0; i < d.size; i++)
    for (let c = 0; c < 3; c++)
      multiLabels[i * 3 + c] = rng.uniform() < 0.2 ? -1 : c === d.labels![i] ? 1 : 0;
  return { ...d, labels: undefined, multiLabels };
}

describe('every recipe resumes mid-epoch bit-identically (state, Rngs, data order)', () => {
  const pll = withCandidates(train, 3);
  const multi = withMissing(train, 4);
  const multiTest = withMissing(test, 6);
  const unlabeled = { ...blobs([60, 20, 8], 5), name: 'unlabeled' };
  const cases: [string, () => AnyRecipe, Partial<TrainerOptions>, number?][] = [
    ['plm', () => recipes.plm(), {}],
    // 48 rows a draw: 3 steps an epoch; checkpoints at steps 2, 3 (epoch end), 4
    ['undersample', () => recipes.undersample({ maxPerClass: 20 }), {}, 3],
    ['classBalanced', () => recipes.classBalanced(), {}],
    ['proden', () => recipes.proden(), { train: pll }],
    ['records', () => recipes.records(), { train: pll }],
    ['cc', () => recipes.cc(), { train: pll }],
    ['plr', () => recipes.plr({ views: 'none', estEpochs: 1 }), { train: pll }],
    [
      'solar',
      () => recipes.solar({ views: 'none', estEpochs: 1, queueBatches: 3 }),
      { train: pll },
    ],
    ['udal', () => recipes.udal({ views: 'none', mu: 2, threshold: 0.6 }), { unlabeled }],
    ['fixMatchDa', () => recipes.fixMatchDa({ views: 'none', mu: 2 }), { unlabeled }],
    ['cpu', () => recipes.cpu(), {}],
    ['cpuSemi', () => recipes.cpuSemi({ views: 'none' }), {}],
    ['partialAnnotation', () => recipes.partialAnnotation(), { train: multi, test: multiTest }],
    ['role', () => recipes.role(), { train: multi, test: multiTest }],
  ];
  it.each(cases)('%s', async (_name, make, extra, killAt) => {
    const before = tf.memory().numTensors;
    // 5 steps an epoch; checkpoints at steps 2, 4, 5 (epoch end), 6, 8: the 5th is mid-epoch 2
    const { whole, resumed, where } = await interruptedAndWhole(make, killAt ?? 5, extra);
    expect(where.epoch).toBe(1);
    expect(where.stepInEpoch).toBeGreaterThan(0);
    expect(resumed.lastLoss).toBe(whole.lastLoss);
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
    const strip = (h: Record<string, unknown>) => {
      const { seconds: _s, samplesPerSecond: _p, ...rest } = h;
      return rest;
    };
    expect(resumed.history.map(strip)).toEqual(whole.history.map(strip));
    expect(resumed.final).toEqual(whole.final);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad checkpoints', () => {
  it('refuses an empty directory, a foreign directory and a missing one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tw-'));
    await expectTailwiseErrorAsync(() => loadCheckpoint(empty), 'NOT_FOUND', /directory is empty/);
    const foreign = mkdtempSync(join(tmpdir(), 'tw-'));
    writeFileSync(join(foreign, 'notes.txt'), 'hello');
    await expectTailwiseErrorAsync(
      () => loadCheckpoint(foreign),
      'NOT_FOUND',
      /no checkpoint\.json in the directory \(it holds notes\.txt\)/,
    );
    await expectTailwiseErrorAsync(
      () => loadCheckpoint(join(empty, 'nope')),
      'NOT_FOUND',
      /no such directory/,
    );
  });

  it('refuses a truncated file and foreign JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-'));
    await fitOnce(base(dir, { epochs: 1 }));
    const file = join(dir, CHECKPOINT_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    await expectTailwiseErrorAsync(
      () => loadCheckpoint(dir),
      'INVALID_FORMAT',
      /truncated or corrupt/,
    );
    writeFileSync(file, JSON.stringify({ kind: 'something.else' }));
    await expectTailwiseErrorAsync(
      () => loadCheckpoint(dir),
      'INVALID_FORMAT',
      /loadCheckpoint: expected `json` to be a tailwise.Checkpoint version 1 state, got kind "something.else"/,
    );
    writeFileSync(file, JSON.stringify({ kind: 'tailwise.Checkpoint', version: 7 }));
    await expectTailwiseErrorAsync(() => loadCheckpoint(dir), 'INVALID_FORMAT', /version 7/);
  });

  it('refuses a checkpoint of another recipe or another model, and overwrites nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-'));
    await fitOnce(base(dir, { epochs: 1 }));
    const file = join(dir, CHECKPOINT_FILE);
    const saved = readFileSync(file, 'utf8');
    const cp = await loadCheckpoint(dir);
    const other: AnyRecipe = { ...recipes.ce(), name: 'other' };
    await expectTailwiseErrorAsync(
      () => fitOnce(base(dir, { epochs: 1, recipe: other, resume: cp })),
      'INVALID_STATE',
      /from another run: its recipe is "ce", this run's is "other"/,
    );
    const wider = (seed: number) => mlp({ inputShape: [4], numClasses: 3, seed, hidden: [32] });
    await expectTailwiseErrorAsync(
      () => fitOnce(base(dir, { epochs: 1, model: wider, resume: cp })),
      'SHAPE_MISMATCH',
      /weight 0 of shape \[4, 32\].*weight 0 of shape \[4, 16\]/,
    );
    await expectTailwiseErrorAsync(
      () =>
        fitOnce(base(dir, { epochs: 1, recipe: recipes.ce({ labelSmoothing: 0.1 }), resume: cp })),
      'INVALID_STATE',
      /recipe option `labelSmoothing` is 0, this run's is 0.1/,
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);
    mkdirSync(join(dir, 'x'), { recursive: true });
  });
});
