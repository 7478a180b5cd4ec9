/**
 * @packageDocumentation
 * @module @tailwise/models
 */
export type { PlainBatchNormalizationArgs } from './batch-norm';
export { PlainBatchNormalization } from './batch-norm';
export type { ApplyOptions, Classifier } from './classifier';
export { fromLayersModel } from './classifier';
export type { ConvNetOptions } from './conv-net';
export { convNet } from './conv-net';
export type { EmaWeightsJSON, EmaWeightsOptions } from './ema-weights';
export { EmaWeights } from './ema-weights';
export type { MlpActivation, MlpOptions } from './mlp';
export { mlp } from './mlp';
export type { ResNetOptions } from './res-net';
export { resNet } from './res-net';
export type { WideResNetOptions } from './wide-res-net';
export { wideResNet } from './wide-res-net';
