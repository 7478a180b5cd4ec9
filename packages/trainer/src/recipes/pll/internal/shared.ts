import {
  assertCandidateRows,
  assertDistribution,
  type Dataset,
  describeValue,
  fail,
} from '@tailwise/core';
import { argmaxDistribution } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainContext } from '../../../recipe';

/** Checks that the training set carries valid candidate sets (a 1 in every row). */
export function assertTrainCandidates(train: Dataset, fn: string): Uint8Array {
  const candidates = train.candidates;
  if (candidates === undefined) {
    fail(
      'INVALID_VALUE',
      fn,
      'train',
      'a dataset with `candidates` (partial labels, e.g. --psi)',
      `dataset '${train.name}' without them`,
    );
  }
  assertCandidateRows(candidates, train.numClasses, fn, 'train.candidates');
  return candidates;
}

/**
 * `r_new = counts(argmax_j f_ij·S_ij) / n` from one inference pass over the training set
 * (docs/methods/000-plr.md, eq. 6), by {@link argmaxDistribution} of `priors`; a host array.
 */
export async function estimatePrior(ctx: TrainContext, candidates: Uint8Array): Promise<number[]> {
  const probs = await ctx.predictProbabilities(ctx.train);
  const c = ctx.numClasses;
  const n = ctx.train.size;
  const r = tf.tidy(() =>
    argmaxDistribution(
      tf.tensor2d(probs, [n, c]),
      tf.tensor2d(Float32Array.from(candidates), [n, c]),
    ),
  );
  try {
    return Array.from(await r.data());
  } finally {
    r.dispose();
  }
}

/** L1 distance between an estimated prior and the training set's true class distribution. */
export function priorL1(prior: readonly number[], trainCounts: readonly number[]): number | null {
  const total = trainCounts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  return prior.reduce((s, r, c) => s + Math.abs(r - trainCounts[c]! / total), 0);
}

/**
 * Reads an `initialPrior` option at construction: `'uniform'`, an array of numbers, or a
 * comma-separated string of numbers (what `--opt initialPrior=0.5,0.3,0.2` gives).
 */
export function parseInitialPrior(value: unknown, fn: string): 'uniform' | number[] {
  if (value === 'uniform') return 'uniform';
  const values =
    typeof value === 'string'
      ? value.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)))
      : Array.isArray(value)
        ? [...(value as unknown[])]
        : undefined;
  if (values === undefined || values.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    fail(
      'INVALID_OPTION',
      fn,
      'initialPrior',
      "'uniform' or positive numbers summing to 1 (an array or 'a,b,c')",
      describeValue(value),
    );
  return values as number[];
}

/** The starting prior for C classes: uniform, or the given values checked as a distribution. */
export function resolveInitialPrior(
  value: 'uniform' | readonly number[],
  numClasses: number,
  fn: string,
): number[] {
  if (value === 'uniform') return new Array<number>(numClasses).fill(1 / numClasses);
  // A zero would make eq. 5's r^−M infinite and Sinkhorn's column target impossible.
  assertDistribution(value, fn, 'initialPrior', { positive: true, length: numClasses });
  return [...value];
}

/** Argmax of host rows `[n, C]` (ties to the lowest class). */
export function argmaxRows(values: Float32Array, numClasses: number): Int32Array {
  const n = values.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++)
      if (values[i * numClasses + c]! > values[i * numClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Share of rows whose stored target's argmax is the hidden true label. Logging only: it reads
 * the training set's true labels, which never reach a loss.
 */
export function targetAccuracy(
  targets: Float32Array,
  labels: Int32Array | undefined,
  numClasses: number,
): number | null {
  if (labels === undefined || labels.length === 0) return null;
  const predicted = argmaxRows(targets, numClasses);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits += 1;
  return hits / labels.length;
}

/**
 * Adds a step's selection to the epoch's diagnostics: rows seen, rows selected, and selected rows
 * whose target's argmax is the hidden true label (logging only: never trained on).
 */
export function tallySelection(
  s: { seen: number; selected: number; selectedCorrect: number },
  mask: ArrayLike<number>,
  targets: Float32Array,
  indices: Int32Array,
  ctx: Pick<TrainContext, 'train' | 'numClasses'>,
): void {
  const labels = ctx.train.labels;
  const predicted = argmaxRows(targets, ctx.numClasses);
  for (let i = 0; i < mask.length; i++) {
    s.seen += 1;
    if (mask[i]! <= 0) continue;
    s.selected += 1;
    if (labels !== undefined && labels[indices[i]!] === predicted[i]) s.selectedCorrect += 1;
  }
}
