import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { type ProgressReporter, recipes, SgdMomentum, Trainer } from '../src/index';
import { blobs } from './recipe-helpers';

const model = (seed: number) => mlp({ inputShape: [4], numClasses: 3, seed, hidden: [16] });

describe('Trainer', () => {
  it('learns a long-tailed toy problem and reports shot groups', async () => {
    const trainer = new Trainer({
      model,
      recipe: recipes.ce(),
      train: blobs([120, 40, 12], 1),
      test: blobs([30, 30, 30], 2),
      epochs: 8,
      batchSize: 16,
      seed: 3,
      learningRate: 0.1,
      progress: false,
    });
    const { history, final, trainCounts } = await trainer.fit();
    expect(trainCounts).toEqual([120, 40, 12]);
    expect(history).toHaveLength(8);
    expect(history[7]!.loss).toBeLessThan(history[0]!.loss);
    expect(final?.task).toBe('single-label');
    if (final?.task === 'single-label') {
      expect(final.accuracy).toBeGreaterThan(0.9);
      expect(final.groups).toEqual({ many: [0], medium: [1], few: [2] });
      expect(final.perClass).toHaveLength(3);
    }
    trainer.dispose();
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const run = async (seed: number) => {
      const t = new Trainer({
        model,
        recipe: recipes.ce(),
        train: blobs([60, 20, 6], 1),
        epochs: 2,
        batchSize: 16,
        seed,
        progress: false,
      });
      const r = await t.fit();
      t.dispose();
      return r.history.map((h) => h.loss);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('frees everything it created', async () => {
    const train = blobs([40, 20, 8], 1);
    const before = tf.memory().numTensors;
    const t = new Trainer({
      model,
      recipe: recipes.ce(),
      train,
      test: train,
      epochs: 2,
      batchSize: 16,
      seed: 0,
      progress: false,
    });
    await t.fit();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes a JSONL log and drives the progress reporter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwise-'));
    const calls: string[] = [];
    const reporter: ProgressReporter = {
      startEpoch: (e, total, steps) => calls.push(`start ${e}/${total} ${steps}`),
      step: () => calls.push('step'),
      endEpoch: (line) => calls.push(`end ${line.split(' ')[1]}`),
      stop: () => calls.push('stop'),
    };
    const t = new Trainer({
      model,
      recipe: recipes.ce(),
      train: blobs([40, 20, 8], 1),
      test: blobs([5, 5, 5], 2),
      epochs: 2,
      batchSize: 32,
      seed: 0,
      progress: reporter,
      logFile: join(dir, 'm.jsonl'),
    });
    await t.fit();
    t.dispose();
    const lines = readFileSync(join(dir, 'm.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    expect(typeof lines[1].evaluation.accuracy).toBe('number');
    // 68 samples, batch 32, last partial batch dropped -> 2 steps per epoch
    expect(calls).toEqual([
      'start 0/2 2',
      'step',
      'step',
      'end 1/2',
      'start 1/2 2',
      'step',
      'step',
      'end 2/2',
      'stop',
    ]);
  });

  it('stops with NON_FINITE when the loss diverges', async () => {
    const t = new Trainer({
      model,
      recipe: recipes.ce(),
      train: blobs([40, 20, 8], 1),
      epochs: 3,
      batchSize: 16,
      seed: 0,
      learningRate: 1e30,
      progress: false,
    });
    await expectTailwiseErrorAsync(
      () => t.fit(),
      'NON_FINITE',
      /loss of recipe 'ce' became (NaN|Infinity|-Infinity) at epoch/,
    );
    t.dispose();
  });

  it('refuses bad options', () => {
    const train = blobs([4, 4, 4], 1);
    expectTailwiseError(
      () => new Trainer({ model, recipe: recipes.ce(), train, epochs: 0, batchSize: 4, seed: 0 }),
      'INVALID_OPTION',
      'Trainer: expected `epochs` to be an integer >= 1, got 0',
    );
    expectTailwiseError(
      () =>
        new Trainer({
          model,
          recipe: recipes.ce(),
          train: { ...train, labels: undefined },
          epochs: 1,
          batchSize: 4,
          seed: 0,
        }),
      'INVALID_VALUE',
      "needed by recipe 'ce'",
    );
    expectTailwiseError(
      () =>
        new Trainer({
          model,
          recipe: recipes.ce(),
          train,
          epochs: 1,
          batchSize: 4,
          seed: 0,
          learningRat: 1,
        } as never),
      'INVALID_OPTION',
      '`learningRat`',
    );
  });
});

describe('SgdMomentum', () => {
  it('matches PyTorch SGD by hand (momentum 0.9, weight decay 0.1, two steps)', () => {
    const w = tf.variable(tf.tensor1d([1]), true, 'w-sgd');
    const opt = new SgdMomentum({ momentum: 0.9, weightDecay: 0.1 });
    // step 1: g = 0.5 + 0.1·1 = 0.6; v = 0.6; w = 1 − 0.1·0.6 = 0.94
    opt.apply([w], { 'w-sgd': tf.tensor1d([0.5]) }, 0.1);
    expect(w.dataSync()[0]).toBeCloseTo(0.94, 6);
    // step 2: g = 0.5 + 0.094 = 0.594; v = 0.9·0.6 + 0.594 = 1.134; w = 0.94 − 0.1134 = 0.8266
    opt.apply([w], { 'w-sgd': tf.tensor1d([0.5]) }, 0.1);
    expect(w.dataSync()[0]).toBeCloseTo(0.8266, 6);
    opt.dispose();
    w.dispose();
  });
});
