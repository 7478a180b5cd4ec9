/**
 * @packageDocumentation
 * @module @tailwise/core
 */
export type { TailwiseErrorCode, TailwiseErrorOptions } from './errors';
export { describeValue, fail, TailwiseError } from './errors';
export { hostValues } from './host-values';
export type { NumberBounds } from './options';
export { assertBoolean, assertNumber, assertOneOf, withDefaults } from './options';
export type { ReduceOptions, Reduction } from './reduce';
export { reduceElementwise } from './reduce';
export type { Rng, RngState } from './rng';
export { createRng, rngFromJSON } from './rng';
export type { CosineDecayOptions, StepDecayOptions } from './schedules';
export { cosineDecay, linearRampUp, stepDecay } from './schedules';
export { offTape, stopGradient, withoutGradient } from './stop-gradient';
export type { DimSpec, TensorInput } from './tensors';
export {
  assertDtype,
  assertRank,
  assertSameShape,
  assertShape,
  formatShape,
  toTensor,
} from './tensors';
export type { Batch, Dataset } from './types';
export {
  assertCandidateRows,
  assertClassIndices,
  assertDistribution,
  assertFiniteValues,
  assertValuesIn,
} from './validate';
