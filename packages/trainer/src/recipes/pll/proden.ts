import { withDefaults } from '@tailwise/core';
import { prodenPseudoLabels } from '@tailwise/pseudo-labels';
import type { Recipe, StepData } from '../../recipe';
import {
  createStoredTargetsRecipe,
  type StoredTargetsLossResult,
  type StoredTargetsState,
} from './internal/stored-targets';

/** Options of the `recipes.proden` recipe: none (PRODEN has no hyper-parameter of its own). */
export type ProdenOptions = Record<never, never>;

/**
 * PRODEN, progressive identification of true labels (Lv et al. 2020; PLR paper 000, eq. 1 and
 * its "PRODEN" rows; docs/methods/000-plr.md "Peers").
 *
 * Per-sample targets live in a {@link @tailwise/pseudo-labels!PseudoLabelStore} that starts uniform over each candidate
 * set, `w_ij = S_ij / Σ_j S_ij`; the loss is `CE(w, f(x))`; after every step the batch's rows
 * become `w_ij = S_ij f_ij / Σ_j S_ij f_ij` of that step's logits ({@link prodenPseudoLabels}).
 * Trains on the plain inputs (no augmentation, no mixup or consistency).
 *
 * Each epoch's record gets `storeAccuracy` (argmax of the stored targets against the hidden
 * true labels, logging only) and `storeChange` (mean L1 change of a stored row over the epoch).
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, recipe: recipes.proden(), train, test, epochs: 20,
 *   batchSize: 256, seed: 0 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its store.
 */
export function proden(
  options: Partial<ProdenOptions> = {},
): Recipe<StoredTargetsState, StepData, StoredTargetsLossResult> {
  const o = withDefaults<ProdenOptions>(options, {}, 'recipes.proden');
  return createStoredTargetsRecipe({
    name: 'proden',
    options: { ...o },
    nextTargets: (s, logits) => prodenPseudoLabels(s, logits),
  });
}
