/**
 * @packageDocumentation
 * @module @tailwise/masking
 */
export type { RandomSource } from './internal/seed';
export type { PlmMaskOptions } from './plm-mask';
export { plmMask } from './plm-mask';
export type {
  InitialRatioStatistic,
  RatioAdapterJSON,
  RatioAdapterOptions,
  RatioAdapterStep,
} from './ratio-adapter';
export { RatioAdapter } from './ratio-adapter';
export type { SubsampleUnknownOptions } from './subsample-unknown';
export { subsampleUnknown } from './subsample-unknown';
export type { ValidateLabelsOptions } from './validate';
export { validateLabels, validateRatio } from './validate';
