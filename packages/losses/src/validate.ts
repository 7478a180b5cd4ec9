import {
  assertCandidateRows,
  assertClassIndices,
  assertDistribution,
  assertFiniteValues,
  assertNumber,
  assertRank,
  assertValuesIn,
  fail,
  type TensorInput,
  toTensor,
} from '@tailwise/core';

/** Reads a tensor input's values and shape; frees the tensor only when it was converted here. */
async function read(
  x: TensorInput,
  functionName: string,
  parameter: string,
): Promise<{ values: ArrayLike<number>; shape: number[] }> {
  const t = toTensor(x, functionName, parameter);
  try {
    return { values: (await t.data()) as ArrayLike<number>, shape: t.shape };
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Checks single-label class indices: integers in [0, numClasses). The losses do not read
 * values (CONTRIBUTING.md); run this in the data layer or in tests.
 *
 * @example
 * ```ts
 * await validateClassIndices(batch.labels, 10); // throws INVALID_VALUE on 10 or −1
 * ```
 */
export async function validateClassIndices(labels: TensorInput, numClasses: number): Promise<void> {
  const fn = 'validateClassIndices';
  assertNumber(numClasses, { min: 1, integer: true }, fn, 'numClasses');
  const { values, shape } = await read(labels, fn, 'labels');
  assertRank({ shape }, 1, fn, 'labels');
  assertClassIndices(values, numClasses, fn, 'labels');
}

/**
 * Checks soft / one-hot targets `[B, C]`: finite, non-negative, every row summing to 1 (within
 * `tolerance`, default 1e-4). Throws `NOT_A_DISTRIBUTION` naming the first bad row.
 *
 * @example
 * ```ts
 * await validateTargets(pseudoLabels); // e.g. PRODEN / PLR targets before crossEntropy
 * ```
 */
export async function validateTargets(
  targets: TensorInput,
  options: { tolerance?: number } = {},
): Promise<void> {
  const fn = 'validateTargets';
  const tolerance = options.tolerance ?? 1e-4;
  assertNumber(tolerance, { min: 0 }, fn, 'tolerance');
  const { values, shape } = await read(targets, fn, 'targets');
  assertRank({ shape }, 2, fn, 'targets');
  const cols = shape[1]!;
  for (let r = 0; r < shape[0]!; r++) {
    const row = Array.prototype.slice.call(values, r * cols, (r + 1) * cols) as number[];
    assertDistribution(row, fn, `targets[${r}]`, { tolerance });
  }
}

/**
 * Checks multi-label targets: finite and in [0, 1] (soft targets allowed). `INVALID_VALUE` /
 * `NON_FINITE`.
 *
 * @example
 * ```ts
 * await validateBinaryTargets(batch.multiLabels); // before binaryCrossEntropy
 * ```
 */
export async function validateBinaryTargets(labels: TensorInput): Promise<void> {
  const fn = 'validateBinaryTargets';
  const { values } = await read(labels, fn, 'labels');
  assertFiniteValues(values, fn, 'labels');
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v > 1) fail('INVALID_VALUE', fn, 'labels', 'in [0, 1]', `${v} at flat index ${i}`);
  }
}

/**
 * Checks partial-label candidate sets `[B, C]`: entries 0/1 (`INVALID_VALUE`) and at least one
 * candidate per row (`EMPTY_CANDIDATE_SET`), which `ccLoss` needs for a finite loss.
 *
 * @example
 * ```ts
 * await validateCandidates(batch.candidates);
 * ```
 */
export async function validateCandidates(candidates: TensorInput): Promise<void> {
  const fn = 'validateCandidates';
  const { values, shape } = await read(candidates, fn, 'candidates');
  assertRank({ shape }, 2, fn, 'candidates');
  assertCandidateRows(values, shape[1]!, fn, 'candidates');
}

/**
 * Checks that logits are finite everywhere (`NON_FINITE` names the first bad flat index): a
 * debugging aid, since every loss here is finite for finite logits.
 *
 * @example
 * ```ts
 * await validateLogits(model.apply(x));
 * ```
 */
export async function validateLogits(logits: TensorInput): Promise<void> {
  const fn = 'validateLogits';
  const { values } = await read(logits, fn, 'logits');
  assertFiniteValues(values, fn, 'logits');
}

/**
 * Checks a multi-label state `[B, C]`: every entry 1 (positive), 0 (negative) or −1 (unknown)
 * (`INVALID_VALUE` names the first bad flat index). The losses of paper 001 read no tensor
 * values; run this in the data layer or in tests.
 *
 * @example
 * ```ts
 * await validateMultiLabelState(batch.multiLabels); // before partialAnnotationLoss
 * ```
 */
export async function validateMultiLabelState(state: TensorInput): Promise<void> {
  const fn = 'validateMultiLabelState';
  const { values, shape } = await read(state, fn, 'state');
  assertRank({ shape }, 2, fn, 'state');
  assertValuesIn(values, [1, 0, -1], fn, 'state');
}
