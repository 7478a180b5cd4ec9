import { assertNumber, assertOneOf, describeValue, fail, withDefaults } from '@tailwise/core';
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

/** Options of {@link convNet}. */
export interface ConvNetOptions {
  /** Per-sample input shape `[height, width, channels]`. */
  inputShape: readonly number[];
  /** Number of classes C (logit width). */
  numClasses: number;
  /** Filters of each convolution, input to output. Default `[32, 64]`. */
  filters?: readonly number[];
  /** Square kernel size of every convolution. Default 3. */
  kernelSize?: number;
  /** Convolution padding. Default `'valid'`. */
  padding?: 'valid' | 'same';
  /** Size (and stride) of the max pooling after the last convolution; 1 = no pooling. Default 2. */
  poolSize?: number;
  /** Units of hidden dense layers between the pooling and the logits. Default `[]`. */
  dense?: readonly number[];
  /** Dropout rate after the pooling and after each hidden dense layer, in [0, 1). Default 0. */
  dropout?: number;
  /** Seed of the initializers and dropout masks. Default: a fresh random seed. */
  seed?: number;
}

const FN = 'convNet';

/**
 * A small convolutional classifier:
 * `(conv k×k → ReLU)* → maxpool → [dropout] → flatten → (dense → ReLU → [dropout])* → dense`,
 * returning logits `[B, numClasses]`. The defaults are the CNN measured in docs/performance.md:
 * conv 3×3×32, conv 3×3×64, 2×2 max pooling, dense to the classes (on 28×28×1 inputs,
 * 110,986 parameters for 10 classes).
 *
 * Initialization: He uniform for the ReLU layers, Glorot uniform for the logits, zero
 * biases, all seeded from `seed` (same seed, same weights). Dropout draws a fresh,
 * seeded mask at every training call. To re-initialize, call the builder again.
 *
 * Backends: the stock wasm backend has no `Conv2DBackpropFilter`, so training (gradients)
 * needs the kernels that `@tailwise/backends` registers; the forward pass works everywhere.
 *
 * Ownership: the caller owns the classifier and must `dispose()` it.
 *
 * @example
 * ```ts
 * const classifier = convNet({ inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
 * const logits = classifier.apply(batch.x); // [B, 10]
 * ```
 */
export function convNet(options: ConvNetOptions): Classifier {
  const o = withDefaults<ConvNetOptions>(
    options,
    {
      inputShape: undefined as unknown as number[],
      numClasses: undefined as unknown as number,
      filters: [32, 64],
      kernelSize: 3,
      padding: 'valid',
      poolSize: 2,
      dense: [],
      dropout: 0,
      seed: undefined,
    },
    FN,
  );
  const inputShape = assertShapeOption(o.inputShape, FN, 'inputShape', { min: 3, max: 3 });
  assertNumClasses(o.numClasses, FN);
  const filters = assertShapeOption(o.filters, FN, 'filters', { min: 1 });
  assertNumber(o.kernelSize, { min: 1, integer: true }, FN, 'kernelSize');
  assertOneOf(o.padding, ['valid', 'same'] as const, FN, 'padding');
  assertNumber(o.poolSize, { min: 1, integer: true }, FN, 'poolSize');
  const dense = assertShapeOption(o.dense, FN, 'dense', { min: 0 });
  assertRate(o.dropout, FN, 'dropout');
  const rng = builderRng(o.seed, FN);
  const initRng = rng.split();
  const dropoutRng = rng.split();
  const kernelSize = o.kernelSize as number;
  const poolSize = o.poolSize as number;
  const padding = o.padding as 'valid' | 'same';

  // Refuse a stack that shrinks the image to nothing here, naming the option, rather than
  // with a tfjs-layers shape error.
  const minSize = (padding === 'valid' ? filters.length * (kernelSize - 1) : 0) + poolSize;
  if (inputShape[0]! < minSize || inputShape[1]! < minSize) {
    fail(
      'INVALID_OPTION',
      FN,
      'inputShape',
      `at least ${minSize}×${minSize} pixels for these convolutions and pooling`,
      describeValue(inputShape),
    );
  }

  const model = tfl.sequential({ name: 'convNet' });
  model.add(tfl.layers.inputLayer({ inputShape: [...inputShape] }));
  for (const f of filters) {
    model.add(
      tfl.layers.conv2d({
        filters: f,
        kernelSize,
        padding,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heUniform({ seed: nextSeed(initRng) }),
        biasInitializer: 'zeros',
      }),
    );
  }
  if (poolSize > 1) model.add(tfl.layers.maxPooling2d({ poolSize, strides: poolSize }));
  if (o.dropout > 0) model.add(new SeededDropout({ rate: o.dropout, seed: nextSeed(dropoutRng) }));
  model.add(tfl.layers.flatten());
  for (const units of dense) {
    model.add(
      tfl.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heUniform({ seed: nextSeed(initRng) }),
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
