import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index';

const backend = () => tf.getBackend();
const dir = mkdtempSync(join(tmpdir(), 'tailwise-ml-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const YEAST = fileURLToPath(new URL('../../../../shared/data/yeast.csv.gz', import.meta.url));

describe('tailwise --data with --label-columns (multi-label CSV, paper 001)', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a) => void logs.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  it.skipIf(!existsSync(YEAST))(
    'trains partialAnnotation on yeast in PAL_0.3 (needs shared/data/yeast.csv.gz)',
    async () => {
      const code = await main([
        'train',
        '--method',
        'partialAnnotation',
        '--data',
        YEAST,
        '--label-columns',
        '0-13',
        '--standardize',
        '--setting',
        'PAL',
        '--keep',
        '0.3',
        '--epochs',
        '2',
        '--batch-size',
        '64',
        '--backend',
        backend(),
        '--no-progress',
      ]);
      expect(code, errors.join('\n')).toBe(0);
      const text = logs.join('\n');
      expect(text).toMatch(
        /partialAnnotation on yeast \(.*yeast\.csv\.gz\), 25 % test split \(by rows\), standardised, PAL_0.3: 1813 training/,
      );
      expect(text).toMatch(/mAP \d+\.\d+ %/);
    },
  );

  it('refuses label cells that are not 0/1, and --label-columns with --label-column', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'y1,y2,x\n1,0,0.5\n0,2,0.1\n1,1,0.3\n0,0,0.2\n');
    const run = (...extra: string[]) =>
      main([
        'train',
        '--method',
        'assumeNegative',
        '--data',
        bad,
        '--epochs',
        '1',
        '--backend',
        backend(),
        '--no-progress',
        ...extra,
      ]);
    expect(await run('--label-columns', '0-1')).toBe(1);
    expect(errors.join('\n')).toMatch(
      /loadMultiLabelCsv: expected `y2` .* to be a label of 1\/true, 0\/false or -1 \(unknown\) in every row, got "2" in row 1 .*\[INVALID_VALUE\]/,
    );
    errors.length = 0;
    expect(await run('--label-columns', '0-1', '--label-column', 'x')).toBe(1);
    expect(errors.join('\n')).toMatch(/--label-columns.*absent when --label-column/);
    errors.length = 0;
    expect(await run('--label-columns', '2-1')).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/ascending range/);
  });
});
