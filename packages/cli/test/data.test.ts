import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@tailwise/core';
import { recipes } from '@tailwise/trainer';
import { DATASET_NAMES } from '@tailwise/trainer/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index';

const backend = () => tf.getBackend();
const dir = mkdtempSync(join(tmpdir(), 'tailwise-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three Gaussian blobs in 4 features, labels 1..3 (not 0-based), a header row. */
function blobsCsv(perClass: number[], seed = 0): string {
  const rng = createRng(seed);
  const lines = ['a,b,c,d,kind'];
  perClass.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      const x = [0, 1, 2, 3].map((j) => (j === c ? 3 : 0) + rng.normal(0, 0.5));
      lines.push(`${x.map((v) => v.toFixed(3)).join(',')},${c + 1}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

const csv = join(dir, 'blobs.csv');
writeFileSync(csv, blobsCsv([60, 40, 30]));
const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data';

describe('tailwise --data', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a) => void logs.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  const base = ['--epochs', '1', '--batch-size', '16', '--backend', backend(), '--no-progress'];

  it('trains every recipe on a CSV file (with --psi / --labeled-fraction as its family needs)', async () => {
    const names = Object.keys(recipes);
    expect(names.length).toBeGreaterThanOrEqual(15);
    for (const method of names) {
      const extra: string[] = [];
      const recipe = (
        recipes as Record<
          string,
          (o?: object) => { requires: readonly string[]; unlabeled?: string }
        >
      )[method]!();
      // Multi-label-only recipes need multi-label columns (a CSV with several label columns).
      if (recipe.requires.includes('multiLabels')) continue;
      if (recipe.unlabeled === 'required')
        extra.push('--labeled-fraction', '0.3', '--opt', 'mu=2', '--batch-size', '8');
      if (recipe.requires.includes('candidates')) extra.push('--psi', '0.3');
      logs.length = 0;
      const code = await main([
        'train',
        '--method',
        method,
        '--data',
        csv,
        '--label-column',
        'kind',
        '--standardize',
        '--gamma',
        '4',
        ...base,
        ...extra,
      ]);
      expect(code, `${method}: ${errors.join('\n')}`).toBe(0);
      expect(logs.join('\n'), method).toMatch(
        /on blobs \(.*blobs\.csv\), 25 % test split, standardised, γ=4, natural/,
      );
      expect(`${logs.join('\n')}\n${errors.join('\n')}`, method).toMatch(
        /\| overall % \| many % \| medium % +\| few % +\|/,
      );
    }
  }, 600_000);

  it('compare writes its tables, chart and per-run logs for a file; class names survive', async () => {
    const out = join(dir, 'cmp');
    const code = await main([
      'compare',
      '--methods',
      'ce,bce',
      '--seeds',
      '2',
      '--data',
      csv,
      '--label-column',
      '-1',
      '--test-fraction',
      '0.3',
      '--order',
      'permuted',
      '--gamma',
      '3',
      ...base,
      '--out',
      out,
    ]);
    expect(code, errors.join('\n')).toBe(0);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toMatch(/\| bce +\| 2 +\|/);
    expect(readFileSync(join(out, 'compare.svg'), 'utf8')).toMatch(/^<svg/);
    const report = readFileSync(join(out, 'runs', 'ce-seed0', 'report.md'), 'utf8');
    // Labels 1..3 are classes '1', '2', '3' (no empty class 0).
    expect(report).toMatch(/\| 1 +\|/);
    expect(report).not.toMatch(/\| 0 +\| 0 +\|/);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('reads an ARFF file and a separate --test file with the same encoding', async () => {
    const arff = (rows: string[]) =>
      `@relation toy\n@attribute x numeric\n@attribute colour {red, blue}\n@attribute class {p, q}\n@data\n${rows.join('\n')}\n`;
    const train = Array.from({ length: 40 }, (_, i) =>
      i % 2 ? `${1 + i / 100}, red, p` : `${-1 - i / 100}, ${i % 4 ? '?' : 'blue'}, q`,
    );
    writeFileSync(join(dir, 'toy.arff'), arff(train));
    writeFileSync(join(dir, 'toy-test.arff'), arff(['1.2, red, p', '-1.1, ?, q']));
    const code = await main([
      'train',
      '--data',
      join(dir, 'toy.arff'),
      '--test',
      join(dir, 'toy-test.arff'),
      '--missing',
      'impute',
      ...base,
    ]);
    expect(code, errors.join('\n')).toBe(0);
    expect(logs.join('\n')).toMatch(
      /ce on toy \(.*toy\.arff\), test file .*toy-test\.arff: 40 training, 2 test samples/,
    );
  });

  it.skipIf(!existsSync(join(SKLEARN, 'wine_data.csv')))(
    "trains on scikit-learn's wine file (needs python3-sklearn)",
    async () => {
      const code = await main([
        'train',
        '--data',
        join(SKLEARN, 'wine_data.csv'),
        '--label-column',
        'last',
        '--standardize',
        ...base,
      ]);
      expect(code, errors.join('\n')).toBe(0);
      expect(logs.join('\n')).toMatch(/\| class_1 +\| 53 +\| many/);
    },
  );

  const refuses = async (argv: string[], pattern: RegExp, exit = 1) => {
    errors.length = 0;
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    expect(await main([...argv, ...base, '--out', out])).toBe(exit);
    expect(errors.join('\n')).toMatch(pattern);
    // Nothing half-written: no --out directory, no staging directory left beside it.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  };

  it('refuses bad files and options with a TailwiseError naming them, writing nothing', async () => {
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a,b,y\n1,2,0\n3,4\n');
    await refuses(
      ['train', '--data', ragged, '--label-column', 'y'],
      /3 cells in every row \(as many as the header\), got 2 cells in row 1 \(line 3\) \[INVALID_FORMAT\]/,
    );
    const text = join(dir, 'text.csv');
    writeFileSync(text, 'a,b,y\n1,2,0\n3,four,1\n');
    await refuses(
      ['train', '--data', text, '--label-column', 'y'],
      /expected `b` \(.*text\.csv\) to be a number in every row, got "four" in row 1 \(line 3\), column 1 \[INVALID_FORMAT\]/,
    );
    const unknownType = join(dir, 'bad.arff');
    writeFileSync(
      unknownType,
      '@relation r\n@attribute when date\n@attribute class {a, b}\n@data\n',
    );
    await refuses(
      ['train', '--data', unknownType],
      /`when` \(.*bad\.arff\) to be an attribute of type numeric, real, integer or a nominal \{…\} list, got type "date" on line 2/,
    );
    await refuses(
      ['train', '--data', csv, '--label-column', 'label'],
      /`labelColumn` to be a column name \(one of "a", "b", "c", "d", "kind"\) or 0-based index, got "label", which is not a column \[INVALID_OPTION\]/,
    );
    await refuses(
      ['train', '--data', csv],
      /`--label-column` to be a column name, a 0-based index or "last" for a CSV file, got none/,
    );
    for (const f of ['1.5', '0', '1'])
      await refuses(
        ['train', '--data', csv, '--label-column', 'kind', '--test-fraction', f],
        new RegExp(
          `\`--test-fraction\` to be a number in \\(0, 1\\), got ${f} \\[INVALID_OPTION\\]`,
        ),
      );
    const tiny = join(dir, 'tiny.csv');
    writeFileSync(tiny, blobsCsv([20, 20, 2]));
    await refuses(
      ['train', '--data', tiny, '--label-column', 'kind', '--test-fraction', '0.2'],
      /trainTestSplit: expected `testFraction` to be a split that leaves every class at least one test and one training sample, got testFraction 0.2: class 2 \(3\) with 2 rows gets no test sample/,
    );
    await refuses(
      ['train', '--data', csv, '--dataset', 'mnist', '--label-column', 'kind'],
      /give either --dataset or --data, not both/,
      2,
    );
    await refuses(['train', '--standardize'], /--standardize needs --data/, 2);
  });

  it('leaves no partial files when training fails midway', async () => {
    errors.length = 0;
    const out = join(dir, 'diverged');
    const code = await main([
      'train',
      '--data',
      csv,
      '--label-column',
      'kind',
      '--lr',
      '1e30',
      '--epochs',
      '2',
      '--batch-size',
      '16',
      '--backend',
      backend(),
      '--no-progress',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/NON_FINITE/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('checkpoints a --data run into --out (not staged) and resumes it from there', async () => {
    const out = join(dir, 'ck');
    const argv = ['train', '--data', csv, '--label-column', 'kind', ...base];
    expect(await main([...argv, '--checkpoint-every', '0', '--out', out])).toBe(0);
    expect(existsSync(join(out, 'checkpoint.json'))).toBe(true);
    logs.length = 0;
    expect(await main(['train', '--resume', out, '--backend', backend(), '--no-progress'])).toBe(0);
    expect(logs.join('\n')).toMatch(
      /on blobs \(.*blobs\.csv\), 25 % test split: .*; resuming at epoch 2/,
    );
  });

  it('lists every dataset name and prints the version', async () => {
    expect(await main(['datasets'])).toBe(0);
    for (const name of DATASET_NAMES) expect(logs.join('\n')).toMatch(new RegExp(`^${name} `, 'm'));
    expect(logs.join('\n')).toMatch(/--data FILE/);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['--version'])).toBe(0);
    expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^\d+\.\d+\.\d+/);
  });
});
