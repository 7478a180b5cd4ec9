import {
  assertFiniteValues,
  assertNumber,
  fail,
  readStateEnvelope,
  stateEnvelope,
  type TensorInput,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertLive, isNumberArray, readMatrix, refuseState } from './internal/host';
import { toCandidatesAndLogits } from './internal/inputs';

/** Options of {@link SinkhornQueue}. */
export interface SinkhornQueueOptions {
  /** How many of the latest batches it keeps. Default 64 (Solar). */
  batches?: number;
  /** Number of classes C; taken from the first push when omitted. */
  numClasses?: number;
}

/** Saved state of a {@link SinkhornQueue}, from {@link SinkhornQueue.toJSON}. */
export interface SinkhornQueueState {
  kind: 'tailwise.SinkhornQueue';
  version: 1;
  batches: number;
  numClasses: number | null;
  /** One entry per held batch, oldest first: its `f ⊙ S` rows, row-major. */
  rows: number[][];
}

const KIND = 'tailwise.SinkhornQueue';
const KEYS = ['batches', 'numClasses', 'rows'] as const;

/**
 * The queue of Solar's Sinkhorn step: the `f ⊙ S` rows (softmax times candidates, not
 * renormalized) of the last `batches` batches (64 by default), oldest first.
 *
 * Once full, {@link sinkhornPseudoLabels} solves each batch jointly with the queue's rows, so the
 * column marginals are matched over ~64 batches instead of one (Solar; docs/methods/000-plr.md). The
 * queue does not push itself: push the batch after solving it, as Solar does.
 *
 * The rows live on the host (Float32Array), which keeps `toJSON()` synchronous without
 * `dataSync()`; `push` therefore reads the batch back and is async. The solve uploads the rows
 * once per call.
 *
 * @example
 * ```ts
 * const queue = new SinkhornQueue({ batches: 64 });
 * // each step:
 * const w = sinkhornPseudoLabels(batch.candidates, logits, prior, { queue }); // uses it once full
 * await queue.push(batch.candidates, logits); // then remember this batch
 * ```
 */
export class SinkhornQueue {
  /** Maximum number of batches held. */
  readonly capacity: number;
  #numClasses: number | undefined;
  #batches: Float32Array[] = [];
  #disposed = false;

  constructor(options?: SinkhornQueueOptions) {
    const fn = 'SinkhornQueue';
    const o = withDefaults<SinkhornQueueOptions & { batches: number }>(
      options,
      { batches: 64 },
      fn,
      ['numClasses'],
    );
    assertNumber(o.batches, { min: 1, integer: true }, fn, 'batches');
    if (o.numClasses !== undefined)
      assertNumber(o.numClasses, { min: 1, integer: true }, fn, 'numClasses');
    this.capacity = o.batches;
    this.#numClasses = o.numClasses;
  }

  /** Number of classes C, or `undefined` before the first push when not given. */
  get numClasses(): number | undefined {
    return this.#numClasses;
  }

  /** Number of batches held (at most {@link capacity}). */
  get length(): number {
    return this.#batches.length;
  }

  /** Number of rows held, summed over the held batches. */
  get numRows(): number {
    const c = this.#numClasses ?? 1;
    return this.#batches.reduce((n, b) => n + b.length / c, 0);
  }

  /** True once it holds {@link capacity} batches; from then on the solve uses it. */
  get isFull(): boolean {
    return this.#batches.length === this.capacity;
  }

  /** A copy of the held rows, oldest first, row-major `[numRows, numClasses]`. */
  get value(): Float32Array {
    assertLive(this.#disposed, 'SinkhornQueue.value', 'queue');
    return concatRows(this.#batches);
  }

  /**
   * Appends a batch's `f ⊙ S` rows and drops the oldest batch when over capacity. Call it after
   * solving the batch. Takes the product directly (`[B, C]`, non-negative) or
   * `(candidates, logits)`, from which it computes `softmax(logits) ⊙ candidates`.
   * Reads the rows back to the host (async; await it before the next solve).
   */
  async push(probsTimesCandidates: TensorInput): Promise<void>;
  async push(candidates: TensorInput, logits: TensorInput): Promise<void>;
  async push(first: TensorInput, logits?: TensorInput): Promise<void> {
    const fn = 'SinkhornQueue.push';
    assertLive(this.#disposed, fn, 'queue');
    let input: TensorInput = first;
    let computed: tf.Tensor | undefined;
    if (logits !== undefined) {
      computed = tf.tidy(() => {
        const { candidates: s, logits: l } = toCandidatesAndLogits(first, logits, fn);
        return tf.mul(tf.softmax(l), tf.cast(tf.greater(s, 0), 'float32'));
      });
      input = computed;
    }
    try {
      const parameter = logits === undefined ? 'probsTimesCandidates' : 'logits';
      const { values, cols } = await readMatrix(
        input,
        null,
        this.#numClasses ?? null,
        fn,
        parameter,
      );
      assertFiniteValues(values, fn, parameter);
      for (let i = 0; i < values.length; i++) {
        if (values[i]! < 0)
          fail(
            'INVALID_VALUE',
            fn,
            parameter,
            'non-negative (probabilities times candidates)',
            `${values[i]} at flat index ${i}`,
          );
      }
      this.#numClasses = cols;
      this.#batches.push(values);
      if (this.#batches.length > this.capacity) this.#batches.shift();
    } finally {
      computed?.dispose();
    }
  }

  /** The held rows as a `[numRows, numClasses]` float32 tensor, owned by the caller. */
  toTensor(): tf.Tensor2D {
    assertLive(this.#disposed, 'SinkhornQueue.toTensor', 'queue');
    const c = this.#numClasses ?? 0;
    return tf.tensor2d(concatRows(this.#batches), [c === 0 ? 0 : this.numRows, c]);
  }

  /** Empties the queue (keeps capacity and class count), e.g. at the start of a training stage. */
  reset(): void {
    assertLive(this.#disposed, 'SinkhornQueue.reset', 'queue');
    this.#batches = [];
  }

  /** Releases the rows; any later use throws `INVALID_STATE`. Holds no tensors. */
  dispose(): void {
    this.#batches = [];
    this.#disposed = true;
  }

  /** Plain-JSON state for checkpoints; restore with {@link SinkhornQueue.fromJSON}. */
  toJSON(): SinkhornQueueState {
    assertLive(this.#disposed, 'SinkhornQueue.toJSON', 'queue');
    return stateEnvelope(KIND, 1, {
      batches: this.capacity,
      numClasses: this.#numClasses ?? null,
      rows: this.#batches.map((b) => Array.from(b)),
    }) as SinkhornQueueState;
  }

  /** Restores a queue from {@link SinkhornQueue.toJSON}; refuses state it does not recognise. */
  static fromJSON(state: unknown): SinkhornQueue {
    const fn = 'SinkhornQueue.fromJSON';
    const expected = `a ${KIND} version 1 state from SinkhornQueue.toJSON()`;
    const s = readStateEnvelope(state, KIND, 1, fn, KEYS);
    const { batches, numClasses, rows } = s;
    const countOk = typeof batches === 'number' && Number.isInteger(batches) && batches >= 1;
    const classesOk =
      numClasses === null ||
      (typeof numClasses === 'number' && Number.isInteger(numClasses) && numClasses >= 1);
    if (!countOk || !classesOk || !Array.isArray(rows) || rows.length > (batches as number)) {
      refuseState(fn, expected, 'a state with invalid batches, numClasses or rows');
    }
    const c = numClasses as number | null;
    const held: Float32Array[] = [];
    for (const [i, r] of (rows as unknown[]).entries()) {
      const ok = isNumberArray(r) && c !== null && r.length % c === 0 && r.every((v) => v >= 0);
      if (!ok)
        refuseState(
          fn,
          expected,
          `rows[${i}] that is not an array of non-negative numbers with ${c ?? '?'} columns`,
        );
      held.push(Float32Array.from(r as number[]));
    }
    const queue = new SinkhornQueue(
      c === null ? { batches: batches as number } : { batches: batches as number, numClasses: c },
    );
    queue.#batches = held;
    return queue;
  }
}

function concatRows(batches: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(batches.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of batches) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}
