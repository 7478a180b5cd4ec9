import {
  assertBoolean,
  assertNumber,
  assertRng,
  type Batch,
  type Dataset,
  fail,
  formatShape,
  type Rng,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertDataset, ROW_LABEL_FIELDS, rowLength } from './internal/loaders-dataset';

/** Options of {@link batches}. */
export interface BatchesOptions {
  /** Rows per batch (the last one may be smaller unless `dropLast`). Required. */
  batchSize: number;
  /** Visit the rows in a random order drawn from `rng`. Default `false`. */
  shuffle?: boolean;
  /** Required when `shuffle` is true. */
  rng?: Rng;
  /** Skip a last batch smaller than `batchSize`. Default `false`. */
  dropLast?: boolean;
}

/** Builds one batch's tensors from host rows; on failure frees what it had made. */
function makeBatch(dataset: Dataset, rows: Int32Array, withLabels: boolean): Batch {
  const b = rows.length;
  const d = rowLength(dataset.inputShape);
  const c = dataset.numClasses;
  const src = dataset.features;
  const x = new Float32Array(b * d);
  if (src instanceof Uint8Array) {
    // uint8 pixels become [0, 1] here, per batch, so the dataset itself stays 4× smaller.
    for (let i = 0; i < b; i++) {
      const from = rows[i]! * d;
      const to = i * d;
      for (let j = 0; j < d; j++) x[to + j] = src[from + j]! / 255;
    }
  } else {
    for (let i = 0; i < b; i++) x.set(src.subarray(rows[i]! * d, (rows[i]! + 1) * d), i * d);
  }
  const made: tf.Tensor[] = [];
  try {
    const batch: { -readonly [K in keyof Batch]: Batch[K] } = {
      indices: rows,
      x: keepTrack(made, tf.tensor(x, [b, ...dataset.inputShape], 'float32')),
    };
    if (withLabels && dataset.labels !== undefined) {
      const labels = new Int32Array(b);
      for (let i = 0; i < b; i++) labels[i] = dataset.labels[rows[i]!]!;
      batch.labels = keepTrack(made, tf.tensor1d(labels, 'int32'));
    }
    if (withLabels) {
      for (const field of ROW_LABEL_FIELDS) {
        const values = dataset[field];
        if (values === undefined) continue;
        const out = new Float32Array(b * c);
        for (let i = 0; i < b; i++) {
          const from = rows[i]! * c;
          for (let j = 0; j < c; j++) out[i * c + j] = values[from + j]!;
        }
        batch[field] = keepTrack(made, tf.tensor2d(out, [b, c], 'float32'));
      }
    }
    return batch;
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
}

/** The tensors of a batch (core's `Batch` is an interface, which `tf.dispose` won't take). */
function tensorsOf(batch: Batch): tf.Tensor[] {
  return Object.values(batch).filter((v): v is tf.Tensor => v instanceof tf.Tensor);
}

function keepTrack<T extends tf.Tensor>(made: tf.Tensor[], t: T): T {
  made.push(t);
  return t;
}

function* epochOf(
  dataset: Dataset,
  order: Int32Array,
  batchSize: number,
  dropLast: boolean,
): Generator<Batch, void, undefined> {
  const n = order.length;
  const end = dropLast ? n - (n % batchSize) : n;
  for (let start = 0; start < end; start += batchSize) {
    // Tensors are created only when the consumer asks for the batch, so abandoning the
    // loop (break, throw) leaves nothing allocated behind.
    yield makeBatch(dataset, order.slice(start, Math.min(start + batchSize, end)), true);
  }
}

/**
 * One epoch of mini-batches over `dataset`, as tensors created lazily per batch:
 * `x` is `[B, ...inputShape]` float32 (uint8 features divided by 255, float32 copied),
 * `indices` the rows' numbers in `dataset` (for per-sample stores), and every label field the
 * dataset has becomes a tensor: `labels` int32 `[B]`, `candidates` / `multiLabels` /
 * `softLabels` float32 `[B, C]`.
 *
 * Each call is one pass: every row appears exactly once (or, with `dropLast`, all but the
 * last `size mod batchSize` rows of the order). With `shuffle` the order is
 * `rng.permutation(size)`, so calling it again with the same `rng` gives the next epoch's
 * order. Options are checked when called, not when iteration starts.
 *
 * @example
 * ```ts
 * for (const batch of batches(train, { batchSize: 128, shuffle: true, rng })) {
 *   const loss = optimizer.minimize(() => crossEntropy(batch.labels!, model.apply(batch.x)), true);
 *   tf.dispose([batch, loss]);
 * }
 * ```
 * @returns a generator; **each yielded batch's tensors belong to the caller**
 * (`tf.dispose(batch)`). Leaving the loop early leaks nothing: no tensor exists before
 * it is yielded.
 */
export function batches(
  dataset: Dataset,
  options: BatchesOptions,
): Generator<Batch, void, undefined> {
  const fn = 'batches';
  assertDataset(dataset, fn);
  const opts = withDefaults<{
    batchSize: number | undefined;
    shuffle: boolean;
    rng: Rng | undefined;
    dropLast: boolean;
  }>(options, { batchSize: undefined, shuffle: false, rng: undefined, dropLast: false }, fn);
  assertNumber(opts.batchSize, { min: 1, integer: true }, fn, 'batchSize');
  assertBoolean(opts.shuffle, fn, 'shuffle');
  assertBoolean(opts.dropLast, fn, 'dropLast');
  let order: Int32Array;
  if (opts.shuffle) {
    if (opts.rng === undefined)
      fail(
        'INVALID_OPTION',
        fn,
        'rng',
        'an Rng from createRng(seed) when `shuffle` is true',
        'undefined',
      );
    assertRng(opts.rng, fn);
    order = Int32Array.from(opts.rng.permutation(dataset.size));
  } else {
    if (opts.rng !== undefined) assertRng(opts.rng, fn);
    order = Int32Array.from({ length: dataset.size }, (_, i) => i);
  }
  return epochOf(dataset, order, opts.batchSize, opts.dropLast);
}

/** Options of {@link sslBatches}. */
export interface SslBatchesOptions {
  /** Labeled rows per step (B). Required; at most the labeled set's size. */
  batchSize: number;
  /** μ: unlabeled rows per labeled row; each step has μ·B unlabeled rows. Default 7. */
  mu?: number;
  /** Draws both orders (split into two streams). Required. */
  rng: Rng;
  /**
   * Also put the unlabeled rows' label fields into the unlabeled batches, for evaluation
   * only (e.g. pseudo-label accuracy). Default `false`: a trainer cannot read them by mistake.
   */
  unlabeledLabels?: boolean;
}

/** One step of semi-supervised training: B labeled rows and μ·B unlabeled rows. */
export type SslBatch = {
  readonly labeled: Batch;
  readonly unlabeled: Batch;
};

/**
 * One epoch of FixMatch-style steps (Sohn et al., 2020; UDAL paper 004, Sec. 4.3: unlabeled
 * ratio μ = 7): one shuffled pass over the labeled set in batches of B (the last partial
 * batch is dropped), each paired with μ·B unlabeled rows taken cyclically from a shuffled
 * order of the unlabeled set that is reshuffled whenever it runs out (its own rng stream).
 *
 * `labeled` carries every label field; `unlabeled` carries only `x` and `indices` unless
 * `unlabeledLabels` is set. `indices` are row numbers in their own dataset. Both datasets
 * must have the same `inputShape` and `numClasses` (`SHAPE_MISMATCH` otherwise).
 *
 * @example
 * ```ts
 * for (const { labeled, unlabeled } of sslBatches(lab, unlab, { batchSize: 64, mu: 7, rng })) {
 *   // weak/strong views of unlabeled.x, CE on labeled …
 *   tf.dispose([labeled, unlabeled]);
 * }
 * ```
 * @returns a generator; **each step's tensors belong to the caller** (`tf.dispose(step)`).
 * Leaving the loop early leaks nothing.
 */
export function sslBatches(
  labeled: Dataset,
  unlabeled: Dataset,
  options: SslBatchesOptions,
): Generator<SslBatch, void, undefined> {
  const fn = 'sslBatches';
  assertDataset(labeled, fn, 'labeled');
  assertDataset(unlabeled, fn, 'unlabeled');
  const opts = withDefaults<{
    batchSize: number | undefined;
    mu: number;
    rng: Rng | undefined;
    unlabeledLabels: boolean;
  }>(options, { batchSize: undefined, mu: 7, rng: undefined, unlabeledLabels: false }, fn);
  assertNumber(opts.batchSize, { min: 1, max: labeled.size, integer: true }, fn, 'batchSize');
  assertNumber(opts.mu, { min: 1, integer: true }, fn, 'mu');
  assertRng(opts.rng, fn);
  assertBoolean(opts.unlabeledLabels, fn, 'unlabeledLabels');
  if (unlabeled.size === 0)
    fail('INVALID_VALUE', fn, 'unlabeled', 'a dataset with at least one row', '0 rows');
  const sameShape =
    labeled.inputShape.length === unlabeled.inputShape.length &&
    labeled.inputShape.every((s, i) => s === unlabeled.inputShape[i]);
  if (!sameShape) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'unlabeled',
      `a dataset of inputShape ${formatShape(labeled.inputShape)} like \`labeled\``,
      formatShape(unlabeled.inputShape),
    );
  }
  if (labeled.numClasses !== unlabeled.numClasses) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'unlabeled',
      `a dataset of ${labeled.numClasses} classes like \`labeled\``,
      `${unlabeled.numClasses}`,
    );
  }
  const labeledRng = opts.rng.split();
  const unlabeledRng = opts.rng.split();
  const labeledOrder = Int32Array.from(labeledRng.permutation(labeled.size));
  return sslEpoch(
    labeled,
    unlabeled,
    labeledOrder,
    unlabeledRng,
    opts.batchSize,
    opts.mu,
    opts.unlabeledLabels,
  );
}

function* sslEpoch(
  labeled: Dataset,
  unlabeled: Dataset,
  labeledOrder: Int32Array,
  unlabeledRng: Rng,
  batchSize: number,
  mu: number,
  unlabeledLabels: boolean,
): Generator<SslBatch, void, undefined> {
  const steps = Math.floor(labeled.size / batchSize);
  const perStep = mu * batchSize;
  let pool = unlabeledRng.permutation(unlabeled.size);
  let cursor = 0;
  for (let step = 0; step < steps; step++) {
    const rows = new Int32Array(perStep);
    for (let i = 0; i < perStep; i++) {
      if (cursor === pool.length) {
        pool = unlabeledRng.permutation(unlabeled.size);
        cursor = 0;
      }
      rows[i] = pool[cursor++]!;
    }
    const l = makeBatch(
      labeled,
      labeledOrder.slice(step * batchSize, (step + 1) * batchSize),
      true,
    );
    let u: Batch;
    try {
      u = makeBatch(unlabeled, rows, unlabeledLabels);
    } catch (error) {
      tf.dispose(tensorsOf(l));
      throw error;
    }
    yield { labeled: l, unlabeled: u };
  }
}
