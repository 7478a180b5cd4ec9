/**
 * @packageDocumentation
 * @module @tailwise/pseudo-labels
 */
export type { DistributionAlignmentOptions } from './distribution-alignment';
export { distributionAlignment } from './distribution-alignment';
export type { FixMatchPseudoLabels, FixMatchPseudoLabelsOptions } from './fixmatch';
export { fixMatchPseudoLabels } from './fixmatch';
export type {
  MultiLabelPseudoLabelStoreOptions,
  MultiLabelPseudoLabelStoreState,
} from './multi-label-pseudo-label-store';
export { MultiLabelPseudoLabelStore } from './multi-label-pseudo-label-store';
export type { PlrPseudoLabelsOptions } from './plr';
export { plrPseudoLabels, prodenPseudoLabels } from './plr';
export type { PseudoLabelStoreState } from './pseudo-label-store';
export { createPseudoLabelStore, PseudoLabelStore } from './pseudo-label-store';
export type { SelectSmallLossOptions } from './select-small-loss';
export { selectSmallLoss } from './select-small-loss';
export type { SinkhornPseudoLabels, SinkhornPseudoLabelsOptions } from './sinkhorn';
export { sinkhornPseudoLabels } from './sinkhorn';
export type { SinkhornQueueOptions, SinkhornQueueState } from './sinkhorn-queue';
export { SinkhornQueue } from './sinkhorn-queue';
export { validateCandidates, validateLogits, validatePrior } from './validate';
