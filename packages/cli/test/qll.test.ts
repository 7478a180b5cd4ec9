import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index';

const backend = () => tf.getBackend();

describe('tailwise CLI: ambiguous -q datasets (paper 003)', () => {
  let errors: string[];
  let logs: string[];
  beforeEach(() => {
    errors = [];
    logs = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a) => void logs.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  const base = ['--epochs', '1', '--model', 'mlp', '--no-progress'];

  it('trains cpu on MNIST-Q PatchMix and hands m to the recipe (π2 = m/C)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tailwise-qll-'));
    const code = await main([
      'train',
      '--method',
      'cpu',
      '--dataset',
      'mnist-q',
      '--mix',
      'patchmix',
      '--m',
      '4',
      '--train-size',
      '256',
      '--test-size',
      '300',
      ...base,
      '--backend',
      backend(),
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(logs.join('\n')).toMatch(/cpu on mnist-q, PatchMix m=4: 256 training, 300 test samples/);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.recipe.options.m).toBe(4);
    expect(result.history[0].cpuRisk).toBeGreaterThan(0);
    expect(result.history[0].sjsAlpha).toBeLessThanOrEqual(0.5);
  });

  it('refuses m < 2 and -q flags on other datasets', async () => {
    expect(
      await main([
        'train',
        '--method',
        'ce',
        '--dataset',
        'mnist-q',
        '--m',
        '1',
        ...base,
        '--backend',
        backend(),
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(
      /ambiguousMixup: expected `m` to be an integer >= 2, got 1 \[INVALID_OPTION\]/,
    );
    errors.length = 0;
    expect(
      await main([
        'train',
        '--dataset',
        'mnist-lt',
        '--mix',
        'mixup',
        ...base,
        '--backend',
        backend(),
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(/`mix` to be used only with an ambiguous dataset/);
    errors.length = 0;
    expect(
      await main([
        'train',
        '--dataset',
        'mnist-q',
        '--mix',
        'cutmix',
        ...base,
        '--backend',
        backend(),
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(/Allowed choices are mixup, patchmix/);
  });
});
