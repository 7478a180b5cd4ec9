import {
  assertCandidateRows,
  assertFiniteValues,
  readStateEnvelope,
  stateEnvelope,
  type TensorInput,
} from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { assertLive, isNumberArray, readMatrix, refuseState, toIndices } from './internal/host';
import { HostRows, hostMatrix } from './internal/host-rows';

/** Saved state of a {@link PseudoLabelStore}, from {@link PseudoLabelStore.toJSON}. */
export interface PseudoLabelStoreState {
  kind: 'tailwise.PseudoLabelStore';
  version: 1;
  numSamples: number;
  numClasses: number;
  /** N × C values, row-major. */
  values: number[];
}

const KIND = 'tailwise.PseudoLabelStore';
const KEYS = ['numSamples', 'numClasses', 'values'] as const;

/**
 * Per-sample soft targets (N × C), read and written by sample index — PRODEN's per-sample label
 * confidence, updated every step (docs/methods/000-plr.md, peers).
 *
 * The values live on the host in a Float32Array, not in a `tf.Variable`:
 * - `get` gathers B rows by the host indices every `Batch` carries (`batch.indices`) and uploads
 *   a `[B, C]` tensor: O(B·C) per step. A variable would need `tensorScatterUpdate`, which copies
 *   all N·C entries on every `set`.
 * - `toJSON()` stays synchronous without `dataSync()`, and N·C floats never occupy backend memory
 *   (wasm's heap tops out at 4 GB and never shrinks, docs/performance.md).
 * - The price: `set` reads the new `[B, C]` targets back, so it is async; await it before the
 *   next `get` of the same samples.
 *
 * @example
 * ```ts
 * const store = PseudoLabelStore.fromCandidates(dataset.candidates!, dataset.numClasses);
 * // each step:
 * const targets = store.get(batch.indices);              // [B, C], caller disposes
 * const loss = crossEntropy(targets, logits);
 * const next = prodenPseudoLabels(batch.candidates, logits);
 * await store.set(batch.indices, next);
 * tf.dispose([targets, next]);
 * ```
 */
export class PseudoLabelStore {
  #rows: HostRows;
  #disposed = false;

  /**
   * @param initial N × C initial targets on the host: nested rows, or a flat row-major array
   *   with `numClasses`. Copied; must be finite.
   */
  constructor(initial: ArrayLike<number> | readonly (readonly number[])[], numClasses?: number) {
    const fn = 'PseudoLabelStore';
    const { data, numCols } = hostMatrix(initial, numClasses, fn, 'initial');
    assertFiniteValues(data, fn, 'initial');
    this.#rows = new HostRows(data, numCols);
  }

  /**
   * A store that starts uniform over each candidate set, `w_ij = S_ij / Σ_j S_ij` (PRODEN's and
   * Solar's initialisation). Refuses a row without a candidate (`EMPTY_CANDIDATE_SET`).
   *
   * @param candidates N × C 0/1 candidate sets: nested rows or a flat array (e.g.
   *   `Dataset.candidates`) with `numClasses`.
   */
  static fromCandidates(
    candidates: ArrayLike<number> | readonly (readonly number[])[],
    numClasses?: number,
  ): PseudoLabelStore {
    const fn = 'PseudoLabelStore.fromCandidates';
    const { data, numCols } = hostMatrix(candidates, numClasses, fn, 'candidates');
    assertCandidateRows(data, numCols, fn, 'candidates');
    for (let r = 0; r < data.length / numCols; r++) {
      const row = data.subarray(r * numCols, (r + 1) * numCols);
      const count = row.reduce((a, b) => a + b, 0);
      for (let c = 0; c < numCols; c++) row[c] = row[c]! / count;
    }
    return new PseudoLabelStore(data, numCols);
  }

  /** Number of samples N. */
  get numSamples(): number {
    return this.#rows.numRows;
  }

  /** Number of classes C. */
  get numClasses(): number {
    return this.#rows.numCols;
  }

  /** A copy of all N × C values, row-major. */
  get value(): Float32Array {
    assertLive(this.#disposed, 'PseudoLabelStore.value', 'store');
    return this.#rows.data.slice();
  }

  /**
   * The targets of the samples at `indices` (host integers in [0, N), e.g. `batch.indices`).
   * @returns a new `[B, C]` float32 tensor owned by the caller.
   */
  get(indices: ArrayLike<number>): tf.Tensor2D {
    const fn = 'PseudoLabelStore.get';
    assertLive(this.#disposed, fn, 'store');
    return this.#rows.gather(toIndices(indices, this.numSamples, fn));
  }

  /**
   * Replaces the targets of the samples at `indices` by the rows of `values` (`[B, C]`, finite).
   * Reads `values` back to the host (async); a repeated index keeps its last row. Does not take
   * ownership of `values`.
   */
  async set(indices: ArrayLike<number>, values: TensorInput): Promise<void> {
    const fn = 'PseudoLabelStore.set';
    assertLive(this.#disposed, fn, 'store');
    const idx = toIndices(indices, this.numSamples, fn);
    const read = await readMatrix(values, idx.length, this.numClasses, fn, 'values');
    assertFiniteValues(read.values, fn, 'values');
    assertLive(this.#disposed, fn, 'store');
    this.#rows.scatter(idx, read.values);
  }

  /** Releases the values; any later use throws `INVALID_STATE`. Holds no tensors. */
  dispose(): void {
    this.#rows = new HostRows(new Float32Array(0), this.#rows.numCols);
    this.#disposed = true;
  }

  /** Plain-JSON state for checkpoints; restore with {@link PseudoLabelStore.fromJSON}. */
  toJSON(): PseudoLabelStoreState {
    assertLive(this.#disposed, 'PseudoLabelStore.toJSON', 'store');
    return stateEnvelope(KIND, 1, {
      numSamples: this.numSamples,
      numClasses: this.numClasses,
      values: Array.from(this.#rows.data),
    }) as PseudoLabelStoreState;
  }

  /** Restores a store from {@link PseudoLabelStore.toJSON}; refuses state it does not recognise. */
  static fromJSON(state: unknown): PseudoLabelStore {
    const fn = 'PseudoLabelStore.fromJSON';
    const expected = `a ${KIND} version 1 state from PseudoLabelStore.toJSON()`;
    const s = readStateEnvelope(state, KIND, 1, fn, KEYS);
    const { numSamples, numClasses, values } = s;
    const sizesOk =
      typeof numSamples === 'number' &&
      Number.isInteger(numSamples) &&
      numSamples >= 0 &&
      typeof numClasses === 'number' &&
      Number.isInteger(numClasses) &&
      numClasses >= 1;
    if (!sizesOk || !isNumberArray(values, (numSamples as number) * (numClasses as number))) {
      refuseState(
        fn,
        expected,
        'a state whose values are not numSamples × numClasses finite numbers',
      );
    }
    return new PseudoLabelStore(values as number[], numClasses as number);
  }
}

/**
 * Creates a {@link PseudoLabelStore} from `[N, C]` initial targets given as a tensor (read back
 * once, hence async) or host data.
 *
 * @example
 * ```ts
 * const store = await createPseudoLabelStore(tf.div(S, tf.sum(S, 1, true)));
 * ```
 */
export async function createPseudoLabelStore(initial: TensorInput): Promise<PseudoLabelStore> {
  const { values, cols } = await readMatrix(
    initial,
    null,
    null,
    'createPseudoLabelStore',
    'initial',
  );
  assertFiniteValues(values, 'createPseudoLabelStore', 'initial');
  return new PseudoLabelStore(values, cols);
}
