/**
 * @packageDocumentation
 * @module @tailwise/datasets
 */
// The main entry is browser-safe: it imports no `node:` module. File and package-data
// loaders live in `@tailwise/datasets/node` (src/node.ts).
// --- loaders & batching ---
export type {
  ArffAttribute,
  ArffDataset,
  ArffEncoding,
  ArffOrigin,
  ParseArffOptions,
} from './arff';
export { parseArff } from './arff';
export type { BatchesOptions, SslBatch, SslBatchesOptions } from './batches';
export { batches, sslBatches } from './batches';
export type {
  CsvHeader,
  CsvOptions,
  CsvOrigin,
  CsvSource,
  LabelColumns,
  LoadCsvOptions,
  LoadMultiLabelCsvOptions,
  ParseCsvOptions,
  ParseMultiLabelCsvOptions,
  TabularDataset,
} from './csv';
export { parseCsv, parseMultiLabelCsv } from './csv';
export type {
  FromTensorsOptions,
  FromTfDataOptions,
  TargetKind,
  TfDataLike,
} from './from-tensors';
export { datasetFromTensors, datasetFromTfData } from './from-tensors';
export type { IdxArray, IdxDtype } from './idx';
export { readIdx } from './idx';
export type { LongTailOptions } from './long-tail';
export { classCounts, longTail, longTailCounts } from './long-tail';
export type { TrainTestSplit } from './mnist';
export type {
  SemiSupervisedSplit,
  SemiSupervisedSplitOptions,
  TrainTestSplitOptions,
  TrainTestSplitResult,
} from './split';
export { semiSupervisedSplit, trainTestSplit } from './split';
export type { StandardizeOptions, StandardizeResult } from './standardize';
export { standardize } from './standardize';
export type { SubsetOptions, UndersampleOptions } from './subset';
export { subset, undersample } from './subset';
// --- end loaders & batching ---

// --- weak labels & augmentation ---
export type { AmbiguousMixupOptions, AmbiguousPatchMixOptions } from './ambiguous';
export { ambiguousMixup, ambiguousPatchMix } from './ambiguous';
export type { StrongAugmentOp, StrongAugmentOptions, WeakAugmentOptions } from './augment';
export { strongAugment, strongAugmentOps, weakAugment } from './augment';
export type { MissingLabelSetting, MissingLabelsOptions } from './missing-labels';
export { MISSING_LABEL_SETTINGS, missingLabels } from './missing-labels';
export type { MixupOptions, MixupResult } from './mixup';
export { mixup } from './mixup';
export type { PartialLabelsOptions } from './partial-labels';
export { partialLabels } from './partial-labels';
export type { SuperimposeOptions } from './superimpose';
export { superimpose } from './superimpose';
export type { GaussianNoiseOptions, ScarfCorruptionOptions } from './vector-views';
export { gaussianNoise, scarfCorruption } from './vector-views';
// --- end weak labels & augmentation ---
