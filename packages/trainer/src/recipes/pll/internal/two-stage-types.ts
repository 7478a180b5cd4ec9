import type { Rng } from '@tailwise/core';
import type { EmaPrior } from '@tailwise/priors';
import type { PseudoLabelStore, SinkhornQueue } from '@tailwise/pseudo-labels';
import type * as tf from '@tensorflow/tfjs-core';
import type { LossResult, StepData } from '../../../recipe';
import type { ResolvedSchedule } from './two-stage-schedule';

/** What distinguishes PLR from Solar inside the shared skeleton: function slots. */
export interface TwoStageVariant<V extends Record<string, number> = Record<string, number>> {
  name: string;
  /** ρ's end value for C classes (`rhoEnd: 'auto'`). */
  rhoEnd(numClasses: number): number;
  /** The variant's own `'auto'` options resolved for C classes (kept in the state). */
  resolve(numClasses: number): V;
  /** Pseudo-labels `w` of a batch; runs with the tape off. */
  pseudoLabels(
    candidates: tf.Tensor2D,
    logits: tf.Tensor2D,
    prior: tf.Tensor1D,
    queue: SinkhornQueue | undefined,
    resolved: V,
  ): tf.Tensor2D;
  /** The `[B]` 0/1 small-loss selection; runs with the tape off. */
  select(w: tf.Tensor2D, logits: tf.Tensor2D, prior: tf.Tensor1D, rho: number): tf.Tensor1D;
  /** Solar: the queue that the batch's `f ⊙ S` rows are pushed to after every step. */
  createQueue?(): SinkhornQueue;
}

/** The whole state of PLR / Solar. */
export interface TwoStageState {
  schedule: ResolvedSchedule;
  /** The variant's resolved options (PLR's λ and M). */
  resolved: Record<string, number>;
  /** PRODEN's targets (Solar's `confidence`), uniform over S at each stage's start. */
  store: PseudoLabelStore;
  /** The class prior r (eq. 6). */
  prior: EmaPrior;
  queue: SinkhornQueue | undefined;
  viewRng: Rng;
  mixRng: Rng;
  /** Whether each stage starts with the uniform-candidate epoch (option `candidateStage`). */
  candidateStage: boolean;
  /** Schedule position of the epoch in progress. */
  eta: number;
  rho: number;
  /** Diagnostics of the epoch in progress. */
  seen: number;
  selected: number;
  selectedCorrect: number;
}

/** A step after `prepare`: the batch and the views the epoch uses. */
export interface TwoStageStep extends StepData {
  readonly weak: tf.Tensor;
  readonly strong: tf.Tensor | undefined;
}

/** A step's typed result; every tensor but `loss` is detached. */
export interface TwoStageLossResult extends LossResult {
  /** PRODEN's eq. 1 targets of the step, stored after it. */
  readonly next: tf.Tensor2D;
  /** `f ⊙ S` rows for Solar's queue. */
  readonly products?: tf.Tensor2D;
  readonly w?: tf.Tensor2D;
  readonly sel?: tf.Tensor1D;
  readonly xMix?: tf.Tensor;
  readonly targetsMix?: tf.Tensor2D;
}
