/**
 * @packageDocumentation
 * @module @tailwise/metrics
 */
// Every metric has a function face (host arrays → a value; tensors → a promise, each tensor
// read once) and an accumulating class face (`update` / `compute` / `reset`) over the same
// private steps (src/internal/steps.ts).
export {
  Accuracy,
  accuracy,
  BalancedAccuracy,
  balancedAccuracy,
  PerClassAccuracy,
  perClassAccuracy,
} from './accuracy';
export {
  AveragePrecision,
  averagePrecision,
  MeanAveragePrecision,
  meanAveragePrecision,
} from './average-precision';
export type { CalibrationBin, CalibrationOptions, CalibrationResult } from './calibration';
export { ExpectedCalibrationError, expectedCalibrationError } from './calibration';
export { ConfusionMatrix, confusionMatrix } from './confusion-matrix';
export type { ErrorRatesResult } from './error-rates';
export { ErrorRates, errorRates } from './error-rates';
export type { MatrixInput } from './internal/inputs';
export type {
  MeanAveragePrecisionResult,
  ShotGroupAccuracyResult,
  ShotGroups,
} from './internal/steps';
export type { IndexInput, MatrixOrTensor } from './internal/tensor-inputs';
export type {
  Decision,
  PerClassPrecisionRecallF1Result,
  PrecisionRecallF1,
  ThresholdOptions,
} from './precision-recall';
export {
  ExactMatch,
  exactMatch,
  PrecisionRecallF1Metric,
  perClassPrecisionRecallF1,
} from './precision-recall';
export { rarestClasses, rarestK } from './rarest';
export { ShotGroupAccuracy, shotGroupAccuracy, shotGroups } from './shot-groups';
