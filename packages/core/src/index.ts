/**
 * @packageDocumentation
 * @module @tailwise/core
 */
export type { ImageShapeOptions } from './checks';
export { assertImageBatch, assertImageShape, assertRng } from './checks';
export type { AssertDatasetOptions } from './dataset-checks';
export { assertDataset } from './dataset-checks';
export type { TailwiseErrorCode, TailwiseErrorOptions } from './errors';
export { describeValue, fail, TailwiseError } from './errors';
export { hostValues } from './host-values';
export { DISTRIBUTION_EPS, logRatio } from './log-ratio';
export type { NumberBounds } from './options';
export { assertBoolean, assertNumber, assertOneOf, withDefaults } from './options';
export type { ReduceOptions, Reduction } from './reduce';
export { REDUCTIONS, reduceElementwise } from './reduce';
export type { Rng, RngState } from './rng';
export { createRng, rngFromJSON } from './rng';
export type { CosineDecayOptions, StepDecayOptions } from './schedules';
export { cosineDecay, linearRampUp, stepDecay } from './schedules';
export type { StateEnvelope } from './state';
export { readStateEnvelope, stateEnvelope } from './state';
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
export type { ValueBounds } from './validate';
export {
  assertCandidateRows,
  assertClassIndices,
  assertDistribution,
  assertDistributionRows,
  assertFiniteValues,
  assertInRange,
  assertValuesIn,
} from './validate';
export type { ValidationLevel } from './validation';
export {
  checkCandidateRows,
  checkClassIndices,
  checkDistribution,
  checkDistributionRows,
  checkFinite,
  checkInRange,
  checkValuesIn,
  getValidation,
  setValidation,
  valuesToCheck,
  withValidation,
} from './validation';
export type { View, ViewPair, ViewsOption } from './views';
