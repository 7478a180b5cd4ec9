import { assertClassIndices, type Dataset, describeValue, fail, type Rng } from '@tailwise/core';

/** The per-row label fields of a {@link Dataset} that hold `numClasses` values per row. */
export const ROW_LABEL_FIELDS = ['candidates', 'multiLabels', 'softLabels'] as const;

/** Number of feature values per sample: prod(inputShape). */
export function rowLength(inputShape: readonly number[]): number {
  let n = 1;
  for (const d of inputShape) n *= d;
  return n;
}

function isInteger(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

/**
 * Checks the structure of a dataset in O(1) (lengths and shapes, not values), so every
 * function that slices rows can trust `size`, `inputShape` and the label fields' lengths.
 */
export function assertDataset(
  dataset: unknown,
  functionName: string,
  parameter = 'dataset',
): asserts dataset is Dataset {
  const what = 'a Dataset';
  if (typeof dataset !== 'object' || dataset === null) {
    fail('INVALID_VALUE', functionName, parameter, what, describeValue(dataset));
  }
  const d = dataset as Partial<Dataset>;
  if (!isInteger(d.size, 0)) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      `${what} with an integer \`size\` >= 0`,
      `size ${describeValue(d.size)}`,
    );
  }
  if (!Array.isArray(d.inputShape) || !d.inputShape.every((s) => isInteger(s, 1))) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      `${what} whose \`inputShape\` holds positive integers`,
      `inputShape ${describeValue(d.inputShape)}`,
    );
  }
  if (!(d.features instanceof Uint8Array || d.features instanceof Float32Array)) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      `${what} with Uint8Array or Float32Array \`features\``,
      `features ${describeValue(d.features)}`,
    );
  }
  const perRow = rowLength(d.inputShape);
  if (d.features.length !== d.size * perRow) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `${what} with size × prod(inputShape) = ${d.size} × ${perRow} = ${d.size * perRow} feature values`,
      `${d.features.length}`,
    );
  }
  if (!isInteger(d.numClasses, 1)) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      `${what} with an integer \`numClasses\` >= 1`,
      `numClasses ${describeValue(d.numClasses)}`,
    );
  }
  if (d.labels !== undefined) {
    if (!(d.labels instanceof Int32Array) || d.labels.length !== d.size) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        parameter,
        `${what} whose \`labels\` is an Int32Array of length ${d.size}`,
        describeValue(d.labels),
      );
    }
  }
  for (const field of ROW_LABEL_FIELDS) {
    const v = d[field];
    if (v === undefined) continue;
    const ok =
      (field === 'candidates' ? v instanceof Uint8Array : v instanceof Float32Array) &&
      v.length === d.size * d.numClasses;
    if (!ok) {
      const type = field === 'candidates' ? 'Uint8Array' : 'Float32Array';
      fail(
        'SHAPE_MISMATCH',
        functionName,
        parameter,
        `${what} whose \`${field}\` is a ${type} of length size × numClasses = ${d.size * d.numClasses}`,
        `${describeValue(v)} of length ${(v as { length?: number }).length}`,
      );
    }
  }
  if (
    d.classNames !== undefined &&
    (!Array.isArray(d.classNames) || d.classNames.length !== d.numClasses)
  ) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      `${what} with ${d.numClasses} \`classNames\``,
      describeValue(d.classNames),
    );
  }
}

/** The dataset's `labels`, checked to be class indices in [0, numClasses); throws without them. */
export function requireLabels(
  dataset: Dataset,
  functionName: string,
  parameter = 'dataset',
): Int32Array {
  if (dataset.labels === undefined) {
    fail(
      'INVALID_VALUE',
      functionName,
      parameter,
      'a Dataset with `labels` (class indices)',
      `dataset "${dataset.name}" without labels`,
    );
  }
  assertClassIndices(dataset.labels, dataset.numClasses, functionName, `${parameter}.labels`);
  return dataset.labels;
}

/** Row ids of each class, in increasing order. */
export function rowsByClass(labels: Int32Array, numClasses: number): number[][] {
  const rows: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) rows[labels[i]!]!.push(i);
  return rows;
}

/** Copies the given rows (features and every label field present) into a new dataset. */
export function takeRows(dataset: Dataset, indices: ArrayLike<number>, name: string): Dataset {
  const n = indices.length;
  const d = rowLength(dataset.inputShape);
  const c = dataset.numClasses;
  const features =
    dataset.features instanceof Uint8Array ? new Uint8Array(n * d) : new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    features.set(dataset.features.subarray(r * d, (r + 1) * d), i * d);
  }
  const out: {
    -readonly [K in keyof Dataset]: Dataset[K];
  } = {
    name,
    size: n,
    inputShape: dataset.inputShape.slice(),
    features,
    numClasses: c,
  };
  if (dataset.labels !== undefined) {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = dataset.labels[indices[i]!]!;
    out.labels = labels;
  }
  for (const field of ROW_LABEL_FIELDS) {
    const src = dataset[field];
    if (src === undefined) continue;
    const dst = src instanceof Uint8Array ? new Uint8Array(n * c) : new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      dst.set(src.subarray(r * c, (r + 1) * c), i * c);
    }
    (out as Record<string, unknown>)[field] = dst;
  }
  if (dataset.classNames !== undefined) out.classNames = dataset.classNames.slice();
  return out;
}

/** `k` distinct entries of `rows` drawn with `rng`, returned in increasing order. */
export function drawSorted(rows: readonly number[], k: number, rng: Rng): number[] {
  if (k >= rows.length) return rows.slice();
  const picked = rng
    .permutation(rows.length)
    .slice(0, k)
    .sort((a, b) => a - b);
  return picked.map((p) => rows[p]!);
}
