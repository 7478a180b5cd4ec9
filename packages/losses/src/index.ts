/**
 * @packageDocumentation
 * @module @tailwise/losses
 */
export type { AsymmetricLossOptions } from './asymmetric-loss';
export { asymmetricLoss } from './asymmetric-loss';
export type { BinaryCrossEntropyOptions } from './binary-cross-entropy';
export { binaryCrossEntropy } from './binary-cross-entropy';
export type { BootstrapLossOptions } from './bootstrap-loss';
export { bootstrapLoss } from './bootstrap-loss';
export type { CcLossOptions } from './cc-loss';
export { ccLoss } from './cc-loss';
export type { CrossEntropyOptions, LogitAdjustedCrossEntropyOptions } from './cross-entropy';
export { crossEntropy, logitAdjustedCrossEntropy } from './cross-entropy';
export type { BinaryFocalLossOptions, SoftmaxFocalLossOptions } from './focal-loss';
export { binaryFocalLoss, softmaxFocalLoss } from './focal-loss';
export type { GeneralizedCrossEntropyOptions } from './generalized-cross-entropy';
export { generalizedCrossEntropy } from './generalized-cross-entropy';
export type { WeightsPer } from './internal/inputs';
export type { JensenShannonLossOptions } from './jensen-shannon-loss';
export { jensenShannonLoss } from './jensen-shannon-loss';
export type { SymmetricCrossEntropyOptions } from './symmetric-cross-entropy';
export { symmetricCrossEntropy } from './symmetric-cross-entropy';
export type { ElementLoss, SampleLoss, SampleLossWithOptions } from './types';
export {
  validateBinaryTargets,
  validateCandidates,
  validateClassIndices,
  validateLogits,
  validateTargets,
} from './validate';
