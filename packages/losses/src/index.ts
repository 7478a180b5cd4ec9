/**
 * @packageDocumentation
 * @module @tailwise/losses
 */
export type { AssumeNegativeLossOptions } from './assume-negative-loss';
export {
  assumeNegativeLoss,
  missingAsNegative,
  weakAssumeNegativeLoss,
} from './assume-negative-loss';
export type { AsymmetricLossOptions } from './asymmetric-loss';
export { asymmetricLoss } from './asymmetric-loss';
export type { BinaryCrossEntropyOptions } from './binary-cross-entropy';
export { binaryCrossEntropy } from './binary-cross-entropy';
export type { BootstrapLossOptions } from './bootstrap-loss';
export { bootstrapLoss } from './bootstrap-loss';
export type { CcLossOptions } from './cc-loss';
export { ccLoss } from './cc-loss';
export type { CpuDivergence, CpuRiskOptions, CpuRiskResult } from './cpu-risk';
export { cpuRisk } from './cpu-risk';
export type { CrossEntropyOptions, LogitAdjustedCrossEntropyOptions } from './cross-entropy';
export { crossEntropy, logitAdjustedCrossEntropy } from './cross-entropy';
export type { BinaryFocalLossOptions, SoftmaxFocalLossOptions } from './focal-loss';
export { binaryFocalLoss, softmaxFocalLoss } from './focal-loss';
export type { GeneralizedCrossEntropyOptions } from './generalized-cross-entropy';
export { generalizedCrossEntropy } from './generalized-cross-entropy';
export type { WeightsPer } from './internal/inputs';
export type { JensenShannonLossOptions } from './jensen-shannon-loss';
export { jensenShannonLoss } from './jensen-shannon-loss';
export type { BetaFrom, PartialAnnotationLossOptions } from './partial-annotation-loss';
export { partialAnnotationD, partialAnnotationLoss } from './partial-annotation-loss';
export type { RoleLossOptions } from './role-loss';
export { roleLoss } from './role-loss';
export type { ScaledSjsDivergenceOptions } from './scaled-sjs-divergence';
export { SJS_ALPHA_FLOOR, sampleSjsAlpha, scaledSjsDivergence } from './scaled-sjs-divergence';
export type { SymmetricCrossEntropyOptions } from './symmetric-cross-entropy';
export { symmetricCrossEntropy } from './symmetric-cross-entropy';
export type { ElementLoss, SampleLoss, SampleLossWithOptions } from './types';
export type { UdalLossInputs, UdalLossOptions, UdalLossTerms } from './udal-loss';
export { udalLoss, udalLossTerms } from './udal-loss';
export {
  validateBinaryTargets,
  validateCandidates,
  validateClassIndices,
  validateLogits,
  validateMultiLabelState,
  validateTargets,
} from './validate';
