import { type Dataset, describeValue, fail, withDefaults } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** How `y` becomes the dataset's labels (see {@link datasetFromTensors}). */
export type TargetKind = 'auto' | 'indices' | 'one-hot' | 'multi-label' | 'soft';

/** Options of {@link datasetFromTensors} and {@link datasetFromTfData}. */
export interface FromTensorsOptions {
  /** Dataset name. Default `'tensors'` / `'tf.data'`. */
  name?: string;
  /** Number of classes. Default: `y`'s width, or the largest index + 1 for `[N]` indices. */
  numClasses?: number;
  /** How to read `y`. Default `'auto'`. */
  targets?: TargetKind;
  /** Class names, one per class. */
  classNames?: readonly string[];
}

/** A `tf.data.Dataset` as tailwise sees it: anything with tf.data's async `iterator()`. */
export interface TfDataLike {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
}

/** Options of {@link datasetFromTfData}. */
export interface FromTfDataOptions extends FromTensorsOptions {
  /**
   * Whether each element is a batch (`ds.batch(n)`: `xs` `[B, …]`) rather than one sample
   * (`xs` `[…]`). Default false.
   */
  batched?: boolean;
}

const isTensor = (x: unknown): x is tf.Tensor => x instanceof tf.Tensor;

function readTargets(
  y: tf.TypedArray,
  shape: readonly number[],
  o: Required<Omit<FromTensorsOptions, 'classNames' | 'name' | 'numClasses'>> & {
    numClasses: number | undefined;
  },
  fn: string,
): Pick<Dataset, 'numClasses' | 'labels' | 'multiLabels' | 'softLabels'> {
  const n = shape[0]!;
  if (shape.length === 1) {
    if (o.targets !== 'auto' && o.targets !== 'indices')
      fail(
        'SHAPE_MISMATCH',
        fn,
        'y',
        `a rank-2 [N, C] tensor for targets '${o.targets}'`,
        `shape [${shape.join(', ')}]`,
      );
    let largest = -1;
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (!Number.isInteger(v) || v < 0)
        fail(
          'INVALID_VALUE',
          fn,
          'y',
          'class indices (non-negative integers)',
          `${v} at index ${i}`,
        );
      largest = Math.max(largest, v);
    }
    const numClasses = o.numClasses ?? largest + 1;
    if (largest >= numClasses)
      fail('INVALID_VALUE', fn, 'y', `class indices below numClasses ${numClasses}`, `${largest}`);
    return { numClasses, labels: Int32Array.from(y) };
  }
  if (shape.length !== 2)
    fail(
      'SHAPE_MISMATCH',
      fn,
      'y',
      'a rank-1 [N] or rank-2 [N, C] tensor',
      `shape [${shape.join(', ')}]`,
    );
  const c = shape[1]!;
  if (o.numClasses !== undefined && o.numClasses !== c)
    fail('SHAPE_MISMATCH', fn, 'y', `${o.numClasses} columns (numClasses)`, `${c}`);
  const row = (r: number) => y.subarray(r * c, (r + 1) * c);
  const oneHot = () => {
    for (let r = 0; r < n; r++) {
      let ones = 0;
      for (const v of row(r)) {
        if (v === 1) ones++;
        else if (v !== 0) return false;
      }
      if (ones !== 1) return false;
    }
    return true;
  };
  const states = () => y.every((v) => v === 1 || v === 0 || v === -1);
  const soft = () => {
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (const v of row(r)) {
        if (!(v >= 0)) return false;
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-4) return false;
    }
    return true;
  };
  const kind =
    o.targets !== 'auto'
      ? o.targets
      : oneHot()
        ? 'one-hot'
        : states()
          ? 'multi-label'
          : soft()
            ? 'soft'
            : undefined;
  if (kind === 'one-hot' && oneHot()) {
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) labels[r] = row(r).indexOf(1);
    return { numClasses: c, labels };
  }
  if (kind === 'multi-label' && states())
    return { numClasses: c, multiLabels: Float32Array.from(y) };
  if (kind === 'soft' && soft()) return { numClasses: c, softLabels: Float32Array.from(y) };
  return fail(
    'INVALID_VALUE',
    fn,
    'y',
    kind === undefined || kind === 'indices'
      ? 'one-hot rows, multi-label rows in {1, 0, −1}, or rows of probabilities summing to 1'
      : `${kind} rows`,
    'rows that are none of these',
  );
}

/**
 * A tailwise {@link Dataset} from plain tensors, for training through the `Trainer`: `x`
 * `[N, ...inputShape]` (any numeric dtype; stored as float32 values, used as they are — scale
 * pixels to [0, 1] first) and `y`, read as
 *
 * - `[N]` integers: class indices (`labels`);
 * - `[N, C]`: one-hot rows (`labels`), else rows in {1, 0, −1} (`multiLabels`), else rows of
 *   probabilities summing to 1 (`softLabels`) — or the kind named by `targets`.
 *
 * Each tensor is read once (`await data()`); the caller keeps ownership of them.
 *
 * @example
 * ```ts
 * const train = await datasetFromTensors(xs, ys); // xs [N, 28, 28, 1], ys [N] int32
 * ```
 * @throws `SHAPE_MISMATCH` when `x` and `y` disagree on N or have the wrong rank,
 *   `INVALID_VALUE` for targets of no kind, `NON_FINITE` for NaN/Inf features.
 */
export async function datasetFromTensors(
  x: tf.Tensor,
  y: tf.Tensor,
  options: FromTensorsOptions = {},
): Promise<Dataset> {
  const fn = 'datasetFromTensors';
  return fromTensorsNamed(x, y, options, fn, 'tensors');
}

async function fromTensorsNamed(
  x: unknown,
  y: unknown,
  options: FromTensorsOptions,
  fn: string,
  defaultName: string,
): Promise<Dataset> {
  const o = withDefaults<{
    name: string;
    numClasses: number | undefined;
    targets: TargetKind;
    classNames: readonly string[] | undefined;
  }>(
    options,
    { name: defaultName, numClasses: undefined, targets: 'auto', classNames: undefined },
    fn,
  );
  if (!isTensor(x)) fail('INVALID_VALUE', fn, 'x', 'a tensor', describeValue(x));
  if (!isTensor(y)) fail('INVALID_VALUE', fn, 'y', 'a tensor', describeValue(y));
  if (x.rank < 2)
    fail('SHAPE_MISMATCH', fn, 'x', 'a tensor [N, ...inputShape]', `shape [${x.shape.join(', ')}]`);
  if (y.shape[0] !== x.shape[0])
    fail('SHAPE_MISMATCH', fn, 'y', `${x.shape[0]} rows (one per row of x)`, `${y.shape[0]}`);
  const [xv, yv] = await Promise.all([x.data(), y.data()]);
  const features = Float32Array.from(xv);
  for (let i = 0; i < features.length; i++) {
    if (!Number.isFinite(features[i]!))
      fail('NON_FINITE', fn, 'x', 'finite features', `${features[i]} at flat index ${i}`);
  }
  const targets = readTargets(yv, y.shape, { targets: o.targets, numClasses: o.numClasses }, fn);
  if (o.classNames !== undefined && o.classNames.length !== targets.numClasses)
    fail(
      'SHAPE_MISMATCH',
      fn,
      'classNames',
      `${targets.numClasses} names`,
      `${o.classNames.length}`,
    );
  return {
    name: o.name,
    size: x.shape[0]!,
    inputShape: x.shape.slice(1),
    features,
    ...targets,
    ...(o.classNames ? { classNames: [...o.classNames] } : {}),
  };
}

/**
 * A tailwise {@link Dataset} from a `tf.data.Dataset` of `{ xs, ys }` elements (one sample per
 * element, or batches with `batched: true`), read to the end once and converted as
 * {@link datasetFromTensors} converts `(xs, ys)`. Tensors of the elements are disposed after
 * they are copied.
 *
 * @example
 * ```ts
 * const ds = tfData.array(samples).map(({ image, label }) => ({ xs: image, ys: label }));
 * const train = await datasetFromTfData(ds);
 * ```
 * @throws `INVALID_VALUE` for an element without tensor `xs` and `ys`, or an empty dataset;
 *   otherwise as {@link datasetFromTensors}.
 */
export async function datasetFromTfData(
  ds: TfDataLike,
  options: FromTfDataOptions = {},
): Promise<Dataset> {
  const fn = 'datasetFromTfData';
  if (typeof (ds as Partial<TfDataLike>)?.iterator !== 'function')
    fail(
      'INVALID_VALUE',
      fn,
      'ds',
      'a tf.data.Dataset (an object with iterator())',
      describeValue(ds),
    );
  const { batched = false, ...rest } = options;
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  try {
    const it = await ds.iterator();
    for (let k = 0; ; k++) {
      const { value, done } = await it.next();
      if (done) break;
      const e = value as { xs?: unknown; ys?: unknown };
      if (!isTensor(e?.xs) || !isTensor(e?.ys))
        fail(
          'INVALID_VALUE',
          fn,
          'ds',
          'elements { xs: tf.Tensor, ys: tf.Tensor }',
          `${describeValue(value)} at element ${k}`,
        );
      xs.push(e.xs);
      ys.push(e.ys);
    }
    if (xs.length === 0) fail('INVALID_VALUE', fn, 'ds', 'at least one element', 'none');
    const x = batched ? tf.concat(xs, 0) : tf.stack(xs);
    const y = batched ? tf.concat(ys, 0) : tf.stack(ys);
    try {
      return await fromTensorsNamed(x, y, { name: 'tf.data', ...rest }, fn, 'tf.data');
    } finally {
      tf.dispose([x, y]);
    }
  } finally {
    tf.dispose([...xs, ...ys]);
  }
}
