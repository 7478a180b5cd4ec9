import {
  assertBoolean,
  assertValuesIn,
  type TensorInput,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertRatioValues } from './internal/ratio-values';

async function readValues(
  x: TensorInput,
  functionName: string,
  parameter: string,
): Promise<ArrayLike<number>> {
  if (x instanceof tf.Tensor) return x.data() as Promise<ArrayLike<number>>;
  const t = toTensor(x, functionName, parameter, 'float32');
  try {
    return await t.data();
  } finally {
    t.dispose();
  }
}

/**
 * Checks the values of PLM ratios (`r_c` or `r̄_c`, `[C]`) once, outside the training step:
 * every entry must be finite (`NON_FINITE`) and > 0 (`INVALID_VALUE`). {@link plmMask} checks
 * host arrays itself but does not read tensors each step (CONTRIBUTING.md); call this on tensor
 * ratios when they are made.
 *
 * @example
 * ```ts
 * const ratio = positiveNegativeRatio(trainLabels);
 * await validateRatio(ratio); // a class without positives has r_c = 0: refused
 * ```
 * @returns a Promise that resolves when the values are valid; the input is not disposed.
 */
export async function validateRatio(ratio: TensorInput): Promise<void> {
  const values = await readValues(ratio, 'validateRatio', 'ratio');
  assertRatioValues(values, 'validateRatio', 'ratio');
}

/** Options of {@link validateLabels}. */
export interface ValidateLabelsOptions {
  /**
   * Also accept −1 (unknown), i.e. a multi-label **state** in {1, 0, −1} as taken by
   * {@link subsampleUnknown}. Default false: labels in {0, 1} as taken by {@link plmMask} and
   * {@link RatioAdapter.observe}.
   */
  allowUnknown?: boolean;
}

/**
 * Checks multi-label targets once, outside the training step: every value in {0, 1}
 * (or {1, 0, −1} with `allowUnknown`), else `INVALID_VALUE`. The mask functions check host
 * arrays themselves but never read tensors per step (CONTRIBUTING.md).
 *
 * @example
 * ```ts
 * await validateLabels(trainLabels);                        // before plmMask / RatioAdapter
 * await validateLabels(trainState, { allowUnknown: true }); // before subsampleUnknown
 * ```
 * @returns a Promise that resolves when the values are valid; the input is not disposed.
 */
export async function validateLabels(
  labels: TensorInput,
  options: ValidateLabelsOptions = {},
): Promise<void> {
  const { allowUnknown } = withDefaults(options, { allowUnknown: false }, 'validateLabels');
  assertBoolean(allowUnknown, 'validateLabels', 'allowUnknown');
  const values = await readValues(labels, 'validateLabels', 'labels');
  assertValuesIn(values, allowUnknown ? [1, 0, -1] : [0, 1], 'validateLabels', 'labels');
}
