import { assertNumber, assertOneOf, fail, withDefaults } from '@tailwise/core';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { PlainBatchNormalization } from './batch-norm';
import { type Classifier, fromLayersModel } from './classifier';
import { assertNumClasses, assertShapeOption, builderRng, nextSeed } from './internal/options';
import { ShortcutA } from './internal/shortcut-a';

/** Options of {@link resNet}. */
export interface ResNetOptions {
  /** Per-sample input shape `[height, width, channels]`, e.g. `[32, 32, 3]`. */
  inputShape: readonly number[];
  /** Number of classes C (logit width). */
  numClasses: number;
  /** Number of weighted layers, `6n + 2`: 20, 32, 44, 56, 110, … Default 20. */
  depth?: number;
  /** Channels of the first stage; the stages have `width`, `2·width`, `4·width`. Default 16. */
  width?: number;
  /**
   * Shortcut where a block changes shape. `'B'`: 1×1 convolution (stride 2) + batch norm,
   * the ResNet-20 of docs/performance.md (272,474 parameters for 10 classes). `'A'`: He et al.'s
   * parameter-free CIFAR shortcut (subsample, zero-pad the new channels; 269,722
   * parameters). Default `'B'`.
   */
  shortcut?: 'A' | 'B';
  /** Batch norm momentum (weight of the old moving value). Default 0.9 (PyTorch's 0.1). */
  batchNormMomentum?: number;
  /** Batch norm epsilon. Default 1e-5. */
  batchNormEpsilon?: number;
  /** Seed of the initializers. Default: a fresh random seed. */
  seed?: number;
}

const FN = 'resNet';

/**
 * The CIFAR ResNet of He et al. (2016, "Deep Residual Learning for Image Recognition",
 * §4.2): a 3×3 convolution with `width` filters, then three stages of `n = (depth − 2)/6`
 * basic blocks with `width`, `2·width`, `4·width` filters (the first block of stages 2
 * and 3 halves the resolution with stride 2), global average pooling and a dense layer to
 * the logits `[B, numClasses]`.
 *
 * Basic block: `relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x))`; the shortcut is
 * the identity, or option A / B (see {@link ResNetOptions.shortcut}) when the shape
 * changes. Batch norm is {@link PlainBatchNormalization} (plain ops: faster gradients on
 * wasm than `tf.batchNorm`, docs/performance.md).
 *
 * Initialization: He normal for the (bias-free) convolutions, Glorot uniform for the
 * logits, γ = 1, β = 0; all seeded from `seed` (same seed, same weights). To re-initialize,
 * call the builder again.
 *
 * Backends: training needs `Conv2DBackpropFilter`, which the stock wasm backend lacks
 * (`@tailwise/backends` registers it); the forward pass works everywhere.
 *
 * Ownership: the caller owns the classifier and must `dispose()` it.
 *
 * @example
 * ```ts
 * const classifier = resNet({ inputShape: [32, 32, 3], numClasses: 10, depth: 20, seed: 1 });
 * const logits = classifier.apply(batch.x, { training: true }); // [B, 10]
 * ```
 */
export function resNet(options: ResNetOptions): Classifier {
  const o = withDefaults<ResNetOptions>(
    options,
    {
      inputShape: undefined as unknown as number[],
      numClasses: undefined as unknown as number,
      depth: 20,
      width: 16,
      shortcut: 'B',
      batchNormMomentum: 0.9,
      batchNormEpsilon: 1e-5,
      seed: undefined,
    },
    FN,
  );
  const inputShape = assertShapeOption(o.inputShape, FN, 'inputShape', { min: 3, max: 3 });
  assertNumClasses(o.numClasses, FN);
  const depth = o.depth;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    fail(
      'INVALID_OPTION',
      FN,
      'depth',
      'an integer 6n + 2 >= 8 (20, 32, 44, 56, 110, …)',
      String(depth),
    );
  }
  assertNumber(o.width, { min: 1, integer: true }, FN, 'width');
  assertOneOf(o.shortcut, ['A', 'B'] as const, FN, 'shortcut');
  assertNumber(o.batchNormMomentum, { min: 0, max: 1 }, FN, 'batchNormMomentum');
  assertNumber(o.batchNormEpsilon, { min: 0, minExclusive: true }, FN, 'batchNormEpsilon');
  const rng = builderRng(o.seed, FN);
  const width = o.width as number;

  const conv = (x: SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
    tfl.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: tfl.initializers.heNormal({ seed: nextSeed(rng) }),
      })
      .apply(x) as SymbolicTensor;
  const bn = (x: SymbolicTensor) =>
    new PlainBatchNormalization({
      momentum: o.batchNormMomentum,
      epsilon: o.batchNormEpsilon,
    }).apply(x) as SymbolicTensor;
  const relu = (x: SymbolicTensor) => tfl.layers.reLU().apply(x) as SymbolicTensor;

  const block = (x: SymbolicTensor, inChannels: number, filters: number, strides: 1 | 2) => {
    const y = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3, 1));
    let skip = x;
    if (strides !== 1 || inChannels !== filters) {
      skip =
        o.shortcut === 'A'
          ? (new ShortcutA({ filters, strides }).apply(x) as SymbolicTensor)
          : bn(conv(x, filters, 1, strides));
    }
    return relu(tfl.layers.add().apply([y, skip]) as SymbolicTensor);
  };

  const input = tfl.input({ shape: [...inputShape] });
  let x = relu(bn(conv(input, width, 3, 1)));
  let channels = width;
  const blocksPerStage = (depth - 2) / 6;
  for (let stage = 0; stage < 3; stage++) {
    const filters = width * 2 ** stage;
    for (let b = 0; b < blocksPerStage; b++) {
      x = block(x, channels, filters, stage > 0 && b === 0 ? 2 : 1);
      channels = filters;
    }
  }
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const logits = tfl.layers
    .dense({
      units: o.numClasses,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed(rng) }),
      biasInitializer: 'zeros',
    })
    .apply(x) as SymbolicTensor;
  return fromLayersModel(tfl.model({ inputs: input, outputs: logits, name: `resNet${depth}` }));
}
