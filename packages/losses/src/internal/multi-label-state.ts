import {
  assertFiniteValues,
  assertValuesIn,
  fail,
  hostValues,
  type TensorInput,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { elementLabels } from './inputs';

/**
 * Converts a multi-label state `[B, C]` in {1, 0, −1} (positive, negative, unknown) to float32,
 * checking its shape against the logits and, for host arrays, its values (`INVALID_VALUE`).
 * Tensors are not read here (STYLE.md): see `validateMultiLabelState`.
 */
export function multiLabelState(
  state: TensorInput,
  logits: tf.Tensor2D,
  functionName: string,
  parameter = 'state',
): tf.Tensor2D {
  const z = elementLabels(state, logits, functionName, parameter);
  const host = hostValues(state);
  if (host !== undefined) assertValuesIn(host, [1, 0, -1], functionName, parameter);
  return z;
}

/** Host check of a `[B, C]` array of values in [0, 1] (pseudo-labels); tensors are not read. */
export function assertHostProbabilities(
  input: TensorInput,
  functionName: string,
  parameter: string,
): void {
  const host = hostValues(input);
  if (host === undefined) return;
  assertFiniteValues(host, functionName, parameter);
  for (let i = 0; i < host.length; i++) {
    const v = host[i]!;
    if (v < 0 || v > 1)
      fail('INVALID_VALUE', functionName, parameter, 'in [0, 1]', `${v} at flat index ${i}`);
  }
}

/** The 0/1 indicator masks of a state: known positives, known negatives, unknown entries. */
export function stateMasks(z: tf.Tensor2D): {
  positive: tf.Tensor2D;
  negative: tf.Tensor2D;
  unknown: tf.Tensor2D;
} {
  return {
    positive: tf.cast(tf.equal(z, 1), 'float32') as tf.Tensor2D,
    negative: tf.cast(tf.equal(z, 0), 'float32') as tf.Tensor2D,
    unknown: tf.cast(tf.equal(z, -1), 'float32') as tf.Tensor2D,
  };
}
