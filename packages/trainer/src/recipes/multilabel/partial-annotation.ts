import { assertNumber, assertOneOf, offTape, type Rng, withDefaults } from '@tailwise/core';
import { type BetaFrom, partialAnnotationLoss } from '@tailwise/losses';
import { subsampleUnknown } from '@tailwise/masking';
import { MultiLabelPseudoLabelStore } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';
import { trainingState } from './internal/state';

/** Options of the `recipes.partialAnnotation` recipe (paper 001's defaults). */
export interface PartialAnnotationOptions {
  /** Fraction of each sample's unknown entries used per step, in (0, 1] (eq. 12). Default 0.5. */
  q: number;
  /** Shift m of d (eq. 9). Default 3. */
  m: number;
  /** Floor γ of β (eq. 8). Default 0.05. */
  gamma: number;
  /** What P/T of β counts (docs/methods/001-partial-annotations.md, "α and β"). Default `'known'`. */
  betaFrom: BetaFrom;
}

/** State of the `recipes.partialAnnotation` recipe. */
export interface PartialAnnotationState {
  /** Pseudo-labels ỹ of every training sample (eq. 5). */
  store: MultiLabelPseudoLabelStore;
  /** Stream of the per-step selection Q (eq. 12). */
  rng: Rng;
}

/** Loss result: the loss and the step's logits, detached, for the pseudo-label update. */
export interface PartialAnnotationLossResult extends LossResult {
  readonly logits: tf.Tensor2D;
}

const FN = 'recipes.partialAnnotation';

/**
 * Paper 001 (Zhang et al., "Towards Imbalanced Large Scale Multi-label Classification with
 * Partially Annotated Labels"): pseudo-labels for the missing entries, the batch-statistics
 * loss and random subsampling of the missing entries. Trains on a multi-label state in
 * {1, 0, −1} (`missingLabels` in `@tailwise/datasets`); the test set has full labels.
 *
 * | step | leaf function |
 * |---|---|
 * | targets ỹ of the batch | `MultiLabelPseudoLabelStore.get` (pseudo-labels, eq. 5) |
 * | selected unknown entries Q | `subsampleUnknown(z, { q, rng })` (masking, eq. 12) |
 * | loss | `partialAnnotationLoss(z, ỹ, f(x), { epoch, totalEpochs, m, gamma, selected })` (losses, eq. 11) |
 * | after the step | `store.update(indices, logits)`: ỹ ← σ(logits), unknown entries only |
 *
 * Decisions the paper leaves open: docs/methods/001-partial-annotations.md.
 *
 * @example
 * ```ts
 * const train = missingLabels(full, { setting: 'PAL', keep: 0.3, rng: createRng(0) });
 * const trainer = new Trainer({ model, recipe: recipes.partialAnnotation(), train, test, epochs: 20, batchSize: 128, seed: 0 });
 * ```
 */
export function partialAnnotation(
  options: Partial<PartialAnnotationOptions> = {},
): Recipe<PartialAnnotationState, StepData, PartialAnnotationLossResult> {
  const o = withDefaults<PartialAnnotationOptions>(
    options,
    { q: 0.5, m: 3, gamma: 0.05, betaFrom: 'known' },
    FN,
  );
  assertNumber(o.q, { min: 0, max: 1, minExclusive: true }, FN, 'q');
  assertNumber(o.m, { min: 0 }, FN, 'm');
  assertNumber(o.gamma, { min: 0, max: 1 }, FN, 'gamma');
  assertOneOf(o.betaFrom, ['known', 'all'] as const, FN, 'betaFrom');
  return {
    name: 'partialAnnotation',
    task: 'multi-label',
    requires: ['multiLabels'],
    options: { ...o },
    setup(ctx) {
      const z = trainingState(ctx.train, FN);
      return {
        options: { ...o },
        state: {
          store: new MultiLabelPseudoLabelStore(z, ctx.train.numClasses),
          rng: ctx.rng.split(),
        },
      };
    },
    loss(ctx, state, { batch }) {
      const z = batch.multiLabels!;
      const logits = ctx.model.apply(batch.x, { training: true }) as tf.Tensor2D;
      const loss = partialAnnotationLoss(z, state.store.get(batch.indices), logits, {
        epoch: ctx.epoch + 1,
        totalEpochs: ctx.totalEpochs,
        m: o.m,
        gamma: o.gamma,
        betaFrom: o.betaFrom,
        selected: subsampleUnknown(z, { q: o.q, rng: state.rng }),
      });
      const { detached } = offTape(logits, (l) => ({ detached: tf.clone(l) as tf.Tensor2D }));
      return { loss, logits: detached };
    },
    async afterStep(_ctx, state, { batch }, out) {
      await state.store.update(batch.indices, out.logits);
    },
  };
}
