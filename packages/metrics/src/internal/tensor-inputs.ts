import { fail } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { MatrixInput } from './inputs';

/**
 * Class indices on the host (an array or typed array), or a tensor: `[N]` class indices, or
 * `[N, C]` scores / logits / one-hot rows, whose argmax (first index on ties) is the class.
 */
export type IndexInput = ArrayLike<number> | tf.Tensor;

/** An N × C matrix on the host (see `MatrixInput`), or an `[N, C]` tensor. */
export type MatrixOrTensor = MatrixInput | tf.Tensor;

/** How an argument is read when it is a tensor. */
export type Kind = 'indices' | 'matrix' | 'vector';

/** @internal */
export function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function onDevice(x: tf.Tensor, kind: Kind, fn: string, parameter: string): tf.Tensor {
  if (kind === 'indices') {
    if (x.rank === 1) return x;
    if (x.rank === 2) return tf.argMax(x, 1);
  } else if (kind === 'matrix') {
    if (x.rank === 2) return x;
  } else if (x.rank === 1) {
    return x;
  }
  const expected =
    kind === 'indices'
      ? 'a rank-1 tensor of class indices or a rank-2 [N, C] tensor of scores'
      : kind === 'matrix'
        ? 'a rank-2 [N, C] tensor'
        : 'a rank-1 tensor';
  return fail('SHAPE_MISMATCH', fn, parameter, expected, `shape [${x.shape.join(', ')}]`);
}

/**
 * @internal The one tensor read of every metric: each tensor argument is reduced on the device
 * if needed (argmax of `[N, C]` scores for `'indices'`), then all of them are read with a
 * single `await Promise.all(data())`; host arguments pass through. Matrices come back as rows
 * (views of the read buffer), which every host face accepts. The caller's tensors are not
 * disposed; the argmax temporaries are.
 */
export async function readTensors(
  fn: string,
  args: readonly (readonly [parameter: string, value: unknown, kind: Kind])[],
): Promise<unknown[]> {
  const temps: tf.Tensor[] = [];
  const reads: (Promise<tf.TypedArray> | undefined)[] = [];
  try {
    for (const [parameter, value, kind] of args) {
      if (!isTensor(value)) {
        reads.push(undefined);
        continue;
      }
      if (value.isDisposed)
        fail('INVALID_VALUE', fn, parameter, 'a live tensor', 'a disposed tensor');
      const t = onDevice(value, kind, fn, parameter);
      if (t !== value) temps.push(t);
      reads.push(t.data());
    }
    const data = await Promise.all(reads);
    return args.map(([, value, kind], i) => {
      const d = data[i];
      if (d === undefined) return value;
      if (kind !== 'matrix') return d;
      const [rows, cols] = (value as tf.Tensor).shape as [number, number];
      return Array.from({ length: rows }, (_, r) => d.subarray(r * cols, (r + 1) * cols));
    });
  } finally {
    tf.dispose(temps);
  }
}

/**
 * @internal Runs a host face on host arguments right away, or, when any argument is a tensor,
 * after {@link readTensors}: the tensor faces of the metrics are this plus an overload.
 */
export function hostOrTensors<R>(
  fn: string,
  args: readonly (readonly [parameter: string, value: unknown, kind: Kind])[],
  run: (...values: unknown[]) => R,
): R | Promise<R> {
  if (!args.some(([, value]) => isTensor(value))) return run(...args.map(([, v]) => v));
  return readTensors(fn, args).then((values) => run(...values));
}
