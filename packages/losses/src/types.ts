import type { ReduceOptions, TensorInput } from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Call signature of the per-sample losses: a scalar unless `reduction: 'none'`, then `[B]`. */
export interface SampleLoss<O extends ReduceOptions> {
  (labels: TensorInput, logits: TensorInput, options: O & { reduction: 'none' }): tf.Tensor1D;
  (
    labels: TensorInput,
    logits: TensorInput,
    options?: O & { reduction?: 'mean' | 'sum' | 'batchMean' },
  ): tf.Scalar;
  (labels: TensorInput, logits: TensorInput, options?: O): tf.Tensor;
}

/** {@link SampleLoss} whose options are required (they carry a needed value). */
export interface SampleLossWithOptions<O extends ReduceOptions> {
  (labels: TensorInput, logits: TensorInput, options: O & { reduction: 'none' }): tf.Tensor1D;
  (
    labels: TensorInput,
    logits: TensorInput,
    options: O & { reduction?: 'mean' | 'sum' | 'batchMean' },
  ): tf.Scalar;
  (labels: TensorInput, logits: TensorInput, options: O): tf.Tensor;
}

/** Call signature of the element-wise (multi-label) losses: a scalar unless `reduction: 'none'`, then `[B, C]`. */
export interface ElementLoss<O extends ReduceOptions> {
  (labels: TensorInput, logits: TensorInput, options: O & { reduction: 'none' }): tf.Tensor2D;
  (
    labels: TensorInput,
    logits: TensorInput,
    options?: O & { reduction?: 'mean' | 'sum' | 'batchMean' },
  ): tf.Scalar;
  (labels: TensorInput, logits: TensorInput, options?: O): tf.Tensor;
}
