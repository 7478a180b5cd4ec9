import * as tf from '@tensorflow/tfjs-core';
import { describeValue, fail } from './errors';
import { assertOneOf } from './options';
import type { TensorInput } from './tensors';
import {
  assertCandidateRows,
  assertClassIndices,
  assertDistribution,
  assertDistributionRows,
  assertFiniteValues,
  assertInRange,
  assertValuesIn,
  type ValueBounds,
} from './validate';

/**
 * How much a public function checks before it computes.
 *
 * - `'values'` (default, like torchmetrics' `validate_args=True`): shapes, dtypes, options
 *   **and the values** the function depends on (finite logits, class indices in range,
 *   candidate rows with a candidate, distributions, non-negative weights). A tensor's values
 *   cost one synchronous readback per checked input; host arrays cost a loop.
 * - `'shapes'`: shapes, dtypes and options only; no tensor is read. For hot loops whose data
 *   was validated once up front (the Trainer validates its datasets at construction and steps
 *   at `'shapes'`, guarding the loss against non-finite values).
 *
 * Host inputs (plain arrays, typed arrays, numbers) are checked at both levels: they need no
 * readback.
 */
export type ValidationLevel = 'values' | 'shapes';

const LEVELS = ['values', 'shapes'] as const;

// One slot per process, reachable from every copy of this package: a level set through one
// install must hold for a loss imported through another (CONTRIBUTING.md pitfall 1 is about module
// state that duplicates disagree on; a `Symbol.for` key on globalThis is shared).
const SLOT = Symbol.for('tailwise.validation');
type Slot = { level: ValidationLevel };

function slot(): Slot {
  const g = globalThis as unknown as Record<symbol, Slot | undefined>;
  let s = g[SLOT];
  if (s === undefined) {
    s = { level: 'values' };
    g[SLOT] = s;
  }
  return s;
}

/**
 * Sets the validation level for every tailwise function in this process.
 *
 * @example
 * ```ts
 * setValidation('shapes'); // hot loop over data you validated yourself
 * ```
 */
export function setValidation(level: ValidationLevel): void {
  assertOneOf(level, LEVELS, 'setValidation', 'level');
  slot().level = level;
}

/** The validation level in force (`'values'` unless changed). */
export function getValidation(): ValidationLevel {
  return slot().level;
}

/**
 * Runs `fn` at validation `level` and restores the previous level afterwards, also when `fn`
 * throws. When `fn` returns a promise the level holds until it settles (and applies to
 * anything else that runs meanwhile: the level is per process, not per call chain).
 *
 * @example
 * ```ts
 * const loss = withValidation('shapes', () => crossEntropy(labels, logits));
 * ```
 */
export function withValidation<T>(level: ValidationLevel, fn: () => T): T {
  assertOneOf(level, LEVELS, 'withValidation', 'level');
  if (typeof fn !== 'function') {
    fail('INVALID_OPTION', 'withValidation', 'fn', 'a function', describeValue(fn));
  }
  const s = slot();
  const previous = s.level;
  s.level = level;
  let result: T;
  try {
    result = fn();
  } catch (error) {
    s.level = previous;
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      s.level = previous;
    }) as T;
  }
  s.level = previous;
  return result;
}

/**
 * The flat values of `x` to check, or `undefined` when the level in force skips them.
 * Host inputs are returned as they are (no readback, any level); a tensor is read with one
 * synchronous readback at `'values'` and skipped at `'shapes'`.
 *
 * This is the one place where library code reads tensor values synchronously. It runs before
 * the function computes anything, inside the op's scope; a readback never happens inside a
 * kernel and never at `'shapes'`.
 */
export function valuesToCheck(x: TensorInput | undefined): ArrayLike<number> | undefined {
  if (x === undefined || x === null) return undefined;
  if (x instanceof tf.Tensor) {
    if (slot().level !== 'values' || x.size === 0) return undefined;
    if (x.dtype === 'string' || x.dtype === 'complex64') return undefined;
    return x.dataSync() as ArrayLike<number>;
  }
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return x as unknown as ArrayLike<number>;
  if (Array.isArray(x)) return (x as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return undefined;
}

/** `NON_FINITE` unless every value of `x` is finite (at the level in force). */
export function checkFinite(
  x: TensorInput | undefined,
  functionName: string,
  parameter: string,
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertFiniteValues(v, functionName, parameter);
}

/** `INVALID_VALUE` unless every value of `x` is an integer class index in [0, numClasses). */
export function checkClassIndices(
  x: TensorInput | undefined,
  numClasses: number,
  functionName: string,
  parameter: string,
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertClassIndices(v, numClasses, functionName, parameter);
}

/** `INVALID_VALUE` unless every value of `x` is one of `allowed`. */
export function checkValuesIn(
  x: TensorInput | undefined,
  allowed: readonly number[],
  functionName: string,
  parameter: string,
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertValuesIn(v, allowed, functionName, parameter);
}

/** `NON_FINITE` for NaN/±Inf, `INVALID_VALUE` for a value outside `bounds` (e.g. weights ≥ 0). */
export function checkInRange(
  x: TensorInput | undefined,
  bounds: ValueBounds,
  functionName: string,
  parameter: string,
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertInRange(v, bounds, functionName, parameter);
}

/**
 * `EMPTY_CANDIDATE_SET` for a row of the `[rows, cols]` candidate matrix `x` without a 1,
 * `INVALID_VALUE` for an entry other than 0/1.
 */
export function checkCandidateRows(
  x: TensorInput | undefined,
  cols: number,
  functionName: string,
  parameter: string,
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertCandidateRows(v, cols, functionName, parameter);
}

/** `NOT_A_DISTRIBUTION` unless `x` is a distribution (see {@link assertDistribution}). */
export function checkDistribution(
  x: TensorInput | undefined,
  functionName: string,
  parameter: string,
  options: { positive?: boolean; tolerance?: number; length?: number } = {},
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertDistribution(v, functionName, parameter, options);
}

/** `NOT_A_DISTRIBUTION` unless every row of the `[rows, cols]` matrix `x` is a distribution. */
export function checkDistributionRows(
  x: TensorInput | undefined,
  cols: number,
  functionName: string,
  parameter: string,
  options: { tolerance?: number } = {},
): void {
  const v = valuesToCheck(x);
  if (v !== undefined) assertDistributionRows(v, cols, functionName, parameter, options);
}
