import * as tf from '@tensorflow/tfjs-core';
import { describeValue, fail } from './errors';

/** What public functions accept where they take a tensor: a tensor or anything `tf.tensor` takes. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** Dimension spec for shape checks: a fixed size, or `null` for "any". */
export type DimSpec = number | null;

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '*' : String(d))).join(', ')}]`;
}

/**
 * Converts `x` to a tensor (a tensor passes through unchanged). Call it inside `tf.tidy` or a
 * `tf.op` so a converted copy is freed.
 *
 * Refuses values that are neither a tensor nor numeric array data, naming `parameter`.
 */
export function toTensor(
  x: TensorInput,
  functionName: string,
  parameter: string,
  dtype?: tf.DataType,
): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) {
      fail('INVALID_VALUE', functionName, parameter, 'a live tensor', 'a disposed tensor');
    }
    if (dtype !== undefined && x.dtype !== dtype) {
      if (dtype === 'float32' && (x.dtype === 'int32' || x.dtype === 'bool'))
        return tf.cast(x, 'float32');
      if (dtype === 'int32' && x.dtype === 'float32') {
        fail('DTYPE_MISMATCH', functionName, parameter, 'an int32 tensor', describeValue(x));
      }
    }
    return x;
  }
  if (x === null || x === undefined || (typeof x !== 'object' && typeof x !== 'number')) {
    fail('INVALID_VALUE', functionName, parameter, 'a tensor or numeric array', describeValue(x));
  }
  if (Array.isArray(x) && !isRectangular(x)) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      'a tensor or rectangular numeric array',
      `a ragged array ${describeValue(x)}`,
    );
  }
  try {
    return tf.tensor(x as tf.TensorLike, undefined, dtype);
  } catch (error) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      'a tensor or rectangular numeric array',
      `${describeValue(x)} (${(error as Error).message})`,
    );
  }
}

/** Throws `SHAPE_MISMATCH` unless `tensor.shape` matches `expected` (`null` = any size). */
export function assertShape(
  tensor: { shape: number[] },
  expected: readonly DimSpec[],
  functionName: string,
  parameter: string,
): void {
  const ok =
    tensor.shape.length === expected.length &&
    expected.every((d, i) => d === null || d === tensor.shape[i]);
  if (!ok) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `of shape ${formatShape(expected)}`,
      `shape ${formatShape(tensor.shape)}`,
    );
  }
}

/** Throws `SHAPE_MISMATCH` unless the tensor has rank `rank` (or one of `rank`). */
export function assertRank(
  tensor: { shape: number[] },
  rank: number | readonly number[],
  functionName: string,
  parameter: string,
): void {
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(tensor.shape.length)) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `of rank ${ranks.join(' or ')}`,
      `shape ${formatShape(tensor.shape)}`,
    );
  }
}

/** Throws `SHAPE_MISMATCH` unless `b` has exactly the shape of `a`. */
export function assertSameShape(
  a: { shape: number[] },
  b: { shape: number[] },
  functionName: string,
  parameterA: string,
  parameterB: string,
): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameterB,
      `of the same shape as \`${parameterA}\` ${formatShape(a.shape)}`,
      `shape ${formatShape(b.shape)}`,
    );
  }
}

/** Throws `DTYPE_MISMATCH` unless the tensor has one of the given dtypes. */
export function assertDtype(
  tensor: tf.Tensor,
  dtypes: tf.DataType | readonly tf.DataType[],
  functionName: string,
  parameter: string,
): void {
  const list = typeof dtypes === 'string' ? [dtypes] : dtypes;
  if (!list.includes(tensor.dtype)) {
    fail('DTYPE_MISMATCH', functionName, parameter, `of dtype ${list.join(' or ')}`, tensor.dtype);
  }
}

/** tfjs checks nested arrays for raggedness only in debug mode; we always do. */
function isRectangular(x: unknown[]): boolean {
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const check = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) return !Array.isArray(node);
    return (
      Array.isArray(node) &&
      node.length === shape[depth] &&
      node.every((child) => check(child, depth + 1))
    );
  };
  return check(x, 0);
}
