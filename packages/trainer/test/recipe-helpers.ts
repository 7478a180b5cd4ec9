// Shared helpers of the recipe tests: drive a recipe's hooks by hand, as the Trainer does.
import { type Batch, createRng, type Dataset } from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { AnyRecipe, LossResult, StepData, TrainContext } from '../src/index';
import { disposeState } from '../src/internal/state-codec';

export { disposeState };

/**
 * A TrainContext whose "model" returns the given logits variable, so a recipe's loss can be
 * differentiated with respect to the logits themselves.
 */
export function fakeContext(
  train: Dataset,
  logits: tf.Variable,
  seed = 1,
  extra: Partial<TrainContext> = {},
): TrainContext {
  const fakeModel = {
    apply: () => logits,
    numClasses: train.numClasses,
    trainableVariables: [logits],
  } as unknown as Classifier;
  return {
    epoch: 0,
    totalEpochs: 1,
    step: 0,
    stepsPerEpoch: 1,
    totalSteps: 1,
    batchSize: 8,
    learningRate: 0.05,
    rng: createRng(seed),
    model: fakeModel,
    train,
    unlabeled: undefined,
    numClasses: train.numClasses,
    trainCounts: [],
    reinitializeModel() {},
    predictProbabilities: async () => new Float32Array(0),
    ...extra,
  };
}

/**
 * One step of `recipe` as the trainer runs it (prepare → loss inside variableGrads); returns the
 * loss value, dL/d`variable` and the typed loss result's extra tensors (caller disposes `out`).
 */
export async function stepGradient(
  recipe: AnyRecipe,
  ctx: TrainContext,
  state: object,
  data: StepData | Batch,
  variable: tf.Variable,
): Promise<{ value: number; grad: number[]; out: LossResult; step: unknown }> {
  const stepData: StepData = 'batch' in data ? (data as StepData) : { batch: data as Batch };
  const step = recipe.prepare ? recipe.prepare(ctx, state, stepData) : stepData;
  let out: LossResult | undefined;
  const { value, grads } = tf.variableGrads(() => {
    out = recipe.loss(ctx, state, step) as LossResult;
    for (const [k, t] of Object.entries(out))
      if (k !== 'loss' && t instanceof tf.Tensor) tf.keep(t);
    return out.loss;
  }, [variable]);
  const grad = Array.from(await grads[variable.name]!.data());
  const v = (await value.data())[0]!;
  tf.dispose([value, grads[variable.name]!]);
  return { value: v, grad, out: out!, step };
}

/** Three Gaussian blobs in 4-D (class c centred at 3 on axis c, σ 0.7) with the given counts. */
export function blobs(counts: number[], seed: number): Dataset {
  const rng = createRng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * 4);
  const labels = new Int32Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let d = 0; d < 4; d++) features[i * 4 + d] = (d === c ? 3 : 0) + rng.normal(0, 0.7);
    }
  });
  return { name: 'blobs', size: n, inputShape: [4], features, numClasses: 3, labels };
}
