import { assertSchedule, resolveOptions, type SslBaseOptions } from './internal/ssl-options';
import { createSslRecipe, type SslRecipe } from './internal/ssl-recipe';
import { fixMatchTargets, udalLossSlot } from './internal/ssl-slots';

/** Options of `recipes.udal`: FixMatch's plus the progressive target. */
export interface UdalOptions extends SslBaseOptions {
  /** Smallest α of the target `p̃ = normalize(p_data^α_t)`, in [0, 1]. Default 0.1. */
  alphaMin: number;
  /** Rate k ≥ 0 of `α_t = 1 − (1 − αMin)·(t/T)^k`. Default 2. */
  k: number;
}

/**
 * UDAL: distribution alignment as a loss on both branches of FixMatch (paper 004, eq. 6, 9,
 * 10 and Algorithm 1; docs/methods/004-udal.md):
 *
 * `loss_l = CE(y_l, f(x_l) + log((p_data + 1e-9)/(p̃ + 1e-9)))`
 * `loss_u = mean(1[max q_w ≥ 0.95] · CE(argmax q_w, f(x_strong) + log((p̂ + 1e-9)/(p̃ + 1e-9))))`
 * `L = loss_l + λ_u·loss_u`
 *
 * - `p_data`: class frequencies of the labeled set ({@link @tailwise/priors!classPrior}); every class needs a
 *   labeled example (`NOT_A_DISTRIBUTION` otherwise).
 * - `p̃ = normalize(p_data^α_t)`, `α_t = 1 − (1 − αMin)·(t/T)^k` ({@link @tailwise/priors!progressiveTarget}),
 *   t the integer 0-based epoch, T the number of epochs, recomputed at the start of each
 *   epoch.
 * - `p̂`: EMA (`priorMomentum` 0.999, uniform start) of the mean weak-view softmax on the
 *   unlabeled batch ({@link @tailwise/priors!EmaPrior}); each step's loss uses the EMA of the steps before it,
 *   then the step's estimate is folded in.
 * - `q_w = softmax(f(x_weak))` of the **unadjusted** weak logits ({@link @tailwise/pseudo-labels!fixMatchPseudoLabels}):
 *   the alignment changes the losses, never the pseudo-labels.
 *
 * Both adjustments are constants in the loss ({@link @tailwise/losses!logitAdjustedCrossEntropy},
 * {@link @tailwise/priors!logitAdjustment}). Everything else is `recipes.fixMatch`: weak/strong views, μ = 7,
 * τ = 0.95, one forward pass, evaluation with an EMA of the weights. LA at inference is the
 * trainer's `inferenceTau`. Defaults `alphaMin = 0.1, k = 2`.
 *
 * Adds `alpha` and `target` (p̃) to each epoch's log record, besides FixMatch's fields.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, recipe: recipes.udal({ alphaMin: 0.1, k: 2 }),
 *   train: labeled, unlabeled, test, epochs: 32, batchSize: 64, seed: 0, inferenceTau: 1 });
 * const { final, finalLA } = await trainer.fit();
 * ```
 * @returns a recipe; `trainer.dispose()` frees its EMA weights and priors.
 */
export function udal(options: Partial<UdalOptions> = {}): SslRecipe {
  const fn = 'udal';
  const o = resolveOptions<UdalOptions>(options, { alphaMin: 0.1, k: 2 }, fn);
  assertSchedule(o.alphaMin, o.k, fn);
  return createSslRecipe(
    {
      name: fn,
      schedule: { alphaMin: o.alphaMin, k: o.k },
      pseudoLabels: fixMatchTargets,
      loss: udalLossSlot,
    },
    o,
  );
}
