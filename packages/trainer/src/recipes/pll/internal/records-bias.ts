import { DISTRIBUTION_EPS, fail } from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import { EmaPrior, meanDistribution } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Where RECORDS' bias `b` comes from (docs/methods/000-plr.md, "Peers", RECORDS):
 * `'features'`: the classifier head applied to an EMA of the batch-mean penultimate feature,
 * softmaxed (the public RECORDS code); `'softmax'`: an EMA of the batch-mean unrestricted
 * softmax (for models without a feature/head split); `'auto'`: features when the model has them.
 */
export type RecordsPriorSource = 'auto' | 'features' | 'softmax';

/** The values of {@link RecordsPriorSource}. */
export const RECORDS_PRIOR_SOURCES = ['auto', 'features', 'softmax'] as const;

/** RECORDS' bias estimate, part of the recipe state (serialisable: a tensor or an EmaPrior). */
export interface RecordsBias {
  /** Which estimate ran (resolved from `'auto'`). */
  source: 'features' | 'softmax';
  /** m of the per-step EMA (RECORDS: 0.9). */
  momentum: number;
  /** `'features'`: the EMA of the batch-mean feature `[D]`, starting at 0 as in the public code. */
  featureMean: tf.Tensor1D | undefined;
  /** `'softmax'`: the EMA of the batch-mean softmax `[C]`, starting uniform. */
  softmaxMean: EmaPrior | undefined;
}

/** Resolves the source against the model and builds the starting estimate. */
export function createRecordsBias(
  model: Classifier,
  numClasses: number,
  source: RecordsPriorSource,
  momentum: number,
  fn: string,
): RecordsBias {
  const hasFeatures = model.features !== undefined && model.head !== undefined;
  if (source === 'features' && !hasFeatures) {
    fail(
      'INVALID_OPTION',
      fn,
      'priorSource',
      "'auto' or 'softmax' for a model without a features/head split",
      "'features'",
    );
  }
  const resolved = source === 'auto' ? (hasFeatures ? 'features' : 'softmax') : source;
  return resolved === 'features'
    ? {
        source: 'features',
        momentum,
        featureMean: tf.keep(tf.zeros([model.numFeatures!])) as tf.Tensor1D,
        softmaxMean: undefined,
      }
    : {
        source: 'softmax',
        momentum,
        featureMean: undefined,
        softmaxMean: new EmaPrior({ numClasses, momentum }),
      };
}

/**
 * A training-mode forward pass: the logits, and with `'features'` the batch's features (the
 * same pass: `head(features(x))`, so the estimate costs no second forward).
 */
export function recordsForward(
  model: Classifier,
  x: tf.Tensor,
  bias: RecordsBias,
): { logits: tf.Tensor2D; features: tf.Tensor2D | undefined } {
  if (bias.source === 'features') {
    const features = model.features!(x, { training: true });
    return { logits: model.head!(features), features };
  }
  return { logits: model.apply(x, { training: true }), features: undefined };
}

/**
 * `b`: `softmax(head(featureMean))` with the current head, or the softmax EMA. Call with the
 * tape off (inside `offTape`) or in a tidy; a new `[C]` tensor.
 */
export function recordsBiasValue(model: Classifier, bias: RecordsBias): tf.Tensor1D {
  if (bias.source === 'features') {
    return tf.tidy(
      () =>
        tf.squeeze(
          tf.softmax(model.head!(tf.expandDims(bias.featureMean!, 0))),
          [0],
        ) as tf.Tensor1D,
    );
  }
  return tf.clone(bias.softmaxMean!.value);
}

/**
 * The batch's estimate for the EMA (tape off): the mean of `features` `[B, D]` with
 * `'features'`, the mean softmax of `logits` `[B, C]` with `'softmax'`.
 */
export function recordsBatchEstimate(
  bias: RecordsBias,
  featuresOrLogits: tf.Tensor2D,
): tf.Tensor1D {
  return bias.source === 'features'
    ? (tf.mean(featuresOrLogits, 0) as tf.Tensor1D)
    : meanDistribution(tf.softmax(featuresOrLogits) as tf.Tensor2D);
}

/** Folds a step's estimate in: `v ← m·v + (1 − m)·estimate`, every step. */
export function updateRecordsBias(bias: RecordsBias, estimate: tf.Tensor1D): void {
  if (bias.source === 'softmax') {
    bias.softmaxMean!.update(estimate);
    return;
  }
  const old = bias.featureMean!;
  bias.featureMean = tf.keep(
    tf.tidy(() => tf.add(tf.mul(old, bias.momentum), tf.mul(estimate, 1 - bias.momentum))),
  ) as tf.Tensor1D;
  old.dispose();
}

/** RECORDS' debiased logits `logits − log(b + 1e-9)` (target update and test time). */
export function debiasLogits(logits: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(logits, tf.log(tf.add(b, DISTRIBUTION_EPS))) as tf.Tensor2D);
}
