import type { Batch, Rng } from '@tailwise/core';
import type { EmaWeights } from '@tailwise/models';
import type { EmaPrior } from '@tailwise/priors';
import type * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe } from '../../../recipe';
import type { TargetSchedule } from './ssl-options';
import type { PseudoLabelSlot, SslLossSlot } from './ssl-slots';

/** What distinguishes the four recipes: function slots, no flags. */
export interface SslVariant {
  name: string;
  /** The progressive target p̃ = normalize(p_data^α_t), when the method uses one. */
  schedule?: TargetSchedule;
  pseudoLabels: PseudoLabelSlot;
  /** The step's loss from labeled logits, strong logits, pseudo-labels, mask and distributions. */
  loss: SslLossSlot;
}

/** One semi-supervised step after `prepare`: the two batches and the three views. */
export interface SslStep {
  readonly labeled: Batch;
  readonly unlabeled: Batch;
  /** Weak view of the labeled inputs `[B, ...]`. */
  readonly labeledWeak: tf.Tensor;
  /** Weak view of the unlabeled inputs `[μB, ...]`. */
  readonly unlabeledWeak: tf.Tensor;
  /** Strong view of the unlabeled inputs `[μB, ...]`. */
  readonly unlabeledStrong: tf.Tensor;
}

/** A step's typed result: the loss and, detached, what `afterStep` folds into p̂ and the logs. */
export interface SslLossResult extends LossResult {
  /** Mean weak-view softmax of the unlabeled batch `[C]` (the step's estimate for p̂). */
  readonly weakMean: tf.Tensor1D;
  readonly pseudoLabels: tf.Tensor1D;
  readonly mask: tf.Tensor1D;
}

/** The whole state of a FixMatch-based recipe. */
export interface SslState {
  /** EMA of the weights, evaluated with (0.999). */
  ema: EmaWeights;
  /** p̂: EMA of the mean weak-view softmax on unlabeled data. */
  pHat: EmaPrior;
  viewRng: Rng;
  /** p_data, the labeled class frequencies (methods with a target). */
  pData: tf.Tensor1D | undefined;
  /** p̃ and α of the epoch in progress. */
  target: tf.Tensor1D | undefined;
  alpha: number | undefined;
  /** Diagnostics of the epoch in progress. */
  seen: number;
  confident: number;
  correct: number;
  confidentPerClass: number[];
}

/** The recipe type of the SSL family. */
export type SslRecipe = Recipe<SslState, SslStep, SslLossResult>;
