import { assertNumber, describeValue, fail, withDefaults } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** Options of {@link PlainBatchNormalization} (plus the usual layer options such as `name`). */
export interface PlainBatchNormalizationArgs extends LayerArgs {
  /**
   * Weight of the old value in the moving statistics:
   * `moving ← momentum·moving + (1 − momentum)·batch`. Default 0.9 (PyTorch's 0.1 written
   * the Keras way).
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch's). */
  epsilon?: number;
}

const FN = 'PlainBatchNormalization';

/** Reduction axes of a channels-last input: every axis except the last. */
function statAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i);
}

/**
 * Training-mode batch norm from plain ops: batch statistics over every axis but the last,
 * `y = (x − mean)·rsqrt(var + eps)·γ + β`. Returns the output and the (biased) batch
 * statistics, so the caller can update moving averages.
 */
function batchNormTraining_(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = statAxes(x.rank);
  const mean = tf.mean(x, axes);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axes);
  // γ·rsqrt(var + eps) is a [C] vector, so the full-size work is one sub, square, mul and
  // add; tf.batchNorm's gradient uses Tile, which is slow on wasm (docs/performance.md).
  const scale = tf.mul(tf.rsqrt(tf.add(variance, epsilon)), gamma);
  const y = tf.add(tf.mul(centered, scale), beta);
  return { y, mean, variance };
}
const batchNormTraining = /* @__PURE__ */ tf.op({ batchNormTraining_ });

/**
 * Inference-mode batch norm with fixed statistics, folded into one scale and shift per
 * channel: `y = x·s + (β − mean·s)` with `s = γ·rsqrt(var + eps)`, which equals
 * `(x − mean)·rsqrt(var + eps)·γ + β`.
 */
function batchNormInference_(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  const scale = tf.mul(tf.rsqrt(tf.add(variance, epsilon)), gamma);
  const shift = tf.sub(beta, tf.mul(mean, scale));
  return tf.add(tf.mul(x, scale), shift);
}
const batchNormInference = /* @__PURE__ */ tf.op({ batchNormInference_ });

/** `old·momentum + value·(1 − momentum)`. */
function movingAverage_(old: tf.Tensor, value: tf.Tensor, momentum: number): tf.Tensor {
  return tf.add(tf.mul(old, momentum), tf.mul(value, 1 - momentum));
}
const movingAverage = /* @__PURE__ */ tf.op({ movingAverage_ });

/**
 * Batch normalization over the last (channel) axis, written with plain tfjs ops instead of
 * `tf.batchNorm`, as a tfjs-layers `Layer` you can put in any layers model.
 *
 * Training mode (`apply(x, { training: true })`): with batch statistics over every axis
 * but the last, `y = (x − mean)·rsqrt(var + eps)·γ + β`, and the moving statistics are
 * updated: `movingMean ← m·movingMean + (1 − m)·mean`,
 * `movingVariance ← m·movingVariance + (1 − m)·var·n/(n − 1)` (n values per channel; the
 * unbiased variance, as PyTorch keeps it). Inference mode uses the moving statistics and
 * changes nothing. Ioffe & Szegedy (2015), Algorithm 1 and 2.
 *
 * Why not `tf.layers.batchNormalization`: the gradient of `tf.batchNorm` uses `Tile`,
 * which is slow on the wasm backend; these plain ops made ResNet-20 1.66× faster there
 * (docs/performance.md).
 *
 * Weights, in order: `gamma` (ones) and `beta` (zeros), trainable; `movingMean` (zeros) and
 * `movingVariance` (ones), not trainable. The layer owns them; `model.dispose()` frees them.
 * It is not registered for serialization (a package must not have module-level side
 * effects): call `tf.serialization.registerClass(PlainBatchNormalization)` before
 * `tf.loadLayersModel` on a saved model that contains it.
 *
 * @example
 * ```ts
 * const input = tf.input({ shape: [8, 8, 3] });
 * const h = tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }).apply(input);
 * const y = new PlainBatchNormalization({ momentum: 0.9 }).apply(h);
 * ```
 */
export class PlainBatchNormalization extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'TailwisePlainBatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: LayerVariable | undefined;
  private beta: LayerVariable | undefined;
  private movingMean: LayerVariable | undefined;
  private movingVariance: LayerVariable | undefined;

  constructor(args: PlainBatchNormalizationArgs = {}) {
    const { momentum, epsilon, ...layerArgs } = args;
    super(layerArgs);
    const o = withDefaults({ momentum, epsilon }, { momentum: 0.9, epsilon: 1e-5 }, FN);
    assertNumber(o.momentum, { min: 0, max: 1 }, FN, 'momentum');
    assertNumber(o.epsilon, { min: 0, minExclusive: true }, FN, 'epsilon');
    this.momentum = o.momentum;
    this.epsilon = o.epsilon;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1];
    if (shape.length < 2 || typeof channels !== 'number') {
      fail(
        'SHAPE_MISMATCH',
        FN,
        'inputs',
        'of rank >= 2 with a known channel (last) dimension',
        describeValue({ shape }),
      );
    }
    this.gamma = this.addWeight(
      'gamma',
      [channels],
      'float32',
      tfl.initializers.ones(),
      undefined,
      true,
    );
    this.beta = this.addWeight(
      'beta',
      [channels],
      'float32',
      tfl.initializers.zeros(),
      undefined,
      true,
    );
    this.movingMean = this.addWeight(
      'moving_mean',
      [channels],
      'float32',
      tfl.initializers.zeros(),
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      tfl.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const gamma = this.gamma!.read();
    const beta = this.beta!.read();
    if (kwargs?.training !== true) {
      return batchNormInference(
        x,
        gamma,
        beta,
        this.movingMean!.read(),
        this.movingVariance!.read(),
        this.epsilon,
      );
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon);
    const n = x.size / x.shape[x.rank - 1]!;
    tf.tidy(() => {
      // Bookkeeping, not part of the loss: the writes are not on the gradient tape, and the
      // ops feeding them do not reach the loss, so no gradient flows through them.
      const unbiased = tf.mul(variance, n / Math.max(n - 1, 1));
      this.movingMean!.write(movingAverage(this.movingMean!.read(), mean, this.momentum));
      this.movingVariance!.write(
        movingAverage(this.movingVariance!.read(), unbiased, this.momentum),
      );
    });
    tf.dispose([mean, variance]);
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
