import {
  assertDistribution,
  assertNumber,
  assertShape,
  describeValue,
  fail,
  readStateEnvelope,
  stateEnvelope,
  stopGradient,
  TailwiseError,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link EmaPrior}. */
export interface EmaPriorOptions {
  /** Number of classes C (integer ≥ 1). */
  numClasses: number;
  /**
   * Weight of the old value, in [0, 1]: `value ← momentum·value + (1 − momentum)·estimate`.
   * PLR/Solar's μ weighs the new estimate, so pass `momentum = 1 − μ` (e.g. 0.99 for μ = 0.01);
   * UDAL's `p̂` uses 0.999.
   */
  momentum: number;
  /** Starting distribution `[C]`. Default uniform `1/C`. Copied; the caller keeps ownership. */
  initial?: TensorInput;
}

/** Saved state of an {@link EmaPrior}, from {@link EmaPrior.toJSON}. */
export interface EmaPriorJSON {
  kind: 'tailwise.EmaPrior';
  version: 1;
  numClasses: number;
  momentum: number;
  /** Number of updates applied so far. */
  updates: number;
  value: number[];
}

const KIND = 'tailwise.EmaPrior';
const KEYS = ['numClasses', 'momentum', 'updates', 'value'] as const;

function refuse(reason: string): never {
  throw new TailwiseError(
    'INVALID_FORMAT',
    `EmaPrior.fromJSON: expected \`json\` to be a saved EmaPrior (from EmaPrior.toJSON()), got ${reason}`,
    { functionName: 'EmaPrior.fromJSON', parameter: 'json' },
  );
}

/**
 * Exponential moving average of a class distribution:
 * `value ← momentum·value + (1 − momentum)·estimate`, starting uniform.
 *
 * - PLR prior r (paper 000, eq. 6, docs/methods/000-plr.md): update once per epoch with
 *   {@link argmaxDistribution} over the training set; the paper's μ weighs the **new**
 *   estimate (as in Solar), so `momentum = 1 − μ`.
 * - UDAL `p̂` (paper 004, Algorithm 1, docs/methods/004-udal.md): `momentum: 0.999`, update every step
 *   with {@link meanDistribution} of the weak-view softmax on unlabeled data.
 *
 * `value` is a kept `[C]` float32 tensor **owned by the prior**: do not dispose it; it stays
 * valid until the next {@link EmaPrior.update} or {@link EmaPrior.dispose}, so read it anew
 * every step. Updates are computed without gradient and never read tensor data.
 *
 * @example
 * ```ts
 * const pHat = new EmaPrior({ numClasses: 10, momentum: 0.999 });
 * // each step:
 * tf.tidy(() => pHat.update(meanDistribution(tf.softmax(weakLogits))));
 * const adjustment = logitAdjustment(pHat.value, target);
 * // checkpoint:
 * const saved = await pHat.toJSON();
 * const restored = EmaPrior.fromJSON(saved);
 * pHat.dispose();
 * ```
 */
export class EmaPrior {
  /** Number of classes C. */
  readonly numClasses: number;
  /** Weight of the old value. */
  readonly momentum: number;
  #value: tf.Tensor1D | undefined;
  #updates = 0;

  constructor(options: EmaPriorOptions) {
    const fn = 'EmaPrior';
    const o = withDefaults<EmaPriorOptions>(
      options,
      {
        numClasses: undefined as unknown as number,
        momentum: undefined as unknown as number,
        initial: undefined,
      },
      fn,
    );
    assertNumber(o.numClasses, { min: 1, integer: true }, fn, 'numClasses');
    assertNumber(o.momentum, { min: 0, max: 1 }, fn, 'momentum');
    this.numClasses = o.numClasses;
    this.momentum = o.momentum;
    const initial = o.initial;
    this.#value = tf.keep(
      tf.tidy(() => {
        if (initial === undefined) return tf.fill([o.numClasses], 1 / o.numClasses) as tf.Tensor1D;
        const t = toTensor(initial, fn, 'initial', 'float32');
        assertShape(t, [o.numClasses], fn, 'initial');
        const host = valuesToCheck(initial);
        if (host !== undefined) assertDistribution(host, fn, 'initial', { length: o.numClasses });
        return stopGradient(t) as tf.Tensor1D;
      }),
    );
  }

  /**
   * The current distribution, a `[C]` float32 tensor owned by the prior (do not dispose).
   * Replaced by each {@link EmaPrior.update}.
   */
  get value(): tf.Tensor1D {
    return this.#alive('EmaPrior.value');
  }

  /** Number of updates applied (restored by {@link EmaPrior.fromJSON}). */
  get updates(): number {
    return this.#updates;
  }

  /** True after {@link EmaPrior.dispose}. */
  get isDisposed(): boolean {
    return this.#value === undefined;
  }

  /**
   * `value ← momentum·value + (1 − momentum)·estimate`, without gradient. `estimate` is a
   * `[C]` distribution (a tensor the caller keeps, or a host array, which is checked). The
   * previous `value` tensor is disposed.
   */
  update(estimate: TensorInput): void {
    const fn = 'EmaPrior.update';
    const old = this.#alive(fn);
    const next = tf.keep(
      tf.tidy(() => {
        const e = toTensor(estimate, fn, 'estimate', 'float32');
        assertShape(e, [this.numClasses], fn, 'estimate');
        const host = valuesToCheck(estimate);
        if (host !== undefined)
          assertDistribution(host, fn, 'estimate', { length: this.numClasses });
        return tf.add(
          tf.mul(old, this.momentum),
          tf.mul(stopGradient(e), 1 - this.momentum),
        ) as tf.Tensor1D;
      }),
    );
    old.dispose();
    this.#value = next;
    this.#updates += 1;
  }

  /** Frees the value tensor. Further use throws `INVALID_STATE`. Idempotent. */
  dispose(): void {
    this.#value?.dispose();
    this.#value = undefined;
  }

  /**
   * Saved state for checkpoints. **Async**: it reads the value tensor with `await data()`
   * (never a blocking read). Await it, then stringify the result:
   * `JSON.stringify(await prior.toJSON())` (`JSON.stringify(prior)` would see a Promise).
   */
  async toJSON(): Promise<EmaPriorJSON> {
    const value = this.#alive('EmaPrior.toJSON');
    const data = await value.data();
    return stateEnvelope(KIND, 1, {
      numClasses: this.numClasses,
      momentum: this.momentum,
      updates: this.#updates,
      value: Array.from(data),
    }) as EmaPriorJSON;
  }

  /**
   * Restores a prior from {@link EmaPrior.toJSON}. Refuses anything else with
   * `INVALID_FORMAT`: another `kind` or `version`, unknown keys, bad numbers, a `value` that
   * is not a distribution over `numClasses` classes.
   */
  static fromJSON(json: unknown): EmaPrior {
    const { numClasses, momentum, updates, value } = readStateEnvelope(
      json,
      KIND,
      1,
      'EmaPrior.fromJSON',
      KEYS,
    );
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
      refuse(`numClasses ${describeValue(numClasses)}`);
    }
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))
      refuse(`momentum ${describeValue(momentum)}`);
    if (typeof updates !== 'number' || !Number.isInteger(updates) || updates < 0)
      refuse(`updates ${describeValue(updates)}`);
    if (
      !Array.isArray(value) ||
      value.length !== numClasses ||
      value.some((v) => typeof v !== 'number')
    ) {
      refuse(`value ${describeValue(value)}`);
    }
    try {
      assertDistribution(value as number[], 'EmaPrior.fromJSON', 'json.value', {
        length: numClasses,
        tolerance: 1e-3,
      });
    } catch {
      refuse(`value ${describeValue(value)}, which is not a distribution`);
    }
    // Through a tensor: the saved float32 sum may drift past the host check's 1e-4 tolerance
    // after many updates; the 1e-3 check above is the one that applies to saved state.
    const initial = tf.tensor1d(value as number[], 'float32');
    const prior = new EmaPrior({ numClasses, momentum, initial });
    initial.dispose();
    prior.#updates = updates;
    return prior;
  }

  #alive(functionName: string): tf.Tensor1D {
    if (this.#value === undefined) {
      fail('INVALID_STATE', functionName, 'this', 'a live EmaPrior', 'a disposed one');
    }
    return this.#value;
  }
}
