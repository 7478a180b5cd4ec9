import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index';

// The built CLI, as a user runs it. turbo builds it before this package's tests.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs `tailwise …`; with `killWhen`, sends SIGKILL as soon as a stderr line matches it (the
 * CLI prints one line per checkpoint written).
 */
function tailwise(args: string[], killWhen?: (line: string) => boolean): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      if (killWhen && stderr.split('\n').some(killWhen)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const result = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));

/** A checkpoint line of the second epoch or later, in the middle of an epoch. */
const midEpoch = (line: string) => {
  const m = /checkpoint at epoch (\d+), step (\d+) of the epoch/.exec(line);
  return m !== null && Number(m[1]) >= 2 && Number(m[2]) > 0;
};

const RUNS: Record<string, string[]> = {
  ce: ['--method', 'ce', '--checkpoint-every', '10'],
  plr: ['--method', 'plr', '--psi', '0.3', '--checkpoint-every', '10'],
  plm: ['--method', 'plm', '--checkpoint-every', '10'],
  udal: [
    '--method',
    'udal',
    '--labeled-fraction',
    '0.3',
    '--opt',
    'mu=2',
    '--checkpoint-every',
    '3',
  ],
};
const common = (dir: string) => [
  'train',
  '--dataset',
  'mnist-lt',
  '--epochs',
  '3',
  '--batch-size',
  '64',
  '--model',
  'mlp',
  '--backend',
  'wasm',
  '--seed',
  '3',
  '--no-progress',
  '--out',
  dir,
];

// One backend is enough for the process test (the CLI runs wasm here); the in-process tests of
// the trainer cover cpu and wasm.
describe.runIf(tf.getBackend() === 'wasm')(
  'tailwise train: SIGKILL mid-epoch, then --resume',
  () => {
    it('the CLI is built (turbo builds it before these tests)', () => {
      expect(existsSync(bin), `${bin} is missing: run pnpm build`).toBe(true);
    });

    it('ce, plr, plm and udal end bit-identical to an uninterrupted run (metrics and last loss)', async () => {
      const names = Object.keys(RUNS);
      const dirs = Object.fromEntries(
        names.map((n) => [
          n,
          {
            whole: mkdtempSync(join(tmpdir(), `tw-${n}-whole-`)),
            cut: mkdtempSync(join(tmpdir(), `tw-${n}-cut-`)),
          },
        ]),
      );
      // The uninterrupted runs and the runs to kill, all at once (each process is small).
      const finished = await Promise.all(
        names.flatMap((n) => [
          tailwise([...common(dirs[n]!.whole), ...RUNS[n]!]),
          tailwise([...common(dirs[n]!.cut), ...RUNS[n]!], midEpoch),
        ]),
      );
      names.forEach((n, i) => {
        const whole = finished[2 * i]!;
        const cut = finished[2 * i + 1]!;
        expect(whole.code, `${n}: ${whole.stderr}`).toBe(0);
        expect(cut.signal, `${n} was not killed: ${cut.stderr}`).toBe('SIGKILL');
        expect(existsSync(join(dirs[n]!.cut, 'result.json')), n).toBe(false);
        // what was left behind is a checkpoint in the middle of an epoch after the first
        const { position } = JSON.parse(
          readFileSync(join(dirs[n]!.cut, 'checkpoint.json'), 'utf8'),
        );
        expect(position.epoch, n).toBeGreaterThanOrEqual(1);
        expect(position.stepInEpoch, n).toBeGreaterThan(0);
      });
      const resumed = await Promise.all(
        names.map((n) =>
          tailwise(['train', '--resume', dirs[n]!.cut, '--backend', 'wasm', '--no-progress']),
        ),
      );
      names.forEach((n, i) => {
        expect(resumed[i]!.code, `${n}: ${resumed[i]!.stderr}`).toBe(0);
        const a = result(dirs[n]!.whole);
        const b = result(dirs[n]!.cut);
        expect(b.lastLoss, n).toBe(a.lastLoss);
        expect(b.final, n).toEqual(a.final);
        expect(
          b.history.map((h: { loss: number }) => h.loss),
          n,
        ).toEqual(a.history.map((h: { loss: number }) => h.loss));
        // the JSONL log holds every epoch once
        const lines = readFileSync(join(dirs[n]!.cut, 'metrics.jsonl'), 'utf8').trim().split('\n');
        expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([1, 2, 3]);
      });
    }, 120_000);
  },
);

describe('tailwise train --resume: bad input', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const resume = (dir: string, ...more: string[]) =>
    main(['train', '--resume', dir, '--backend', tf.getBackend(), '--no-progress', ...more]);

  it('refuses an empty directory, a foreign one and a missing one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tw-empty-'));
    expect(await resume(empty)).toBe(1);
    expect(errors.join('\n')).toMatch(
      /loadCheckpoint: the directory is empty: no checkpoint to resume .*\[NOT_FOUND\]/,
    );
    const foreign = mkdtempSync(join(tmpdir(), 'tw-foreign-'));
    writeFileSync(join(foreign, 'photo.jpg'), 'not a checkpoint');
    expect(await resume(foreign)).toBe(1);
    expect(errors.join('\n')).toMatch(
      /no checkpoint\.json in the directory \(it holds photo\.jpg\): not a tailwise checkpoint directory/,
    );
    expect(await resume(join(empty, 'missing'))).toBe(1);
    expect(errors.join('\n')).toMatch(/loadCheckpoint: no such directory/);
  });

  it('refuses a truncated checkpoint, one of another recipe or model, and conflicting flags; overwrites nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-good-'));
    const args = [
      'train',
      '--method',
      'ce',
      '--dataset',
      'mnist-lt',
      '--epochs',
      '1',
      '--backend',
      tf.getBackend(),
    ];
    expect(await main([...args, '--no-progress', '--checkpoint-every', '0', '--out', dir])).toBe(0);
    const file = join(dir, 'checkpoint.json');
    const good = readFileSync(file, 'utf8');
    const log = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    const edited = (change: (cp: { meta: { cli: Record<string, unknown> } }) => void) => {
      const cp = JSON.parse(good);
      change(cp);
      writeFileSync(file, JSON.stringify(cp));
      return readFileSync(file, 'utf8');
    };

    writeFileSync(file, good.slice(0, good.length - 100));
    expect(await resume(dir)).toBe(1);
    expect(errors.join('\n')).toMatch(
      /loadCheckpoint: the file is truncated or corrupt .*\[INVALID_FORMAT\]/,
    );

    let saved = edited((cp) => {
      cp.meta.cli.method = 'plm';
    });
    errors.length = 0;
    expect(await resume(dir)).toBe(1);
    expect(errors.join('\n')).toMatch(
      /checkpoint to resume is from another run: its recipe is "ce", this run's is "plm" \[INVALID_STATE\]/,
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);

    saved = edited((cp) => {
      cp.meta.cli.model = 'cnn';
    });
    errors.length = 0;
    expect(await resume(dir)).toBe(1);
    expect(errors.join('\n')).toMatch(
      /expected `resume` to be a checkpoint of this model .*weight 0 of shape \[3, 3, 1, 32\].*\[SHAPE_MISMATCH\]/,
    );
    expect(readFileSync(file, 'utf8')).toBe(saved);

    writeFileSync(file, good);
    errors.length = 0;
    expect(await resume(dir, '--epochs', '5')).toBe(1);
    expect(errors.join('\n')).toMatch(
      /expected only --backend and --no-progress besides --resume .* got --epochs/,
    );
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe(log);
  }, 60_000);
});
