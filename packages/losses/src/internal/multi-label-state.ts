import {
  assertSameShape,
  checkFinite,
  checkValuesIn,
  type TensorInput,
  toTensor,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Converts a multi-label state `[B, C]` in {1, 0, −1} (positive, negative, unknown) to float32,
 * checking its shape against the logits and its values at the validation level in force (core):
 * any other value is `INVALID_VALUE` (docs/methods/001-partial-annotations.md, "Label state").
 */
export function multiLabelState(
  state: TensorInput,
  logits: tf.Tensor2D,
  functionName: string,
  parameter = 'state',
): tf.Tensor2D {
  const z = toTensor(state, functionName, parameter, 'float32');
  assertSameShape(logits, z, functionName, 'logits', parameter);
  checkValuesIn(state, [1, 0, -1], functionName, parameter);
  return z as tf.Tensor2D;
}

/** A second `[B, C]` logits input (ROLE's estimates): same shape as `logits`, finite values. */
export function logitsLike(
  input: TensorInput,
  logits: tf.Tensor2D,
  functionName: string,
  parameter: string,
): tf.Tensor2D {
  const t = toTensor(input, functionName, parameter, 'float32');
  assertSameShape(logits, t, functionName, 'logits', parameter);
  checkFinite(input, functionName, parameter);
  return t as tf.Tensor2D;
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
