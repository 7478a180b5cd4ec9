// Trainer inputs and failure paths (docs/reliability.md): construction refuses everything it can
// check before the first step, naming the field; every failure, at construction or in fit(),
// leaves tf.memory().numTensors where it started; steps run at the validation level 'shapes'.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getValidation, setValidation } from '@tailwise/core';
import { mlp } from '@tailwise/models';
import { recipes, Trainer } from '@tailwise/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallModel, synthetic } from './synthetic';

const C = 3;
const train = synthetic({ size: 12, numClasses: C, seed: 1 });
const test = synthetic({ size: 6, numClasses: C, seed: 2, name: 'synthetic-test' });
const base = () => ({
  model: smallModel(C),
  recipe: recipes.ce(),
  train,
  test,
  epochs: 1,
  batchSize: 4,
  seed: 0,
  progress: false as const,
});

interface FailureRow {
  name: string;
  /** Builds the trainer (and runs fit when `fit` is set); must throw. */
  options: () => Record<string, unknown>;
  fit?: boolean;
  code: string;
  parameter: string;
}

const without = (d: object, key: string) => {
  const copy = { ...d } as Record<string, unknown>;
  delete copy[key];
  return copy;
};

const rows: FailureRow[] = [
  {
    name: 'train: null',
    options: () => ({ ...base(), train: null }),
    code: 'INVALID_VALUE',
    parameter: 'train',
  },
  {
    name: 'train: a number',
    options: () => ({ ...base(), train: 3 }),
    code: 'INVALID_VALUE',
    parameter: 'train',
  },
  {
    name: 'an empty training set',
    options: () => ({
      ...base(),
      train: {
        ...train,
        size: 0,
        features: new Uint8Array(0),
        labels: new Int32Array(0),
        candidates: undefined,
        multiLabels: undefined,
      },
    }),
    code: 'INVALID_VALUE',
    parameter: 'train.size',
  },
  {
    name: 'a training label out of range',
    options: () => ({
      ...base(),
      train: { ...train, labels: train.labels!.map((y, i) => (i === 3 ? C : y)) },
    }),
    code: 'INVALID_VALUE',
    parameter: 'train.labels',
  },
  {
    name: 'a negative training label',
    options: () => ({
      ...base(),
      train: { ...train, labels: train.labels!.map((y, i) => (i === 0 ? -1 : y)) },
    }),
    code: 'INVALID_VALUE',
    parameter: 'train.labels',
  },
  {
    name: 'NaN features',
    options: () => ({
      ...base(),
      train: {
        ...train,
        features: Float32Array.from(train.features, (v, i) => (i === 5 ? Number.NaN : v / 255)),
      },
    }),
    code: 'NON_FINITE',
    parameter: 'train.features',
  },
  {
    name: 'features of the wrong length',
    options: () => ({ ...base(), train: { ...train, features: train.features.slice(1) } }),
    code: 'SHAPE_MISMATCH',
    parameter: 'train.features',
  },
  {
    name: 'a candidate row without candidate (proden)',
    options: () => ({
      ...base(),
      recipe: recipes.proden(),
      train: { ...train, candidates: train.candidates!.map((v, i) => (i < C ? 0 : v)) },
    }),
    code: 'EMPTY_CANDIDATE_SET',
    parameter: 'train.candidates',
  },
  {
    name: 'multi-labels with a 2 (bce)',
    options: () => ({
      ...base(),
      recipe: recipes.bce(),
      train: { ...train, multiLabels: train.multiLabels!.map((v, i) => (i === 2 ? 2 : v)) },
    }),
    code: 'INVALID_VALUE',
    parameter: 'train.multiLabels',
  },
  {
    name: 'a recipe needing candidates on a set without them',
    options: () => ({ ...base(), recipe: recipes.proden(), train: without(train, 'candidates') }),
    code: 'INVALID_VALUE',
    parameter: 'train',
  },
  {
    name: 'a test set with another number of classes',
    options: () => ({ ...base(), test: synthetic({ size: 6, numClasses: C + 1, seed: 3 }) }),
    code: 'SHAPE_MISMATCH',
    parameter: 'test.numClasses',
  },
  {
    name: 'a test set with another input shape',
    options: () => ({ ...base(), test: { ...test, inputShape: [64], features: test.features } }),
    code: 'SHAPE_MISMATCH',
    parameter: 'test.inputShape',
  },
  {
    name: 'a test set with a label out of range',
    options: () => ({ ...base(), test: { ...test, labels: test.labels!.map(() => 7) } }),
    code: 'INVALID_VALUE',
    parameter: 'test.labels',
  },
  {
    name: 'a test set without labels',
    options: () => ({ ...base(), test: without(without(test, 'labels'), 'multiLabels') }),
    code: 'INVALID_VALUE',
    parameter: 'test.labels',
  },
  {
    name: 'an unlabeled set with another number of classes (fixMatch)',
    options: () => ({
      ...base(),
      recipe: recipes.fixMatch(),
      unlabeled: synthetic({ size: 8, numClasses: C + 2, seed: 4 }),
    }),
    code: 'SHAPE_MISMATCH',
    parameter: 'unlabeled.numClasses',
  },
  {
    name: 'fixMatch without an unlabeled set',
    options: () => ({ ...base(), recipe: recipes.fixMatch() }),
    code: 'INVALID_VALUE',
    parameter: 'unlabeled',
  },
  {
    name: 'a model with another input shape',
    options: () => ({ ...base(), model: smallModel(C, [64]) }),
    code: 'SHAPE_MISMATCH',
    parameter: 'model',
  },
  {
    name: 'a model with another number of outputs',
    options: () => ({ ...base(), model: smallModel(C + 1) }),
    code: 'SHAPE_MISMATCH',
    parameter: 'model',
  },
  {
    name: 'a model factory that throws',
    options: () => ({
      ...base(),
      model: () => {
        throw new Error('no weights');
      },
    }),
    code: 'INVALID_OPTION',
    parameter: 'model',
  },
  {
    name: 'model: not a function',
    options: () => ({ ...base(), model: mlp }),
    code: 'INVALID_OPTION',
    parameter: 'model',
  },
  {
    name: 'epochs 0',
    options: () => ({ ...base(), epochs: 0 }),
    code: 'INVALID_OPTION',
    parameter: 'epochs',
  },
  {
    name: 'batchSize 1.5',
    options: () => ({ ...base(), batchSize: 1.5 }),
    code: 'INVALID_OPTION',
    parameter: 'batchSize',
  },
  {
    name: 'learningRate −1',
    options: () => ({ ...base(), learningRate: -1 }),
    code: 'INVALID_OPTION',
    parameter: 'learningRate',
  },
  {
    name: "typo'd option 'epoch'",
    options: () => ({ ...base(), epoch: 2 }),
    code: 'INVALID_OPTION',
    parameter: 'epoch',
  },
  {
    name: 'logFile 3',
    options: () => ({ ...base(), logFile: 3 }),
    code: 'INVALID_OPTION',
    parameter: 'logFile',
  },
  {
    name: 'an unwritable logFile (fails at fit, at once)',
    options: () => ({ ...base(), logFile: '/proc/forbidden/metrics.jsonl' }),
    fit: true,
    code: 'INVALID_OPTION',
    parameter: 'logFile',
  },
  {
    name: 'an unwritable checkpointDir',
    options: () => ({ ...base(), checkpointDir: '/proc/forbidden' }),
    fit: true,
    code: 'INVALID_OPTION',
    parameter: 'checkpointDir',
  },
  {
    name: 'a loss that diverges (learning rate 1e6)',
    options: () => ({ ...base(), learningRate: 1e6, epochs: 3 }),
    fit: true,
    code: 'NON_FINITE',
    parameter: 'loss',
  },
  {
    name: 'a recipe whose loss throws mid-run',
    options: () => ({
      ...base(),
      recipe: {
        ...recipes.ce(),
        loss: () => {
          throw new Error('boom');
        },
      },
    }),
    fit: true,
    code: 'ERROR',
    parameter: '',
  },
];

// Recipe options out of range are refused when the recipe is made, before any Trainer.
const recipeRows: [string, () => unknown, string][] = [
  ['ce labelSmoothing 2', () => recipes.ce({ labelSmoothing: 2 }), 'labelSmoothing'],
  ['records mu 2', () => recipes.records({ mu: 2 } as never), 'mu'],
  ['plr m −1', () => recipes.plr({ m: -1 }), 'm'],
  ['plr lambda 0', () => recipes.plr({ lambda: 0 }), 'lambda'],
  ['solar iterations 0', () => recipes.solar({ iterations: 0 }), 'iterations'],
  ['plm tau 1', () => recipes.plm({ tau: 1 }), 'tau'],
  ['plm beta 1', () => recipes.plm({ beta: 1 }), 'beta'],
  ['focal gamma −1', () => recipes.focal({ gamma: -1 }), 'gamma'],
  ['classBalanced beta 2', () => recipes.classBalanced({ beta: 2 }), 'beta'],
  ['undersample maxPerClass −1', () => recipes.undersample({ maxPerClass: -1 }), 'maxPerClass'],
  ['fixMatch threshold 2', () => recipes.fixMatch({ threshold: 2 }), 'threshold'],
  ['fixMatchDa alphaMin 2', () => recipes.fixMatchDa({ alphaMin: 2 }), 'alphaMin'],
  ['laSup k −1', () => recipes.laSup({ k: -1 } as never), 'k'],
  ['udal lambdaU −1', () => recipes.udal({ lambdaU: -1 }), 'lambdaU'],
  ['proden unknown option', () => recipes.proden({ x: 1 } as never), 'x'],
];

beforeAll(() => setValidation('values'));

describe('Trainer refuses bad inputs before the first step, leaking nothing', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const before = tf.memory().numTensors;
    let trainer: Trainer | undefined;
    let caught: unknown;
    const started = performance.now();
    try {
      trainer = new Trainer(row.options() as never);
      if (row.fit) await trainer.fit();
    } catch (error) {
      caught = error;
    }
    expect(performance.now() - started, 'fails at once').toBeLessThan(20_000);
    expect(caught, `${row.name}: expected an error`).toBeDefined();
    if (row.code === 'ERROR') {
      expect((caught as Error).message).toBe('boom');
    } else {
      const e = caught as { name?: string; code?: string; parameter?: string; message: string };
      expect(e.name, e.message).toBe('TailwiseError');
      expect(e.code, e.message).toBe(row.code);
      expect(e.parameter, e.message).toBe(row.parameter);
    }
    // No dispose() needed: a failed construction or fit leaves nothing behind.
    expect(tf.memory().numTensors - before, `${row.name}: tensors left`).toBe(0);
    trainer?.dispose();
    expect(tf.memory().numTensors - before).toBe(0);
    expect(getValidation(), 'the validation level is restored').toBe('values');
  });

  it.each(recipeRows)('recipes: %s', (_name, make, parameter) => {
    let caught: { code?: string; parameter?: string } | undefined;
    try {
      make();
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.code).toBe('INVALID_OPTION');
    expect(caught?.parameter).toBe(parameter);
  });

  it("steps at 'shapes' and restores the level in force after fit", async () => {
    const seen = new Set<string>();
    const ce = recipes.ce();
    const spy = {
      ...ce,
      loss: (...args: Parameters<typeof ce.loss>) => {
        seen.add(getValidation());
        return ce.loss(...args);
      },
    };
    const trainer = new Trainer({ ...base(), recipe: spy, epochs: 2 });
    const before = tf.memory().numTensors;
    await trainer.fit();
    expect([...seen]).toEqual(['shapes']);
    expect(getValidation()).toBe('values');
    trainer.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});

describe('tailwise train --out on an unwritable path', () => {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('@tailwise/cli/package.json')), 'dist/bin.js');
  it.skipIf(!existsSync(bin))('fails at once, naming --out (it used to hang)', () => {
    for (const command of [
      ['train', '--method', 'ce', '--dataset', 'mnist-lt', '--epochs', '1', '--backend', 'cpu'],
      ['compare', '--methods', 'ce', '--dataset', 'mnist-lt', '--epochs', '1', '--backend', 'cpu'],
    ]) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [bin, ...command, '--out', '/proc/forbidden'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.signal, 'killed by the timeout: it hangs').toBeNull();
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(
        /expected `--out` to be a folder that can be created and written, got \/proc\/forbidden/,
      );
      expect(performance.now() - started).toBeLessThan(15_000);
    }
  });
});

export const trainerFailureRowCount = rows.length + recipeRows.length;
