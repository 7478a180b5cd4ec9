import { createRng, type Rng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Inverted dropout whose mask is fresh on every training call yet reproducible per run.
 *
 * `tf.layers.dropout({ seed })` passes the same seed to every call, so every step drops the
 * same units (CONTRIBUTING.md pitfall 3); without a seed it is not reproducible. This layer owns an
 * `Rng` and draws a new seed per training call. Inference returns the input unchanged.
 */
export class SeededDropout extends tfl.layers.Layer {
  static className = 'TailwiseSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private readonly rng: Rng;

  constructor(args: { rate: number; seed: number; name?: string }) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = createRng(args.seed);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    // Layer.apply clones an output that is its input, so returning x is safe.
    if (kwargs?.training !== true || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, this.rng.nextSeed());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
