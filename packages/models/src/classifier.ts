import {
  assertBoolean,
  assertShape,
  describeValue,
  fail,
  formatShape,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable, SymbolicTensor } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link Classifier.apply}. */
export interface ApplyOptions {
  /**
   * Training mode: dropout is active and batch norm uses (and updates) batch statistics.
   * Default false (inference: no dropout, moving statistics, nothing updated).
   */
  training?: boolean;
}

/**
 * A model that maps a batch of inputs to class logits: what the trainer, the recipes and
 * {@link EmaWeights} need, and nothing more. The builders ({@link mlp}, {@link convNet},
 * {@link resNet}, {@link wideResNet}) and {@link fromLayersModel} return one.
 *
 * Weight order contract: {@link Classifier.getWeights} lists the trainable weights first,
 * in the order of {@link Classifier.trainableVariables}, then the non-trainable ones (batch
 * norm moving statistics). {@link EmaWeights} relies on it.
 */
export interface Classifier {
  /**
   * Logits `[B, C]` for a batch `x` of shape `[B, ...inputShape]` (int inputs are cast to
   * float32). Works inside `tf.tidy` and `tf.variableGrads`: the result belongs to the
   * enclosing scope, and with `training: true` gradients reach every trainable variable.
   * With `training: true` it also updates batch norm moving statistics, as layers models do.
   */
  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor2D;
  /** The variables an optimizer should update (owned by the classifier; do not dispose). */
  readonly trainableVariables: tf.Variable[];
  /** Number of classes C (width of the logits). */
  readonly numClasses: number;
  /** Per-sample input shape, e.g. `[28, 28, 1]` or `[103]`. */
  readonly inputShape: readonly number[];
  /**
   * Snapshots of all weights, trainable first then non-trainable (see the order contract
   * above). The caller owns the returned tensors and must dispose them; they do not change
   * when the model trains on.
   */
  getWeights(): tf.Tensor[];
  /**
   * Sets all weights, in the order of {@link Classifier.getWeights}. The caller keeps
   * ownership of `weights` (the classifier holds its own reference to the values).
   */
  setWeights(weights: readonly tf.Tensor[]): void;
  /** Frees every weight. The classifier cannot be used afterwards. */
  dispose(): void;
  /** A printable table of layers, output shapes and parameter counts. */
  summary?(): string;
  /** Number of weight values (trainable and not). */
  countParams?(): number;
  /** The wrapped tfjs-layers model, when there is one (for saving with `model.save`). */
  readonly model?: LayersModel;
  /**
   * Penultimate features `[B, D]`: the input of the final dense layer (the classifier head),
   * for methods that work on features, e.g. RECORDS' unrestricted prediction of the average
   * sample (docs/methods/000-plr.md, peers). Present when the model ends in a dense layer
   * (every builder here does). `head(features(x, o))` equals `apply(x, o)`, and gradients flow
   * through both to every trainable variable. Same ownership rules as {@link Classifier.apply}.
   */
  readonly features?: (x: tf.Tensor, options?: ApplyOptions) => tf.Tensor2D;
  /** The classifier head: logits `[B, C]` from features `[B, D]`. Present with `features`. */
  readonly head?: (features: tf.Tensor) => tf.Tensor2D;
  /** D, the width of {@link Classifier.features}. Present with `features`. */
  readonly numFeatures?: number;
}

/** A {@link Classifier} backed by a tfjs-layers model. */
class LayersClassifier implements Classifier {
  readonly model: LayersModel;
  readonly numClasses: number;
  readonly inputShape: readonly number[];
  readonly features?: (x: tf.Tensor, options?: ApplyOptions) => tf.Tensor2D;
  readonly head?: (features: tf.Tensor) => tf.Tensor2D;
  readonly numFeatures?: number;
  private disposed = false;

  constructor(model: LayersModel, numClasses: number, inputShape: readonly number[]) {
    this.model = model;
    this.numClasses = numClasses;
    this.inputShape = Object.freeze([...inputShape]);
    const split = headSplit(model);
    if (split !== undefined) {
      this.numFeatures = split.numFeatures;
      this.features = (x, options) => {
        const fn = 'Classifier.features';
        const { input, training } = this.checkInput(x, options, fn);
        return tf.tidy(() => split.body.apply(cast(input), { training }) as tf.Tensor2D);
      };
      this.head = (f) => {
        const fn = 'Classifier.head';
        this.assertLive(fn);
        if (!(f instanceof tf.Tensor))
          fail('INVALID_VALUE', fn, 'features', 'a tensor', describeValue(f));
        assertShape(f, [null, split.numFeatures], fn, 'features');
        return tf.tidy(() => split.head.apply(cast(f)) as tf.Tensor2D);
      };
    }
  }

  private checkInput(
    x: tf.Tensor,
    options: ApplyOptions | undefined,
    fn: string,
  ): { input: tf.Tensor; training: boolean } {
    this.assertLive(fn);
    if (!(x instanceof tf.Tensor)) fail('INVALID_VALUE', fn, 'x', 'a tensor', describeValue(x));
    assertShape(x, [null, ...this.inputShape], fn, 'x');
    const { training } = withDefaults(options, { training: false }, fn);
    assertBoolean(training, fn, 'training');
    return { input: x, training };
  }

  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor2D {
    const { input, training } = this.checkInput(x, options, 'Classifier.apply');
    return tf.tidy(() => this.model.apply(cast(input), { training }) as tf.Tensor2D);
  }

  get trainableVariables(): tf.Variable[] {
    this.assertLive('Classifier.trainableVariables');
    return this.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  getWeights(): tf.Tensor[] {
    this.assertLive('Classifier.getWeights');
    // tf.clone shares the data on cpu and copies it on wasm; either way the result is a
    // snapshot, because an optimizer assigns new data to the variable.
    return this.weightList().map((w) => tf.clone(w.read()));
  }

  setWeights(weights: readonly tf.Tensor[]): void {
    const fn = 'Classifier.setWeights';
    this.assertLive(fn);
    const targets = this.weightList();
    if (!Array.isArray(weights) || weights.length !== targets.length) {
      fail(
        'INVALID_VALUE',
        fn,
        'weights',
        `an array of ${targets.length} tensors`,
        describeValue(weights),
      );
    }
    targets.forEach((target, i) => {
      const w = weights[i];
      const param = `weights[${i}]`;
      if (!(w instanceof tf.Tensor) || w.isDisposed) {
        fail('INVALID_VALUE', fn, param, 'a live tensor', describeValue(w));
      }
      assertShape(w, target.shape as number[], fn, param);
      if (w.dtype !== target.dtype)
        fail('DTYPE_MISMATCH', fn, param, `of dtype ${target.dtype}`, w.dtype);
    });
    targets.forEach((target, i) => {
      target.write(weights[i]!);
    });
  }

  summary(): string {
    this.assertLive('Classifier.summary');
    const lines: string[] = [];
    this.model.summary(undefined, undefined, (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    return lines.join('\n');
  }

  countParams(): number {
    this.assertLive('Classifier.countParams');
    return this.model.countParams();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private weightList(): LayerVariable[] {
    return this.model.weights;
  }

  private assertLive(functionName: string): void {
    if (this.disposed) {
      throw new TailwiseError(
        'INVALID_STATE',
        `${functionName}: the classifier has been disposed`,
        {
          functionName,
        },
      );
    }
  }
}

function cast(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}

/**
 * Splits a model that ends in a dense layer into body (input → the dense layer's input) and
 * head (the dense layer), sharing the weights. Undefined when the last layer is not dense or
 * is not applied exactly once.
 */
function headSplit(
  model: LayersModel,
): { body: LayersModel; head: tfl.layers.Layer; numFeatures: number } | undefined {
  const last = model.layers[model.layers.length - 1];
  if (last === undefined || last.getClassName() !== 'Dense') return undefined;
  let featureInput: SymbolicTensor;
  try {
    const input = last.input;
    if (Array.isArray(input)) return undefined;
    featureInput = input;
  } catch {
    return undefined; // applied at several nodes: no single feature tensor
  }
  const d = featureInput.shape[1];
  if (featureInput.shape.length !== 2 || typeof d !== 'number') return undefined;
  const body = tfl.model({ inputs: model.inputs, outputs: featureInput });
  return { body, head: last, numFeatures: d };
}

function looksLikeLayersModel(value: unknown): value is LayersModel {
  const m = value as Partial<LayersModel> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.apply === 'function' &&
    typeof m.dispose === 'function' &&
    Array.isArray(m.inputs) &&
    Array.isArray(m.outputs)
  );
}

/**
 * Wraps your own tfjs-layers model as a {@link Classifier}, so it works with every trainer
 * recipe, {@link EmaWeights} and the metrics.
 *
 * The model must have one input with a fully defined per-sample shape and one output of
 * rank 2 (`[batch, classes]`) that is **logits** (no softmax: the losses apply softmax or
 * sigmoid themselves).
 *
 * Ownership: the classifier takes over the model; `classifier.dispose()` disposes it.
 *
 * @throws TailwiseError `INVALID_VALUE` if `model` is not a layers model,
 *   `SHAPE_MISMATCH` for several inputs or outputs, an output that is not rank 2, or an
 *   input shape with unknown dimensions.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ inputShape: [20], units: 64, activation: 'relu' }),
 *   tf.layers.dense({ units: 5 }),
 * ] });
 * const classifier = fromLayersModel(model);
 * const logits = classifier.apply(tf.zeros([8, 20])); // [8, 5], caller owns it
 * ```
 */
export function fromLayersModel(model: LayersModel): Classifier {
  const fn = 'fromLayersModel';
  if (!looksLikeLayersModel(model))
    fail('INVALID_VALUE', fn, 'model', 'a tf.LayersModel', describeValue(model));
  if (model.inputs.length !== 1) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'model',
      'a model with exactly one input',
      `${model.inputs.length} inputs`,
    );
  }
  if (model.outputs.length !== 1) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'model',
      'a model with exactly one output',
      `${model.outputs.length} outputs`,
    );
  }
  const outShape = model.outputs[0]!.shape;
  const numClasses = outShape[1];
  if (outShape.length !== 2 || typeof numClasses !== 'number') {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'model',
      'a model whose output has rank 2 ([batch, classes])',
      `output shape ${formatShape(outShape)}`,
    );
  }
  const inShape = model.inputs[0]!.shape.slice(1);
  if (inShape.length === 0 || inShape.some((d) => typeof d !== 'number')) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'model',
      'a model with a fully defined input shape',
      `input shape ${formatShape(model.inputs[0]!.shape)}`,
    );
  }
  return new LayersClassifier(model, numClasses, inShape as number[]);
}
