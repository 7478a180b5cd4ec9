import {
  assertFiniteValues,
  assertNumber,
  assertValuesIn,
  readStateEnvelope,
  stateEnvelope,
  type TensorInput,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertLive, isNumberArray, readMatrix, refuseState, toIndices } from './internal/host';
import { HostRows, hostMatrix } from './internal/host-rows';

/** Options of {@link MultiLabelPseudoLabelStore}. */
export interface MultiLabelPseudoLabelStoreOptions {
  /** Starting pseudo-label of every unknown entry. Default 0.5 (paper 001, eq. 5). */
  initial?: number;
}

/** Saved state of a {@link MultiLabelPseudoLabelStore}. */
export interface MultiLabelPseudoLabelStoreState {
  kind: 'tailwise.MultiLabelPseudoLabelStore';
  version: 1;
  numSamples: number;
  numClasses: number;
  /** N × C label state in {1, 0, −1}, row-major. */
  labels: number[];
  /** N × C targets (labels where known, pseudo-labels where unknown), row-major. */
  values: number[];
}

const KIND = 'tailwise.MultiLabelPseudoLabelStore';
const KEYS = ['numSamples', 'numClasses', 'labels', 'values'] as const;

/**
 * Per-sample multi-label targets for partially annotated data: known entries keep their label
 * (1 or 0), unknown entries (−1) carry a pseudo-label that starts at 0.5 and is replaced by the
 * model's sigmoid output each time the sample is in a training batch.
 *
 * `ỹ_ij = 0.5` initially; after a step, `ỹ_ij ← σ(logit_ij)` for the batch's unknown entries —
 * paper 001 eq. 5; docs/methods/001-partial-annotations.md, "Pseudo-labels". Host-backed like {@link PseudoLabelStore} (same reasons),
 * so {@link update} reads the batch's sigmoid outputs back and is async.
 *
 * @example
 * ```ts
 * const store = new MultiLabelPseudoLabelStore(dataset.multiLabels!, dataset.numClasses);
 * const targets = store.get(batch.indices);          // [B, C]: labels where known, ỹ elsewhere
 * const loss = partialAnnotationLoss(batch.multiLabels, targets, logits, { epoch, totalEpochs, selected });
 * await store.update(batch.indices, logits);         // after the optimizer step, no gradient
 * ```
 */
export class MultiLabelPseudoLabelStore {
  #labels: Int8Array;
  #rows: HostRows;
  #disposed = false;

  /**
   * @param labels N × C label state in {1, 0, −1} (positive, negative, unknown): nested rows, or
   *   a flat row-major array (e.g. `Dataset.multiLabels`) with `numClasses`.
   */
  constructor(
    labels: ArrayLike<number> | readonly (readonly number[])[],
    numClasses?: number,
    options?: MultiLabelPseudoLabelStoreOptions,
  ) {
    const fn = 'MultiLabelPseudoLabelStore';
    const { initial } = withDefaults(options, { initial: 0.5 }, fn);
    assertNumber(initial, { min: 0, max: 1 }, fn, 'initial');
    const { data, numCols } = hostMatrix(labels, numClasses, fn, 'labels');
    assertValuesIn(data, [1, 0, -1], fn, 'labels');
    this.#labels = Int8Array.from(data);
    this.#rows = new HostRows(
      data.map((y) => (y === -1 ? initial : y)),
      numCols,
    );
  }

  /** Number of samples N. */
  get numSamples(): number {
    return this.#rows.numRows;
  }

  /** Number of classes C. */
  get numClasses(): number {
    return this.#rows.numCols;
  }

  /** A copy of all N × C targets (labels where known, pseudo-labels where unknown), row-major. */
  get value(): Float32Array {
    assertLive(this.#disposed, 'MultiLabelPseudoLabelStore.value', 'store');
    return this.#rows.data.slice();
  }

  /**
   * The targets of the samples at `indices` (host integers in [0, N)): the label where known,
   * the pseudo-label where unknown.
   * @returns a new `[B, C]` float32 tensor owned by the caller.
   */
  get(indices: ArrayLike<number>): tf.Tensor2D {
    const fn = 'MultiLabelPseudoLabelStore.get';
    assertLive(this.#disposed, fn, 'store');
    return this.#rows.gather(toIndices(indices, this.numSamples, fn));
  }

  /**
   * Sets the unknown entries of the samples at `indices` to `sigmoid(logits)` (`[B, C]`); known
   * entries are left alone. Computed without gradient and read back to the host (async). Does
   * not take ownership of `logits`.
   */
  async update(indices: ArrayLike<number>, logits: TensorInput): Promise<void> {
    const fn = 'MultiLabelPseudoLabelStore.update';
    assertLive(this.#disposed, fn, 'store');
    const idx = toIndices(indices, this.numSamples, fn);
    const probs = tf.tidy(() => tf.sigmoid(toTensor(logits, fn, 'logits', 'float32')));
    let read: { values: Float32Array };
    try {
      read = await readMatrix(probs, idx.length, this.numClasses, fn, 'logits');
    } finally {
      probs.dispose();
    }
    assertFiniteValues(read.values, fn, 'logits');
    assertLive(this.#disposed, fn, 'store');
    const c = this.numClasses;
    const data = this.#rows.data;
    for (let i = 0; i < idx.length; i++) {
      const base = idx[i]! * c;
      for (let j = 0; j < c; j++) {
        if (this.#labels[base + j] === -1) data[base + j] = read.values[i * c + j]!;
      }
    }
  }

  /** Releases the values; any later use throws `INVALID_STATE`. Holds no tensors. */
  dispose(): void {
    this.#rows = new HostRows(new Float32Array(0), this.#rows.numCols);
    this.#labels = new Int8Array(0);
    this.#disposed = true;
  }

  /** Plain-JSON state for checkpoints; restore with {@link MultiLabelPseudoLabelStore.fromJSON}. */
  toJSON(): MultiLabelPseudoLabelStoreState {
    assertLive(this.#disposed, 'MultiLabelPseudoLabelStore.toJSON', 'store');
    return stateEnvelope(KIND, 1, {
      numSamples: this.numSamples,
      numClasses: this.numClasses,
      labels: Array.from(this.#labels),
      values: Array.from(this.#rows.data),
    }) as MultiLabelPseudoLabelStoreState;
  }

  /** Restores a store from {@link MultiLabelPseudoLabelStore.toJSON}; refuses unknown state. */
  static fromJSON(state: unknown): MultiLabelPseudoLabelStore {
    const fn = 'MultiLabelPseudoLabelStore.fromJSON';
    const expected = `a ${KIND} version 1 state from MultiLabelPseudoLabelStore.toJSON()`;
    const s = readStateEnvelope(state, KIND, 1, fn, KEYS);
    const { numSamples, numClasses, labels, values } = s;
    const sizesOk =
      typeof numSamples === 'number' &&
      Number.isInteger(numSamples) &&
      numSamples >= 0 &&
      typeof numClasses === 'number' &&
      Number.isInteger(numClasses) &&
      numClasses >= 1;
    const n = sizesOk ? (numSamples as number) * (numClasses as number) : -1;
    const ok =
      sizesOk &&
      isNumberArray(labels, n) &&
      labels.every((y) => y === 1 || y === 0 || y === -1) &&
      isNumberArray(values, n) &&
      values.every((v, i) => v >= 0 && v <= 1 && (labels[i] === -1 || v === labels[i]));
    if (!ok) {
      refuseState(
        fn,
        expected,
        'a state whose labels or values do not match numSamples × numClasses, labels in {1, 0, −1} and values in [0, 1] equal to the known labels',
      );
    }
    const store = new MultiLabelPseudoLabelStore(labels as number[], numClasses as number);
    store.#rows.data.set(values as number[]);
    return store;
  }
}
