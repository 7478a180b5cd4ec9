import { assertValuesIn, type Dataset, fail } from '@tailwise/core';

/**
 * Checks a training set's multi-label state once, on the host: N × C values in {1, 0, −1}
 * (positive, negative, unknown; docs/methods/001-partial-annotations.md, "Label state").
 * @returns the state.
 */
export function trainingState(train: Dataset, functionName: string): Float32Array {
  const z = train.multiLabels;
  if (z === undefined)
    fail(
      'INVALID_VALUE',
      functionName,
      'train',
      'a dataset with `multiLabels` (a multi-label state in {1, 0, −1})',
      `dataset '${train.name}' without it`,
    );
  if (z.length !== train.size * train.numClasses)
    fail(
      'SHAPE_MISMATCH',
      functionName,
      'train.multiLabels',
      `${train.size} × ${train.numClasses} values`,
      `${z.length} values`,
    );
  assertValuesIn(z, [1, 0, -1], functionName, 'train.multiLabels');
  return z;
}

/** Mean number of known positives per training sample (at least 1): ROLE's default k. */
export function knownPositivesPerSample(z: Float32Array, size: number): number {
  let positives = 0;
  for (let i = 0; i < z.length; i++) if (z[i] === 1) positives++;
  return Math.max(1, size === 0 ? 0 : positives / size);
}
