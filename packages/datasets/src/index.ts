// --- loaders & batching ---
export type { BatchesOptions, SslBatch, SslBatchesOptions } from './batches';
export { batches, sslBatches } from './batches';
export type {
  CsvOptions,
  CsvSource,
  LabelColumns,
  LoadCsvOptions,
  LoadMultiLabelCsvOptions,
} from './csv';
export { loadCsv, loadMultiLabelCsv } from './csv';
export type { LoadFashionMnistOptions } from './fashion-mnist';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
} from './fashion-mnist';
export type { IdxArray, IdxDtype } from './idx';
export { readIdx, readIdxFile } from './idx';
export type { LongTailOptions } from './long-tail';
export { classCounts, longTail, longTailCounts } from './long-tail';
export type { LoadMnistOptions, TrainTestSplit } from './mnist';
export { loadMnist } from './mnist';
export type { SemiSupervisedSplit, SemiSupervisedSplitOptions } from './split';
export { semiSupervisedSplit } from './split';
export type { SubsetOptions, UndersampleOptions } from './subset';
export { subset, undersample } from './subset';
// --- end loaders & batching ---

// --- weak labels & augmentation ---
export type { AmbiguousMixupOptions, AmbiguousPatchMixOptions } from './ambiguous';
export { ambiguousMixup, ambiguousPatchMix } from './ambiguous';
export type { StrongAugmentOp, StrongAugmentOptions, WeakAugmentOptions } from './augment';
export { strongAugment, strongAugmentOps, weakAugment } from './augment';
export type { MixupOptions, MixupResult } from './mixup';
export { mixup } from './mixup';
export type { PartialLabelsOptions } from './partial-labels';
export { partialLabels } from './partial-labels';
export type { SuperimposeOptions } from './superimpose';
export { superimpose } from './superimpose';
// --- end weak labels & augmentation ---
