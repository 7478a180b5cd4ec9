// The short version of the long-run benchmark (bench/long-run.mjs, docs/reliability.md): every
// recipe trains for a few epochs; the tensor count at each epoch end must equal the first
// epoch's, and disposing the trainer must bring it back to where it started.
import { setValidation } from '@tailwise/core';
import { beforeAll, describe, expect, it } from 'vitest';

interface EpochPoint {
  epoch: number;
  step: number;
  numTensors: number;
  rssMB: number;
}
interface TrackedRun {
  recipe: string;
  epochs: EpochPoint[];
  steps: number;
  before: number;
  after: number;
  lastLoss: number | null;
}
interface LongRun {
  RECIPE_DATA: Record<string, string>;
  trackRun(
    name: string,
    o: { steps: number; batchSize?: number; size?: number; evaluateEvery?: number },
  ): Promise<TrackedRun>;
  growthAfterFirstEpoch(run: TrackedRun): number;
}

/** Steps per recipe in the test (the benchmark runs 1,000). */
export const SHORT_STEPS = 24;

// In a variable: the harness is plain JavaScript shared with the benchmark.
const harness = '../../../bench/long-run.mjs';
let lr: LongRun;
beforeAll(async () => {
  setValidation('values');
  lr = (await import(/* @vite-ignore */ harness)) as LongRun;
});

describe('long runs: no tensor growth after the first epoch', () => {
  const names = [
    'ce',
    'proden',
    'cc',
    'solar',
    'records',
    'plr',
    'plm',
    'bce',
    'focal',
    'classBalanced',
    'undersample',
    'fixMatch',
    'fixMatchDa',
    'laSup',
    'udal',
    'cpu',
    'cpuSemi',
    'gce',
    'sce',
    'bootstrap',
    'js',
    'partialAnnotation',
    'assumeNegative',
    'weakAssumeNegative',
    'bceLs',
    'asl',
    'role',
  ];
  it('covers every recipe of the registry', async () => {
    const { recipes } = await import('@tailwise/trainer');
    expect(Object.keys(lr.RECIPE_DATA).sort()).toEqual(names.slice().sort());
    for (const name of Object.keys(recipes))
      expect(names, `recipe ${name} has no long-run row`).toContain(name);
  });

  it.each(names)('%s', async (name) => {
    const run = await lr.trackRun(name, {
      steps: SHORT_STEPS,
      batchSize: 8,
      size: 32,
      evaluateEvery: 2,
    });
    expect(run.epochs.length).toBeGreaterThanOrEqual(3);
    expect(run.lastLoss === null || Number.isFinite(run.lastLoss)).toBe(true);
    expect(lr.growthAfterFirstEpoch(run), JSON.stringify(run.epochs.map((e) => e.numTensors))).toBe(
      0,
    );
    expect(run.after, 'tensors left after dispose').toBe(run.before);
  });
});
