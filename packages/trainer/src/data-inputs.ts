import { type Dataset, describeValue, fail } from '@tailwise/core';
import { datasetFromTensors, datasetFromTfData, type TfDataLike } from '@tailwise/datasets';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Data the trainer takes besides a tailwise `Dataset`: plain tensors `{ x, y }` (`x`
 * `[N, ...inputShape]`, `y` `[N]` class indices or `[N, C]` one-hot / multi-label / soft rows),
 * or a `tf.data.Dataset` of `{ xs, ys }` elements (one sample each; `{ dataset, batched: true }`
 * for batched elements).
 */
export type DataInput =
  | Dataset
  | { readonly x: tf.Tensor; readonly y: tf.Tensor }
  | TfDataLike
  | { readonly dataset: TfDataLike; readonly batched: boolean };

const isTfData = (x: unknown): x is TfDataLike =>
  typeof (x as Partial<TfDataLike> | null)?.iterator === 'function';

/** @internal Converts one data option to a `Dataset` (a `Dataset` passes through). */
export async function toDataset(
  input: unknown,
  parameter: string,
  numClasses: number | undefined,
): Promise<Dataset> {
  const named = { name: parameter, ...(numClasses === undefined ? {} : { numClasses }) };
  if (input !== null && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    if (o.x instanceof tf.Tensor && o.y instanceof tf.Tensor)
      return datasetFromTensors(o.x, o.y, named);
    if (isTfData(o.dataset))
      return datasetFromTfData(o.dataset, { ...named, batched: o.batched === true });
    if (isTfData(input)) return datasetFromTfData(input, named);
    if ('features' in o && 'size' in o) return input as Dataset;
  }
  return fail(
    'INVALID_OPTION',
    'Trainer.create',
    parameter,
    'a Dataset, { x, y } tensors or a tf.data.Dataset of { xs, ys }',
    describeValue(input),
  );
}
