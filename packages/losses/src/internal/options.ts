import {
  assertOneOf,
  REDUCTIONS,
  type Reduction,
  reduceElementwise,
  type TensorInput,
  withDefaults,
} from '@tailwise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { sampleWeights, type WeightsPer } from './inputs';

/** Options every per-sample (single-label) loss resolves. */
export interface SampleResolved {
  reduction: Reduction;
  weightsPer: WeightsPer;
  mask: TensorInput | undefined;
  weights: TensorInput | undefined;
}

/** Options every element-wise (multi-label) loss resolves. */
export interface ElementResolved {
  reduction: Reduction;
  mask: TensorInput | undefined;
  weights: TensorInput | undefined;
}

/** Merges defaults once (unknown keys are errors) and checks the shared options. */
export function resolveSampleOptions<E extends object>(
  options: object | undefined,
  extra: E,
  functionName: string,
): SampleResolved & E {
  const defaults = {
    reduction: 'mean',
    weightsPer: 'class',
    mask: undefined,
    weights: undefined,
    ...extra,
  } as SampleResolved & E;
  const o = withDefaults<SampleResolved & E>(
    options as Partial<SampleResolved & E>,
    defaults,
    functionName,
  );
  assertOneOf(o.reduction, REDUCTIONS, functionName, 'reduction');
  assertOneOf(o.weightsPer, ['class', 'sample'] as const, functionName, 'weightsPer');
  return o;
}

/** As {@link resolveSampleOptions}, for element-wise losses (no `weightsPer`). */
export function resolveElementOptions<E extends object>(
  options: object | undefined,
  extra: E,
  functionName: string,
): ElementResolved & E {
  const defaults = {
    reduction: 'mean',
    mask: undefined,
    weights: undefined,
    ...extra,
  } as ElementResolved & E;
  const o = withDefaults<ElementResolved & E>(
    options as Partial<ElementResolved & E>,
    defaults,
    functionName,
  );
  assertOneOf(o.reduction, REDUCTIONS, functionName, 'reduction');
  return o;
}

/** Applies the `[B]` mask and the class / sample weights (read against `targets`) and reduces. */
export function reduceSamples(
  perSample: tf.Tensor,
  targets: tf.Tensor2D,
  o: SampleResolved,
  functionName: string,
): tf.Tensor {
  const w = sampleWeights(o.weights, o.weightsPer, targets, functionName);
  return reduceElementwise(
    perSample,
    { reduction: o.reduction, mask: o.mask, weights: w },
    functionName,
  );
}

/** Applies the element mask and weights and reduces. */
export function reduceElements(
  perElement: tf.Tensor,
  o: ElementResolved,
  functionName: string,
): tf.Tensor {
  return reduceElementwise(
    perElement,
    { reduction: o.reduction, mask: o.mask, weights: o.weights },
    functionName,
  );
}
