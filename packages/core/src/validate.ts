import { fail } from './errors';

/**
 * Value checks on host data (plain or typed arrays). They always run. To check a tensor input
 * at the validation level in force, use the `check*` twins in `validation.ts`, which read the
 * tensor only at `'values'`.
 */
type Numeric = ArrayLike<number>;

/** Bounds of {@link assertInRange}. */
export interface ValueBounds {
  min?: number;
  max?: number;
  /** Every value must be an integer. */
  integer?: boolean;
}

function describeValueBounds(b: ValueBounds): string {
  const kind = b.integer ? 'integers' : 'finite values';
  if (b.min !== undefined && b.max !== undefined) return `${kind} in [${b.min}, ${b.max}]`;
  if (b.min !== undefined) return `${kind} >= ${b.min}`;
  if (b.max !== undefined) return `${kind} <= ${b.max}`;
  return kind;
}

/**
 * Throws `NON_FINITE` at the first NaN or ±Inf and `INVALID_VALUE` at the first value outside
 * `bounds` (e.g. `{ min: 0 }` for weights, `{ min: 0, max: 1 }` for probabilities).
 */
export function assertInRange(
  values: Numeric,
  bounds: ValueBounds,
  functionName: string,
  parameter: string,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      fail(
        'NON_FINITE',
        functionName,
        parameter,
        describeValueBounds(bounds),
        `${v} at flat index ${i}`,
      );
    if (
      (bounds.min !== undefined && v < bounds.min) ||
      (bounds.max !== undefined && v > bounds.max) ||
      (bounds.integer && !Number.isInteger(v))
    ) {
      fail(
        'INVALID_VALUE',
        functionName,
        parameter,
        describeValueBounds(bounds),
        `${v} at flat index ${i}`,
      );
    }
  }
}

/** Throws `NON_FINITE` at the first NaN or ±Inf. */
export function assertFiniteValues(values: Numeric, functionName: string, parameter: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      fail('NON_FINITE', functionName, parameter, 'finite everywhere', `${v} at flat index ${i}`);
  }
}

/** Throws `INVALID_VALUE` unless every value is one of `allowed` (e.g. [0, 1]). */
export function assertValuesIn(
  values: Numeric,
  allowed: readonly number[],
  functionName: string,
  parameter: string,
): void {
  const set = new Set(allowed);
  for (let i = 0; i < values.length; i++) {
    if (!set.has(values[i]!)) {
      fail(
        'INVALID_VALUE',
        functionName,
        parameter,
        `made of ${allowed.join('/')} values`,
        `${values[i]} at flat index ${i}`,
      );
    }
  }
}

/** Throws `INVALID_VALUE` unless every value is an integer in [0, n). */
export function assertClassIndices(
  values: Numeric,
  numClasses: number,
  functionName: string,
  parameter: string,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      fail(
        'INVALID_VALUE',
        functionName,
        parameter,
        `class indices in [0, ${numClasses - 1}]`,
        `${v} at index ${i}`,
      );
    }
  }
}

/**
 * Throws `EMPTY_CANDIDATE_SET` if a row of a `[rows, cols]` 0/1 candidate matrix has no 1,
 * and `INVALID_VALUE` for entries other than 0 or 1.
 */
export function assertCandidateRows(
  values: Numeric,
  cols: number,
  functionName: string,
  parameter: string,
): void {
  assertValuesIn(values, [0, 1], functionName, parameter);
  const rows = values.length / cols;
  for (let r = 0; r < rows; r++) {
    let any = false;
    for (let c = 0; c < cols && !any; c++) any = values[r * cols + c] === 1;
    if (!any)
      fail(
        'EMPTY_CANDIDATE_SET',
        functionName,
        parameter,
        'a candidate set with at least one 1 in every row',
        `row ${r} with no candidate`,
      );
  }
}

/**
 * Throws `NOT_A_DISTRIBUTION` unless values are finite, non-negative (strictly positive with
 * `positive`) and sum to 1 within `tolerance`.
 */
export function assertDistribution(
  values: Numeric,
  functionName: string,
  parameter: string,
  options: { positive?: boolean; tolerance?: number; length?: number } = {},
): void {
  const tolerance = options.tolerance ?? 1e-4;
  const what = `a distribution${options.length === undefined ? '' : ` over ${options.length} classes`} (${options.positive ? 'positive entries' : 'non-negative entries'} summing to 1)`;
  if (options.length !== undefined && values.length !== options.length) {
    fail('NOT_A_DISTRIBUTION', functionName, parameter, what, `${values.length} entries`);
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || v < 0 || (options.positive && v === 0)) {
      fail('NOT_A_DISTRIBUTION', functionName, parameter, what, `${v} at index ${i}`);
    }
    sum += v;
  }
  if (Math.abs(sum - 1) > tolerance)
    fail(
      'NOT_A_DISTRIBUTION',
      functionName,
      parameter,
      what,
      `a sum of ${Number(sum.toPrecision(6))}`,
    );
}

/**
 * Throws `NOT_A_DISTRIBUTION` unless every row of a `[rows, cols]` matrix is finite,
 * non-negative and sums to 1 within `tolerance` (soft / one-hot targets). Names the first bad row.
 */
export function assertDistributionRows(
  values: Numeric,
  cols: number,
  functionName: string,
  parameter: string,
  options: { tolerance?: number } = {},
): void {
  const tolerance = options.tolerance ?? 1e-4;
  const rows = cols === 0 ? 0 : values.length / cols;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      if (!Number.isFinite(v) || v < 0) {
        fail(
          'NOT_A_DISTRIBUTION',
          functionName,
          parameter,
          'rows that are distributions (non-negative entries summing to 1)',
          `${v} at row ${r}, column ${c}`,
        );
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > tolerance) {
      fail(
        'NOT_A_DISTRIBUTION',
        functionName,
        parameter,
        'rows that are distributions (non-negative entries summing to 1)',
        `row ${r} summing to ${Number(sum.toPrecision(6))}`,
      );
    }
  }
}
