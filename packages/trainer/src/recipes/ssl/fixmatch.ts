import { resolveOptions, type SslBaseOptions } from './internal/ssl-options';
import { createSslRecipe, type SslRecipe } from './internal/ssl-recipe';
import { fixMatchLoss, fixMatchTargets } from './internal/ssl-slots';

/**
 * Options of `recipes.fixMatch`: the shared semi-supervised options (the Trainer's `unlabeled` set is required).
 * Defaults: `mu = 7, threshold = 0.95, lambdaU = 1, emaDecay = 0.999, emaWarmup = true,
 * priorMomentum = 0.999, flip = true, translate = 0.125, strongOps = 2, cutout = 0.5,
 * diagnostics = true`.
 */
export type FixMatchOptions = SslBaseOptions;

/**
 * FixMatch (Sohn et al., 2020), the base learner of UDAL (paper 004, eq. 5; docs/methods/004-udal.md):
 *
 * `L = CE(y_l, f(weak(x_l))) + λ_u · (1/μB) Σ_u 1[max q_u ≥ τ] · CE(argmax q_u, f(strong(u)))`,
 * `q_u = softmax(f(weak(u)))` without gradient.
 *
 * Each step takes B labeled and μ·B unlabeled rows ({@link @tailwise/datasets!sslBatches}); the weak view is
 * flip + translate ({@link @tailwise/datasets!weakAugment}), the strong view RandAugment + Cutout
 * ({@link @tailwise/datasets!strongAugment}) on top of a weak view. One forward pass covers
 * [labeled weak, unlabeled weak, unlabeled strong]. Evaluation uses an EMA of the weights
 * ({@link @tailwise/models!EmaWeights}, 0.999). Logit adjustment at inference ("LA (Inf)") is the trainer's
 * `inferenceTau`. Works on image datasets (`[H, W, 1|3]`).
 *
 * Each epoch's log record gets `pHat` (EMA of the mean weak-view prediction), `maskRate`
 * (share of unlabeled samples above the threshold), `pseudoLabelDistribution` (classes of
 * the confident pseudo-labels) and `pseudoLabelAccuracy` (diagnostic only: it reads the
 * unlabeled set's hidden labels, which never reach the loss).
 *
 * @example
 * ```ts
 * const { train, test, unlabeled } = await loadExperimentData({ name: 'fashion-mnist-lt',
 *   gamma: 100, labeledFraction: 0.1, seed: 0 });
 * const trainer = new Trainer({ model, recipe: recipes.fixMatch(),
 *   train, unlabeled, test, epochs: 10, batchSize: 64, seed: 0 });
 * ```
 * @returns a recipe; `trainer.dispose()` frees its EMA weights and priors.
 */
export function fixMatch(options: Partial<FixMatchOptions> = {}): SslRecipe {
  const o = resolveOptions<FixMatchOptions>(options, {}, 'fixMatch');
  return createSslRecipe(
    {
      name: 'fixMatch',
      pseudoLabels: fixMatchTargets,
      loss: fixMatchLoss,
    },
    o,
  );
}
