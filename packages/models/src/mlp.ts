import { assertOneOf, withDefaults } from '@tailwise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Classifier, fromLayersModel } from './classifier';
import {
  assertNumClasses,
  assertRate,
  assertShapeOption,
  builderRng,
  nextSeed,
} from './internal/options';
import { SeededDropout } from './internal/seeded-dropout';

/** Hidden-layer activations {@link mlp} accepts. */
export type MlpActivation = 'relu' | 'elu' | 'selu' | 'swish' | 'tanh' | 'sigmoid';

const ACTIVATIONS: readonly MlpActivation[] = ['relu', 'elu', 'selu', 'swish', 'tanh', 'sigmoid'];

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Per-sample input shape; image shapes such as `[28, 28, 1]` are flattened. */
  inputShape: readonly number[];
  /** Number of classes C (logit width). */
  numClasses: number;
  /** Units of each hidden layer, input to output. Default `[256]`; `[]` is a linear model. */
  hidden?: readonly number[];
  /** Dropout rate after each hidden layer, in [0, 1). Default 0. */
  dropout?: number;
  /** Hidden activation. Default `'relu'`. */
  activation?: MlpActivation;
  /** Seed of the initializers and dropout masks. Default: a fresh random seed. */
  seed?: number;
}

const FN = 'mlp';

/**
 * A multilayer perceptron classifier: `[flatten] → (dense → activation → dropout)* → dense`,
 * returning logits `[B, numClasses]`.
 *
 * Initialization: He uniform for ReLU-like hidden layers (relu, elu, swish), LeCun normal
 * for selu, Glorot uniform for tanh, sigmoid and the output layer; zero biases. Every
 * initializer and the dropout masks are seeded from `seed`, so the same options give the
 * same weights and the same sequence of masks. Dropout draws a new mask at every training
 * call.
 *
 * Builders are pure: to re-initialize a model (PLR's second stage, docs/methods/000-plr.md), call
 * the builder again (same seed: the same start; another seed: a fresh start) and dispose
 * the old classifier.
 *
 * Ownership: the caller owns the classifier and must `dispose()` it.
 *
 * @example
 * ```ts
 * const classifier = mlp({ inputShape: [28, 28, 1], numClasses: 10, hidden: [256], seed: 1 });
 * const logits = classifier.apply(batch.x, { training: true }); // [B, 10]
 * ```
 */
export function mlp(options: MlpOptions): Classifier {
  const o = withDefaults<MlpOptions>(
    options,
    {
      inputShape: undefined as unknown as number[],
      numClasses: undefined as unknown as number,
      hidden: [256],
      dropout: 0,
      activation: 'relu',
      seed: undefined,
    },
    FN,
  );
  const inputShape = assertShapeOption(o.inputShape, FN, 'inputShape', { min: 1 });
  assertNumClasses(o.numClasses, FN);
  const hidden = assertShapeOption(o.hidden, FN, 'hidden', { min: 0 });
  assertRate(o.dropout, FN, 'dropout');
  assertOneOf(o.activation, ACTIVATIONS, FN, 'activation');
  const rng = builderRng(o.seed, FN);
  // Separate streams, so the initial weights of a seed do not depend on the dropout rate.
  const initRng = rng.split();
  const dropoutRng = rng.split();
  const activation = o.activation as MlpActivation;

  const hiddenInit = (seed: number) => {
    if (activation === 'selu') return tfl.initializers.leCunNormal({ seed });
    if (activation === 'tanh' || activation === 'sigmoid')
      return tfl.initializers.glorotUniform({ seed });
    return tfl.initializers.heUniform({ seed });
  };

  const model = tfl.sequential({ name: 'mlp' });
  model.add(tfl.layers.inputLayer({ inputShape: [...inputShape] }));
  if (inputShape.length > 1) model.add(tfl.layers.flatten());
  for (const units of hidden) {
    model.add(
      tfl.layers.dense({
        units,
        activation,
        kernelInitializer: hiddenInit(nextSeed(initRng)),
        biasInitializer: 'zeros',
      }),
    );
    if (o.dropout > 0)
      model.add(new SeededDropout({ rate: o.dropout, seed: nextSeed(dropoutRng) }));
  }
  model.add(
    tfl.layers.dense({
      units: o.numClasses,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed(initRng) }),
      biasInitializer: 'zeros',
    }),
  );
  return fromLayersModel(model);
}
