import { withDefaults } from '@tailwise/core';
import {
  bootstrapLoss,
  generalizedCrossEntropy,
  jensenShannonLoss,
  symmetricCrossEntropy,
} from '@tailwise/losses';
import type * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../../recipe';

/** The loss peers hold no state. */
export type PeerState = Record<never, never>;

/** A single-label recipe that applies one robust loss to the (quantized) labels. */
function lossRecipe<O extends object>(
  name: string,
  o: O,
  loss: (labels: tf.Tensor1D, logits: tf.Tensor) => tf.Scalar,
): Recipe<PeerState> {
  return {
    name,
    task: 'single-label',
    requires: ['labels'],
    options: { ...o } as Record<string, unknown>,
    setup: () => ({ options: { ...o } as Record<string, unknown>, state: {} }),
    loss(ctx, _state, { batch }) {
      return { loss: loss(batch.labels!, ctx.model.apply(batch.x, { training: true })) };
    },
  };
}

/** Options of the `recipes.gce` recipe. */
export interface GceOptions {
  /** Exponent q. Default 0.7 (Zhang & Sabuncu 2018; paper 003, Table IV). */
  q: number;
}

/**
 * Generalized cross-entropy (L_q) on the quantized labels, a noise-robust peer of QLL
 * (paper 003, Table I). The truncated variant's per-epoch pruning (`k`) is not applied.
 *
 * @example
 * ```ts
 * const recipe = recipes.gce({ q: 0.7 });
 * ```
 */
export function gce(options: Partial<GceOptions> = {}): Recipe<PeerState> {
  const o = withDefaults<GceOptions>(options, { q: 0.7 }, 'recipes.gce');
  return lossRecipe('gce', o, (y, x) => generalizedCrossEntropy(y, x, { q: o.q }));
}

/** Options of the `recipes.sce` recipe. */
export interface SceOptions {
  /** Weight α of the cross-entropy term. Default 0.1 (paper 003, Table IV, CIFAR-10Q). */
  alpha: number;
  /** Weight β of the reverse cross-entropy term. Default 1. */
  beta: number;
}

/**
 * Symmetric cross-entropy on the quantized labels (Wang et al. 2019), a peer of QLL
 * (paper 003, Table I).
 *
 * @example
 * ```ts
 * const recipe = recipes.sce({ alpha: 0.1, beta: 1 });
 * ```
 */
export function sce(options: Partial<SceOptions> = {}): Recipe<PeerState> {
  const o = withDefaults<SceOptions>(options, { alpha: 0.1, beta: 1 }, 'recipes.sce');
  return lossRecipe('sce', o, (y, x) =>
    symmetricCrossEntropy(y, x, { alpha: o.alpha, beta: o.beta }),
  );
}

/** Options of the `recipes.bootstrap` recipe. */
export interface BootstrapOptions {
  /** Weight β of the given labels in the target. Default 0.4 (paper 003, Table IV, Mixup). */
  beta: number;
  /** `'soft'` (predicted probabilities) or `'hard'` (argmax) bootstrapping. Default `'soft'`. */
  mode: 'soft' | 'hard';
}

/**
 * Bootstrapping loss on the quantized labels (Reed et al. 2014), a peer of QLL (paper 003,
 * Table I; β tuned there: 0.4 on Mixup, 0.6 on PatchMix data).
 *
 * @example
 * ```ts
 * const recipe = recipes.bootstrap({ beta: 0.6 });
 * ```
 */
export function bootstrap(options: Partial<BootstrapOptions> = {}): Recipe<PeerState> {
  const o = withDefaults<BootstrapOptions>(
    options,
    { beta: 0.4, mode: 'soft' },
    'recipes.bootstrap',
  );
  return lossRecipe('bootstrap', o, (y, x) => bootstrapLoss(y, x, { beta: o.beta, mode: o.mode }));
}

/** Options of the `recipes.js` recipe. */
export interface JsOptions {
  /** Weight π1 of the label distribution. Default 0.1 (paper 003, Table IV, CIFAR-10Q). */
  pi1: number;
}

/**
 * Scaled Jensen–Shannon loss on the quantized labels (Englesson & Azizpour 2021), the
 * strongest peer of QLL (paper 003, Table I).
 *
 * @example
 * ```ts
 * const recipe = recipes.js({ pi1: 0.1 });
 * ```
 */
export function js(options: Partial<JsOptions> = {}): Recipe<PeerState> {
  const o = withDefaults<JsOptions>(options, { pi1: 0.1 }, 'recipes.js');
  return lossRecipe('js', o, (y, x) => jensenShannonLoss(y, x, { pi1: o.pi1 }));
}
