import { describeValue, fail, formatShape, type TensorInput, toTensor } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Refuses use of a disposed store or queue. */
export function assertLive(disposed: boolean, functionName: string, what: string): void {
  if (disposed) fail('INVALID_STATE', functionName, what, 'not yet disposed', 'a disposed object');
}

/** Refuses saved state that does not match what `toJSON()` writes. */
export function refuseState(functionName: string, expected: string, got: string): never {
  return fail('INVALID_FORMAT', functionName, 'json', expected, got);
}

/** Reads an optional JSON field as a plain object, refusing anything else. */
export function asRecord(
  state: unknown,
  functionName: string,
  expected: string,
): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    refuseState(functionName, expected, describeValue(state));
  }
  return state as Record<string, unknown>;
}

/** True for a JSON array of finite numbers (optionally of a given length). */
export function isNumberArray(x: unknown, length?: number): x is number[] {
  return (
    Array.isArray(x) &&
    (length === undefined || x.length === length) &&
    x.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * Checks host sample indices (e.g. `Batch.indices`): integers in [0, n). They stay on the host so
 * `get` needs no readback.
 */
export function toIndices(indices: unknown, n: number, functionName: string): Int32Array {
  if (indices instanceof tf.Tensor || (!Array.isArray(indices) && !ArrayBuffer.isView(indices))) {
    fail(
      'INVALID_VALUE',
      functionName,
      'indices',
      'host sample indices (an Int32Array or number[])',
      describeValue(indices),
    );
  }
  const list = indices as ArrayLike<number>;
  const out = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      fail(
        'INVALID_VALUE',
        functionName,
        'indices',
        `sample indices in [0, ${n - 1}]`,
        `${v} at position ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Reads a `[rows, cols]` float input to the host as a fresh copy (the one readback of an async
 * store update) and checks its shape.
 */
export async function readMatrix(
  x: TensorInput,
  rows: number | null,
  cols: number | null,
  functionName: string,
  parameter: string,
): Promise<{ values: Float32Array; rows: number; cols: number }> {
  const t = toTensor(x, functionName, parameter, 'float32');
  try {
    const ok =
      t.shape.length === 2 &&
      (rows === null || t.shape[0] === rows) &&
      (cols === null || t.shape[1] === cols);
    if (!ok) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        parameter,
        `of shape ${formatShape([rows, cols])}`,
        `shape ${formatShape(t.shape)}`,
      );
    }
    // A copy: the cpu backend hands out its own buffer, which must not be aliased.
    const values = Float32Array.from((await t.data()) as ArrayLike<number>);
    return { values, rows: t.shape[0]!, cols: t.shape[1]! };
  } finally {
    if (t !== x) t.dispose();
  }
}
