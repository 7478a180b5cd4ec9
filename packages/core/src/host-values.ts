import * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from './tensors';

/**
 * The flat values of an input that is already on the host (number, array, typed array), or
 * `undefined` for a tensor. Value checks run on host data only: reading a tensor would block
 * (CONTRIBUTING.md: value checks of tensors live in the data layer and in `validate*` helpers).
 * Call it after `toTensor` has accepted the input's structure.
 */
export function hostValues(x: TensorInput): ArrayLike<number> | undefined {
  if (x instanceof tf.Tensor) return undefined;
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return x as unknown as ArrayLike<number>;
  if (Array.isArray(x)) return (x as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return undefined;
}
