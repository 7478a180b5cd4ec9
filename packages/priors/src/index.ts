/**
 * @packageDocumentation
 * @module @tailwise/priors
 */
export { argmaxDistribution, classPrior, meanDistribution } from './class-prior';
export type { EffectiveNumberWeightsOptions } from './class-weights';
export { effectiveNumberWeights } from './class-weights';
export type { EmaPriorJSON, EmaPriorOptions } from './ema-prior';
export { EmaPrior } from './ema-prior';
export type { InferenceLogitAdjustmentOptions } from './logit-adjustment';
export { inferenceLogitAdjustment, logitAdjustment } from './logit-adjustment';
export { positiveNegativeRatio } from './positive-negative-ratio';
export type { ProgressiveTargetOptions } from './progressive-target';
export { progressiveAlpha, progressiveTarget } from './progressive-target';
