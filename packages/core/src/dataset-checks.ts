import { describeValue, fail } from './errors';
import { formatShape } from './tensors';
import type { Dataset } from './types';
import {
  assertCandidateRows,
  assertClassIndices,
  assertDistributionRows,
  assertFiniteValues,
  assertValuesIn,
} from './validate';

/** Options of {@link assertDataset}. */
export interface AssertDatasetOptions {
  /** Smallest accepted `size`. Default 1: an empty dataset cannot train or be evaluated. */
  minSize?: number;
  /** The dataset must have this many classes (e.g. the test set those of the training set). */
  numClasses?: number;
  /** The dataset must have this per-sample input shape. */
  inputShape?: readonly number[];
  /** Label fields that must be present, e.g. `['labels']`. */
  requires?: readonly ('labels' | 'candidates' | 'multiLabels' | 'softLabels')[];
  /** Where `numClasses` / `inputShape` come from, for messages (e.g. "the training set"). */
  reference?: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Checks a {@link Dataset} on the host, once, before it is used: structure, sizes, and every
 * value (features finite, class indices in range, candidate rows with a candidate, multi-labels
 * in {1, 0, −1}, soft-label rows summing to 1). Names the offending field as
 * `` `${parameter}.field` `` (e.g. `` `test.labels` ``). No tensor is read: datasets are host
 * arrays, so this costs one pass over them whatever the validation level.
 *
 * @example
 * ```ts
 * assertDataset(train, 'Trainer', 'train', { requires: ['labels'] });
 * assertDataset(test, 'Trainer', 'test', { numClasses: train.numClasses, inputShape: train.inputShape, reference: 'the training set' });
 * ```
 */
export function assertDataset(
  dataset: unknown,
  functionName: string,
  parameter: string,
  options: AssertDatasetOptions = {},
): asserts dataset is Dataset {
  const p = (field: string) => `${parameter}.${field}`;
  const minSize = options.minSize ?? 1;
  if (typeof dataset !== 'object' || dataset === null || Array.isArray(dataset)) {
    fail('INVALID_VALUE', functionName, parameter, 'a Dataset object', describeValue(dataset));
  }
  const d = dataset as Record<string, unknown>;
  if (!isInt(d.size) || d.size < minSize) {
    fail(
      'INVALID_VALUE',
      functionName,
      p('size'),
      minSize > 0 ? `an integer >= ${minSize} (a non-empty dataset)` : 'an integer >= 0',
      describeValue(d.size),
    );
  }
  const size = d.size;
  if (!isInt(d.numClasses) || d.numClasses < 1) {
    fail(
      'INVALID_VALUE',
      functionName,
      p('numClasses'),
      'an integer >= 1',
      describeValue(d.numClasses),
    );
  }
  const classes = d.numClasses;
  if (options.numClasses !== undefined && classes !== options.numClasses) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      p('numClasses'),
      `${options.numClasses} (as ${options.reference ?? 'expected'})`,
      String(classes),
    );
  }
  const shape = d.inputShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((v) => isInt(v) && v > 0)) {
    fail(
      'INVALID_VALUE',
      functionName,
      p('inputShape'),
      'a non-empty array of positive integers',
      describeValue(shape),
    );
  }
  if (
    options.inputShape !== undefined &&
    (shape.length !== options.inputShape.length ||
      shape.some((v, i) => v !== options.inputShape![i]))
  ) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      p('inputShape'),
      `${formatShape(options.inputShape)} (as ${options.reference ?? 'expected'})`,
      formatShape(shape),
    );
  }
  const perSample = (shape as number[]).reduce((a, b) => a * b, 1);
  const features = d.features;
  if (!(features instanceof Uint8Array || features instanceof Float32Array)) {
    fail(
      'INVALID_VALUE',
      functionName,
      p('features'),
      'a Uint8Array or Float32Array',
      describeValue(features),
    );
  }
  if (features.length !== size * perSample) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      p('features'),
      `${size} × ${perSample} = ${size * perSample} values (size × inputShape)`,
      `${features.length} values`,
    );
  }
  if (features instanceof Float32Array) assertFiniteValues(features, functionName, p('features'));

  const matrix = (
    field: string,
    ctor: 'Uint8Array' | 'Float32Array',
  ): ArrayLike<number> | undefined => {
    const v = d[field];
    if (v === undefined) return undefined;
    const ok = ctor === 'Uint8Array' ? v instanceof Uint8Array : v instanceof Float32Array;
    if (!ok) fail('INVALID_VALUE', functionName, p(field), `a ${ctor}`, describeValue(v));
    const arr = v as Uint8Array | Float32Array;
    if (arr.length !== size * classes) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        p(field),
        `${size} × ${classes} = ${size * classes} values (size × numClasses)`,
        `${arr.length} values`,
      );
    }
    return arr;
  };

  if (d.labels !== undefined) {
    if (!(d.labels instanceof Int32Array)) {
      fail('INVALID_VALUE', functionName, p('labels'), 'an Int32Array', describeValue(d.labels));
    }
    if (d.labels.length !== size) {
      fail(
        'SHAPE_MISMATCH',
        functionName,
        p('labels'),
        `${size} labels (one per sample)`,
        `${d.labels.length}`,
      );
    }
    assertClassIndices(d.labels, classes, functionName, p('labels'));
  }
  const candidates = matrix('candidates', 'Uint8Array');
  if (candidates) assertCandidateRows(candidates, classes, functionName, p('candidates'));
  const multi = matrix('multiLabels', 'Float32Array');
  if (multi) assertValuesIn(multi, [1, 0, -1], functionName, p('multiLabels'));
  const soft = matrix('softLabels', 'Float32Array');
  if (soft)
    assertDistributionRows(soft, classes, functionName, p('softLabels'), { tolerance: 1e-3 });

  if (d.classNames !== undefined) {
    const names = d.classNames;
    if (
      !Array.isArray(names) ||
      names.length !== classes ||
      !names.every((n) => typeof n === 'string')
    ) {
      fail(
        'INVALID_VALUE',
        functionName,
        p('classNames'),
        `${classes} class names`,
        describeValue(names),
      );
    }
  }
  for (const field of options.requires ?? []) {
    if (d[field] === undefined) {
      fail(
        'INVALID_VALUE',
        functionName,
        p(field),
        `present (${parameter} needs \`${field}\`)`,
        'undefined',
      );
    }
  }
}
