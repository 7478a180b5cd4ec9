import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Dataset } from '@tailwise/core';
import { missingLabels } from '@tailwise/datasets';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseErrorAsync } from '../../../test/helpers';
import {
  type AnyRecipe,
  loadCheckpoint,
  type Recipe,
  recipes,
  Trainer,
  type TrainerOptions,
} from '../src/index';

const D = 6;
const C = 3;

/** Class c present with probability probs[c]; feature c shifts by +3 when present. */
function multiBlobs(n: number, probs: number[], seed: number): Dataset {
  const rng = createRng(seed);
  const features = new Float32Array(n * D);
  const multiLabels = new Float32Array(n * C);
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let c = 0; c < C; c++)
      if (rng.uniform() < probs[c]!) {
        multiLabels[i * C + c] = 1;
        any = true;
      }
    if (!any) multiLabels[i * C + rng.int(C)] = 1; // every row has a positive (SPL needs it)
    for (let d = 0; d < D; d++)
      features[i * D + d] = (d < C && multiLabels[i * C + d] === 1 ? 3 : 0) + rng.normal(0, 0.7);
  }
  return { name: 'multi-blobs', size: n, inputShape: [D], features, numClasses: C, multiLabels };
}

const full = multiBlobs(400, [0.6, 0.3, 0.12], 1);
const test = multiBlobs(300, [0.6, 0.3, 0.12], 2);

function trainer(
  recipe: Recipe | AnyRecipe,
  train: Dataset,
  epochs = 6,
  extra: Partial<TrainerOptions> = {},
) {
  return new Trainer({
    model: (seed) => mlp({ inputShape: [D], numClasses: C, seed, hidden: [16] }),
    recipe,
    train,
    test,
    epochs,
    batchSize: 32,
    seed: 0,
    learningRate: 0.1,
    progress: false,
    ...extra,
  } as TrainerOptions);
}

const PARTIAL = [
  'partialAnnotation',
  'assumeNegative',
  'weakAssumeNegative',
  'bceLs',
  'asl',
  'role',
] as const;

describe('multi-label recipes of paper 001', () => {
  for (const name of PARTIAL) {
    it(`${name} learns from a PAL_0.6 state (mAP well above chance) and leaks no tensor`, async () => {
      const train = missingLabels(full, { setting: 'PAL', keep: 0.6, rng: createRng(3) });
      const t = trainer((recipes[name] as () => Recipe)(), train);
      const before = tf.memory().numTensors;
      const { final, history } = await t.fit();
      expect(final?.task).toBe('multi-label');
      if (final?.task !== 'multi-label') return;
      // chance mAP ≈ the positive rates (≈ 0.6, 0.3, 0.12 → ≈ 0.34); separable blobs reach > 0.8
      expect(final.meanAveragePrecision).toBeGreaterThan(0.75);
      expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
      t.dispose();
      // the model, optimizer slots and recipe state are freed
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    });
  }

  it('partialAnnotation and role also train on PPL and SPL states', async () => {
    for (const setting of ['PPL', 'SPL'] as const) {
      const train = missingLabels(full, {
        setting,
        ...(setting === 'PPL' ? { keep: 0.5 } : {}),
        rng: createRng(4),
      });
      for (const name of ['partialAnnotation', 'role'] as const) {
        const t = trainer((recipes[name] as () => Recipe)(), train, 4);
        const { final } = await t.fit();
        // chance ≈ 0.35; PPL/SPL carry no known negative, so 4 short epochs learn less
        if (final?.task === 'multi-label')
          expect(final.meanAveragePrecision, `${name} ${setting}`).toBeGreaterThan(0.45);
        t.dispose();
      }
    }
  });

  it('is reproducible: one seed, one result', async () => {
    const train = missingLabels(full, { setting: 'PAL', keep: 0.3, rng: createRng(5) });
    const run = async () => {
      const t = trainer(recipes.partialAnnotation(), train, 2);
      const { history } = await t.fit();
      t.dispose();
      return history.map((h) => h.loss);
    };
    expect(await run()).toEqual(await run());
  });

  for (const name of ['partialAnnotation', 'role'] as const) {
    it(`${name}: its state (pseudo-labels / label estimates, Rng) survives a checkpoint and resume`, async () => {
      const train = missingLabels(full, { setting: 'PAL', keep: 0.3, rng: createRng(6) });
      const whole = await (async () => {
        const t = trainer(recipes[name](), train, 2);
        const r = await t.fit();
        t.dispose();
        return r;
      })();
      const dir = mkdtempSync(join(tmpdir(), `tw-${name}-`));
      let seen = 0;
      const cut = trainer(recipes[name](), train, 2, {
        checkpointDir: dir,
        checkpointEvery: 7,
        callbacks: {
          onCheckpoint() {
            seen += 1;
            if (seen === 2) throw new Error('stop');
          },
        },
      });
      await expect(cut.fit()).rejects.toThrow('stop');
      cut.dispose();
      const resumedTrainer = trainer(recipes[name](), train, 2, {
        checkpointDir: dir,
        resume: await loadCheckpoint(dir),
      });
      const resumed = await resumedTrainer.fit();
      resumedTrainer.dispose();
      expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
      expect(resumed.final).toEqual(whole.final);
    });
  }

  it('refuses a training state with values other than 1/0/−1, and bad options', async () => {
    const bad = {
      ...full,
      multiLabels: Float32Array.from(full.multiLabels!, (v, i) => (i === 4 ? 2 : v)),
    };
    await expectTailwiseErrorAsync(
      () => trainer(recipes.partialAnnotation(), bad, 1).fit(),
      'INVALID_VALUE',
      // The Trainer refuses it at construction (its host check of the data), before the recipe.
      /Trainer: expected `train.multiLabels` to be made of 1\/0\/-1 values, got 2 at flat index 4/,
    );
    expect(() => recipes.partialAnnotation({ q: 0 })).toThrow(
      /expected `q` to be a number in \(0, 1\], got 0/,
    );
    expect(() => recipes.role({ expectedNumPos: -1 })).toThrow(/`expectedNumPos`/);
    expect(() => recipes.bceLs({ labelSmoothing: 1 })).toThrow(/`labelSmoothing`/);
  });
});
