import {
  assertCandidateRows,
  assertDistribution,
  assertFiniteValues,
  assertRank,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';

async function readValues(
  x: TensorInput,
  functionName: string,
  parameter: string,
  rank: number,
): Promise<{ values: Float32Array; shape: number[] }> {
  const t: tf.Tensor = toTensor(x, functionName, parameter, 'float32');
  try {
    assertRank(t, rank, functionName, parameter);
    return { values: (await t.data()) as Float32Array, shape: t.shape };
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Checks candidate sets once, in the data layer (the ops only check shapes, CONTRIBUTING.md): every
 * entry is 0 or 1 and every row has at least one 1.
 *
 * Throws `EMPTY_CANDIDATE_SET` naming the first row without a candidate, `INVALID_VALUE` for an
 * entry other than 0/1. Reads the data (async); does not take ownership of `candidates`.
 *
 * @example
 * ```ts
 * await validateCandidates(batch.candidates);
 * ```
 */
export async function validateCandidates(candidates: TensorInput): Promise<void> {
  const { values, shape } = await readValues(candidates, 'validateCandidates', 'candidates', 2);
  assertCandidateRows(values, shape[1]!, 'validateCandidates', 'candidates');
}

/**
 * Checks a class prior: `[C]`, strictly positive entries (PLR takes `log r`, Sinkhorn's column
 * targets are `N·r`) summing to 1 within 1e-4.
 *
 * Throws `NOT_A_DISTRIBUTION` for a zero, negative or non-finite entry, a wrong sum or (with
 * `numClasses`) a wrong length. Reads the data (async).
 *
 * @example
 * ```ts
 * await validatePrior(prior, 10);
 * ```
 */
export async function validatePrior(prior: TensorInput, numClasses?: number): Promise<void> {
  const { values } = await readValues(prior, 'validatePrior', 'prior', 1);
  assertDistribution(
    values,
    'validatePrior',
    'prior',
    numClasses === undefined ? { positive: true } : { positive: true, length: numClasses },
  );
}

/**
 * Checks that logits (or any scores) are finite: NaN or ±Inf is an error, never a silent NaN
 * target. Throws `NON_FINITE` naming the first bad flat index. Reads the data (async).
 */
export async function validateLogits(logits: TensorInput): Promise<void> {
  const t = toTensor(logits, 'validateLogits', 'logits', 'float32');
  try {
    assertFiniteValues((await t.data()) as Float32Array, 'validateLogits', 'logits');
  } finally {
    if (t !== logits) t.dispose();
  }
}
