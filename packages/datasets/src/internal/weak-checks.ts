import type { Dataset } from '@tailwise/core';
import { assertClassIndices, assertNumber, describeValue, fail } from '@tailwise/core';

/**
 * Checks the parts of a single-label {@link Dataset} the weak-label generators read:
 * `size`, `numClasses`, and `labels` (N class indices in [0, C)).
 */
export function assertLabeledDataset(
  dataset: unknown,
  functionName: string,
): asserts dataset is Dataset & { labels: Int32Array } {
  if (typeof dataset !== 'object' || dataset === null) {
    fail('INVALID_VALUE', functionName, 'dataset', 'a Dataset object', describeValue(dataset));
  }
  const d = dataset as Partial<Dataset>;
  assertNumber(d.size, { min: 0, integer: true }, functionName, 'dataset.size');
  assertNumber(d.numClasses, { min: 1, integer: true }, functionName, 'dataset.numClasses');
  if (d.labels === undefined) {
    fail(
      'INVALID_VALUE',
      functionName,
      'dataset.labels',
      'present (a single-label dataset)',
      'a dataset without labels',
    );
  }
  if (!(d.labels instanceof Int32Array) || d.labels.length !== d.size) {
    fail(
      'INVALID_VALUE',
      functionName,
      'dataset.labels',
      `an Int32Array of ${d.size} class indices`,
      d.labels instanceof Int32Array ? `${d.labels.length} labels` : describeValue(d.labels),
    );
  }
  assertClassIndices(d.labels, d.numClasses, functionName, 'dataset.labels');
}

/**
 * Checks the container of a per-class option (`hierarchy`, `classWeights`): array-like of
 * length `numClasses`. The caller checks the entries.
 */
export function assertPerClass(
  values: unknown,
  numClasses: number,
  functionName: string,
  parameter: string,
): asserts values is ArrayLike<number> {
  const v = values as ArrayLike<unknown> | null | undefined;
  if (typeof v !== 'object' || v === null || typeof v.length !== 'number') {
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      `an array of ${numClasses} numbers (one per class)`,
      describeValue(values),
    );
  }
  if (v.length !== numClasses) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `an array of ${numClasses} numbers (one per class)`,
      `${v.length} entries`,
    );
  }
}
