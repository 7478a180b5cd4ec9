import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compareTable, main, markdownTable, meanStd, scopedOptions } from '../src/index';
import { parseLabelColumns } from '../src/label-columns';

// The CLI sets up its own backend; run it on the backend of this vitest project so both are covered.
const backend = () => tf.getBackend();

describe('tailwise CLI', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a) => void logs.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  it('trains ce on MNIST-LT and prints per-class and shot-group tables', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tailwise-cli-'));
    const code = await main([
      'train',
      '--method',
      'ce',
      '--dataset',
      'mnist-lt',
      '--gamma',
      '100',
      '--epochs',
      '2',
      '--backend',
      backend(),
      '--model',
      'mlp',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const text = logs.join('\n');
    expect(text).toMatch(/ce on mnist-lt, γ=100, natural: 1641 training, 2000 test samples/);
    expect(text).toMatch(/\| overall % \| many % \| medium % \| few % \|/);
    expect(text).toMatch(/\| 9 +\| 6 +\| few/); // the rarest digit has 6 training samples at γ = 100
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.final.accuracy).toBeGreaterThan(0.3);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    // report.md embeds every chart the run wrote; train always writes the learning curve
    expect(report).toMatch(/!\[learning curve\]\(learning-curve\.svg\)/);
    const curve = readFileSync(join(out, 'learning-curve.svg'), 'utf8');
    expect(curve).toMatch(/^<svg/);
    expect(curve).toMatch(/training loss/);
    expect(curve).toMatch(/test accuracy %/);
    for (const [, file] of report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
      expect(existsSync(join(out, file!))).toBe(true);
    }
  });

  it('compares methods over seeds and writes a table and a chart', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tailwise-cmp-'));
    const code = await main([
      'compare',
      '--methods',
      'ce',
      '--seeds',
      '2',
      '--dataset',
      'mnist-lt',
      '--epochs',
      '1',
      '--backend',
      backend(),
      '--no-progress',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const md = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(md).toMatch(/\| ce +\| 2 +\| \d+\.\d\d ± \d+\.\d\d/);
    expect(md).toMatch(/!\[comparison\]\(compare\.svg\)/);
    expect(md).toMatch(/error bars: ± one standard deviation over the seeds/);
    const svg = readFileSync(join(out, 'compare.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    // the error bars are rules (one per method and group) drawn from mean − std to mean + std
    expect(svg).toMatch(/role-mark[^"]*"[^>]*aria-roledescription="rule"|class="mark-rule/);
  });

  it('refuses bad input with a message that names it', async () => {
    expect(
      await main([
        'train',
        '--gamma',
        '0.5',
        '--epochs',
        '1',
        '--backend',
        backend(),
        '--no-progress',
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(
      /expected `gamma` to be a number >= 1, got 0.5 \[INVALID_OPTION\]/,
    );
    errors.length = 0;
    expect(
      await main([
        'train',
        '--dataset',
        'fashion-mnist-lt',
        '--psi',
        '1.5',
        '--epochs',
        '1',
        '--backend',
        backend(),
        '--no-progress',
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(/psi|ψ|NOT_FOUND/);
  });

  // One epoch of 12000 MultiMNIST images takes ~70 s on the cpu backend and ~5 s on wasm.
  it.skipIf(backend() === 'cpu')(
    'trains partialAnnotation on a PAL_0.3 MultiMNIST-LT and reports mAP (paper 001; wasm only: cpu is too slow)',
    async () => {
      const code = await main([
        'train',
        '--method',
        'partialAnnotation',
        '--dataset',
        'multi-mnist-lt',
        '--setting',
        'PAL',
        '--keep',
        '0.3',
        '--epochs',
        '1',
        '--batch-size',
        '256',
        '--backend',
        backend(),
        '--no-progress',
      ]);
      expect(code).toBe(0);
      const text = logs.join('\n');
      expect(text).toMatch(
        /partialAnnotation on multi-mnist-lt, γ=100, natural, PAL_0.3: 12000 training/,
      );
      expect(text).toMatch(/mAP \d+\.\d+ %/);
    },
  );

  it('refuses a bad --keep and --setting on single-label data', async () => {
    const run = (...extra: string[]) =>
      main(['train', '--epochs', '1', '--backend', backend(), '--no-progress', ...extra]);
    expect(await run('--dataset', 'multi-mnist-lt', '--setting', 'PAL', '--keep', '1.5')).toBe(1);
    expect(errors.join('\n')).toMatch(
      /missingLabels: expected `keep` to be a number in \(0, 1\], got 1.5 \[INVALID_OPTION\]/,
    );
    errors.length = 0;
    expect(await run('--dataset', 'mnist-lt', '--setting', 'SPL')).toBe(1);
    expect(errors.join('\n')).toMatch(/`setting` to be used only with a multi-label dataset/);
    errors.length = 0;
    expect(await run('--dataset', 'multi-mnist-lt', '--keep', '0.5')).toBe(1);
    expect(errors.join('\n')).toMatch(/`setting` to be 'PAL', 'PPL' or 'SPL' when `keep` is given/);
  });

  it('refuses an unknown backend and a non-number before training', async () => {
    expect(await main(['train', '--backend', 'webgpu'])).toBe(1);
    expect(errors.join('\n')).toMatch(/Allowed choices are wasm, cpu, tensorflow/);
    expect(await main(['train', '--epochs', 'ten'])).toBe(1);
    expect(errors.join('\n')).toMatch(/expected an integer for --epochs, got 'ten'/);
    expect(await main(['compare', '--methods', 'ce,nope', '--backend', backend()])).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown method\(s\) nope/);
  });
});

describe('helpers', () => {
  it('parses --label-columns ranges, lists and names', () => {
    expect(parseLabelColumns('0-13')).toEqual(Array.from({ length: 14 }, (_, k) => k));
    expect(parseLabelColumns('0, 2,5-6')).toEqual([0, 2, 5, 6]);
    expect(parseLabelColumns('label1,label2')).toEqual(['label1', 'label2']);
    expect(() => parseLabelColumns('3-1')).toThrow(/ascending range .* got '3-1'/);
    expect(() => parseLabelColumns('0-2,2')).toThrow(/distinct columns/);
    expect(() => parseLabelColumns('0,,1')).toThrow(/separated by commas/);
  });

  it('meanStd by hand', () => {
    // mean of 1, 2, 3 = 2; sample variance = (1 + 0 + 1)/2 = 1
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0 });
  });
  it('scopes options per method', () => {
    expect(
      scopedOptions({ 'plr.lambda': 3, m: 1, 'proden.x': 2 }, 'plr', ['plr', 'proden']),
    ).toEqual({ lambda: 3, m: 1 });
  });
  it('formats tables', () => {
    expect(markdownTable(['a', 'bb'], [['1', '2']])).toBe('| a | bb |\n|---|----|\n| 1 | 2  |');
    const e = { task: 'single-label', accuracy: 0.5, many: 1, medium: 0.5, few: null } as never;
    expect(
      compareTable([
        { method: 'ce', seed: 0, evaluation: e, secondsPerEpoch: 1, samplesPerSecond: 1 },
      ]),
    ).toMatch(/\| ce +\| 1 +\| 50\.00 ± 0\.00 \| 100\.00 ± 0\.00 \| 50\.00 ± 0\.00 \| NaN/);
  });
});
