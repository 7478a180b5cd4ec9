import {
  assertBoolean,
  assertNumber,
  assertOneOf,
  assertShape,
  describeValue,
  fail,
  readStateEnvelope,
  stateEnvelope,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Classifier } from './classifier';

/** Options of {@link EmaWeights}. */
export interface EmaWeightsOptions {
  /** Decay of the average, `ema ← decay·ema + (1 − decay)·w`, in [0, 1]. Default 0.999. */
  decay?: number;
  /**
   * Warm-up: use `min(decay, (1 + t)/(10 + t))` at update t (0-based), so early weights
   * are not averaged with the random initialization for thousands of steps (TensorFlow's
   * `ExponentialMovingAverage` with `num_updates`). Default false.
   */
  warmup?: boolean;
  /**
   * What happens to the non-trainable weights (batch norm moving statistics):
   * `'copy'` (default) copies them at every update; `'average'` averages them like the
   * others.
   */
  buffers?: 'copy' | 'average';
}

/** Saved state of {@link EmaWeights}, from {@link EmaWeights.toJSONAsync}. */
export interface EmaWeightsJSON {
  kind: 'tailwise.EmaWeights';
  version: 1;
  decay: number;
  warmup: boolean;
  buffers: 'copy' | 'average';
  /** Number of updates done. */
  step: number;
  weights: { shape: number[]; values: number[] }[];
}

const KIND = 'tailwise.EmaWeights';
const KEYS = ['decay', 'warmup', 'buffers', 'step', 'weights'] as const;

/** `decay·ema + (1 − decay)·w`. */
function emaStep_(ema: tf.Tensor, w: tf.Tensor, decay: number): tf.Tensor {
  return tf.add(tf.mul(ema, decay), tf.mul(w, 1 - decay));
}
const emaStep = /* @__PURE__ */ tf.op({ emaStep_ });

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * An exponential moving average of a classifier's weights, for evaluation with averaged
 * weights (FixMatch and UDAL evaluate with an EMA of decay 0.999, docs/methods/004-udal.md).
 *
 * Call {@link EmaWeights.update} after each optimizer step:
 * `ema ← decay·ema + (1 − decay)·w` for every trainable weight, the average starting at
 * the weights the classifier has when the `EmaWeights` is created. Evaluate with
 * {@link EmaWeights.withEma}, which swaps the averaged weights into the classifier for the
 * duration of a function and restores the training weights afterwards, even if it throws.
 *
 * Batch norm moving statistics are copied by default (`buffers: 'copy'`), as FixMatch's
 * PyTorch reference does: they are already moving averages over batches, so averaging
 * them again only adds lag; `'average'` treats them like the other weights (timm's
 * `ModelEmaV2`).
 *
 * Ownership: the `EmaWeights` owns its averaged copies (`dispose()` frees them) and does
 * not own the classifier.
 *
 * @example
 * ```ts
 * const ema = new EmaWeights(classifier, { decay: 0.999 });
 * for (const batch of batches) {
 *   optimizer.minimize(() => loss(batch), false, classifier.trainableVariables);
 *   ema.update();
 * }
 * const accuracy = await ema.withEma(() => evaluate(classifier, testSet));
 * ema.dispose();
 * ```
 */
export class EmaWeights {
  readonly decay: number;
  readonly warmup: boolean;
  readonly buffers: 'copy' | 'average';
  private readonly classifier: Classifier;
  private readonly shadow: tf.Variable[];
  private readonly numTrainable: number;
  private steps = 0;
  private swapped = false;
  private disposed = false;

  constructor(classifier: Classifier, options?: EmaWeightsOptions) {
    const fn = 'EmaWeights';
    if (
      typeof classifier !== 'object' ||
      classifier === null ||
      typeof classifier.getWeights !== 'function' ||
      typeof classifier.setWeights !== 'function'
    ) {
      fail('INVALID_VALUE', fn, 'classifier', 'a Classifier', describeValue(classifier));
    }
    const o = withDefaults<Required<EmaWeightsOptions>>(
      options,
      { decay: 0.999, warmup: false, buffers: 'copy' },
      fn,
    );
    assertNumber(o.decay, { min: 0, max: 1 }, fn, 'decay');
    assertBoolean(o.warmup, fn, 'warmup');
    assertOneOf(o.buffers, ['copy', 'average'] as const, fn, 'buffers');
    this.decay = o.decay;
    this.warmup = o.warmup;
    this.buffers = o.buffers;
    this.classifier = classifier;
    this.numTrainable = classifier.trainableVariables.length;
    // Variables made inside tidy: tf.variable keeps its initial tensor alive otherwise
    // (docs/performance.md).
    this.shadow = tf.tidy(() => classifier.getWeights().map((w) => tf.variable(w, false)));
  }

  /** Number of updates done so far. */
  get step(): number {
    return this.steps;
  }

  /** The decay the next {@link EmaWeights.update} will use (differs from `decay` in warm-up). */
  get currentDecay(): number {
    if (!this.warmup) return this.decay;
    return Math.min(this.decay, (1 + this.steps) / (10 + this.steps));
  }

  /**
   * Folds the classifier's current weights into the average:
   * `ema ← d·ema + (1 − d)·w` with `d` = {@link EmaWeights.currentDecay}; non-trainable
   * weights are copied or averaged per `buffers`. Call after each optimizer step.
   *
   * @throws TailwiseError `INVALID_STATE` inside {@link EmaWeights.withEma}, after
   *   `dispose()`, or if the classifier's weight list changed.
   */
  update(): void {
    const fn = 'EmaWeights.update';
    this.assertUsable(fn);
    const d = this.currentDecay;
    tf.tidy(() => {
      const weights = this.classifier.getWeights();
      if (weights.length !== this.shadow.length) {
        throw new TailwiseError(
          'INVALID_STATE',
          `${fn}: the classifier has ${weights.length} weights, the average was made for ${this.shadow.length}`,
          { functionName: fn },
        );
      }
      weights.forEach((w, i) => {
        const copy = i >= this.numTrainable && this.buffers === 'copy';
        this.shadow[i]!.assign(copy ? w : emaStep(this.shadow[i]!, w, d));
      });
    });
    this.steps += 1;
  }

  /**
   * Runs `fn` with the averaged weights in the classifier, then puts the training weights
   * back, also when `fn` throws or its promise rejects. Returns what `fn` returns; an async
   * `fn` is awaited before restoring, so do not train the classifier meanwhile.
   *
   * @example
   * ```ts
   * const logits = ema.withEma(() => classifier.apply(xTest)); // caller owns logits
   * ```
   */
  withEma<T>(fn: () => T): T {
    const name = 'EmaWeights.withEma';
    this.assertUsable(name);
    if (typeof fn !== 'function')
      fail('INVALID_VALUE', name, 'fn', 'a function', describeValue(fn));
    const backup = this.classifier.getWeights();
    try {
      this.classifier.setWeights(this.shadow);
    } catch (error) {
      tf.dispose(backup);
      throw error;
    }
    this.swapped = true;
    const restore = () => {
      this.swapped = false;
      this.classifier.setWeights(backup);
      tf.dispose(backup);
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      restore();
      throw error;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => {
          restore();
          return value;
        },
        (error: unknown) => {
          restore();
          throw error;
        },
      ) as T;
    }
    restore();
    return result;
  }

  /** Same as {@link EmaWeights.withEma}. */
  evaluate<T>(fn: () => T): T {
    return this.withEma(fn);
  }

  /** Copies of the averaged weights, in the classifier's weight order; the caller owns them. */
  getWeights(): tf.Tensor[] {
    this.assertLive('EmaWeights.getWeights');
    return this.shadow.map((v) => tf.clone(v));
  }

  /**
   * Replaces the averaged weights (e.g. from a checkpoint); the caller keeps ownership of
   * `weights`.
   */
  setWeights(weights: readonly tf.Tensor[]): void {
    const fn = 'EmaWeights.setWeights';
    this.assertLive(fn);
    if (!Array.isArray(weights) || weights.length !== this.shadow.length) {
      fail(
        'INVALID_VALUE',
        fn,
        'weights',
        `an array of ${this.shadow.length} tensors`,
        describeValue(weights),
      );
    }
    this.shadow.forEach((v, i) => {
      const w = weights[i];
      const param = `weights[${i}]`;
      if (!(w instanceof tf.Tensor) || w.isDisposed)
        fail('INVALID_VALUE', fn, param, 'a live tensor', describeValue(w));
      assertShape(w, v.shape, fn, param);
      if (w.dtype !== v.dtype) fail('DTYPE_MISMATCH', fn, param, `of dtype ${v.dtype}`, w.dtype);
    });
    this.shadow.forEach((v, i) => {
      v.assign(weights[i]!);
    });
  }

  /** The state as plain JSON (reads the weights back from the backend). */
  async toJSONAsync(): Promise<EmaWeightsJSON> {
    this.assertLive('EmaWeights.toJSONAsync');
    const values = await Promise.all(this.shadow.map((v) => v.data()));
    return stateEnvelope(KIND, 1, {
      decay: this.decay,
      warmup: this.warmup,
      buffers: this.buffers,
      step: this.steps,
      weights: this.shadow.map((v, i) => ({ shape: [...v.shape], values: Array.from(values[i]!) })),
    }) as EmaWeightsJSON;
  }

  /**
   * Restores an average saved with {@link EmaWeights.toJSONAsync} for `classifier` (which
   * must have the same weight shapes). Refuses data it does not recognise.
   */
  static fromJSON(classifier: Classifier, json: unknown): EmaWeights {
    const fn = 'EmaWeights.fromJSON';
    const j = readStateEnvelope(json, KIND, 1, fn, KEYS) as Partial<EmaWeightsJSON>;
    if (
      !Array.isArray(j.weights) ||
      typeof j.step !== 'number' ||
      !Number.isInteger(j.step) ||
      j.step < 0 ||
      !j.weights.every(
        (w) =>
          typeof w === 'object' &&
          w !== null &&
          Array.isArray(w.shape) &&
          Array.isArray(w.values) &&
          w.values.length === w.shape.reduce((a: number, b: number) => a * b, 1) &&
          w.values.every((x) => typeof x === 'number' && Number.isFinite(x)),
      )
    ) {
      throw new TailwiseError(
        'INVALID_FORMAT',
        `${fn}: expected \`json\` to be a ${KIND} version 1 state from EmaWeights.toJSONAsync(), got a step or weights it does not recognise`,
        { functionName: fn, parameter: 'json' },
      );
    }
    const ema = new EmaWeights(classifier, {
      decay: j.decay,
      warmup: j.warmup,
      buffers: j.buffers,
    });
    const tensors = j.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
    try {
      ema.setWeights(tensors);
    } catch (error) {
      ema.dispose();
      throw error;
    } finally {
      tf.dispose(tensors);
    }
    ema.steps = j.step;
    return ema;
  }

  /** Frees the averaged weights. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.shadow);
  }

  private assertLive(functionName: string): void {
    if (this.disposed) {
      throw new TailwiseError(
        'INVALID_STATE',
        `${functionName}: the EmaWeights has been disposed`,
        {
          functionName,
        },
      );
    }
  }

  private assertUsable(functionName: string): void {
    this.assertLive(functionName);
    if (this.swapped) {
      throw new TailwiseError(
        'INVALID_STATE',
        `${functionName}: called while the averaged weights are swapped in (inside withEma)`,
        { functionName },
      );
    }
  }
}
