import { fail, offTape } from '@tailwise/core';
import { plmMask, RatioAdapter } from '@tailwise/masking';
import { effectiveNumberWeights, positiveNegativeRatio } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';
import { type BinaryState, binaryLoss, binaryRecipe, type ResolvedTargets } from './binary-recipe';
import { FN, type PlmOptions, resolvePlmOptions } from './plm-options';

export type { PlmInitialRatio, PlmOptions } from './plm-options';

/** State of `recipes.plm`: the data's ratios r_c, the adapter of the ideal ratios r̄_c, CB weights. */
export interface PlmState {
  /** `r_c = n_c⁺ / n_c⁻` of the training set. */
  ratio: Float32Array;
  adapter: RatioAdapter;
  weights: Float32Array | undefined;
}

/** A PLM step's result: the loss and the batch's sigmoid outputs for the ratio histograms. */
export interface PlmLossResult extends LossResult {
  /** The step's PLM mask (eq. 3), kept for the backward pass. */
  readonly mask: tf.Tensor;
  /** `[B, C]` 0/1 targets and `σ(logits)`, detached. */
  readonly labels: tf.Tensor2D;
  readonly probs: tf.Tensor2D;
}

/** `[N, C]` 0/1 targets of the whole training set, on the host. */
function trainingTargets(
  train: { size: number; multiLabels?: Float32Array; labels?: Int32Array },
  t: ResolvedTargets,
): Float32Array {
  if (t.source === 'multiLabels') return train.multiLabels!;
  const out = new Float32Array(train.size * t.numClasses);
  train.labels!.forEach((y, i) => {
    out[i * t.numClasses + y] = 1;
  });
  return out;
}

/**
 * Partial label masking (PLM, paper 002; docs/methods/002-plm.md) as a recipe: one sigmoid output per
 * class, trained with an element-wise loss (BCE, focal or class-balanced BCE) whose
 * **per-element** values are multiplied by a fresh random mask every step (eq. 2–3), while the
 * ideal positive-to-negative ratios `r̄_c` adapt once per epoch (eq. 4–7, Algorithm 1).
 *
 * - `r_c = n_c⁺ / n_c⁻` of the training set (`positiveNegativeRatio`); a class with no positive
 *   sample is refused (`INVALID_VALUE`: its ratio would be 0).
 * - Each step: `g = plmMask(y, r, r̄, { rng })` and
 *   `L = (1/B)·Σ_i Σ_c g_ic·ℓ(y_ic, x_ic)`; the batch's sigmoid outputs (no gradient) go to
 *   the `RatioAdapter` histograms (τ bins, positives and negatives apart).
 * - After each epoch: `r̄_c ← exp(λ·D_c)·r̄_c` (optional clip); the epoch's log record gets
 *   `idealRatio: number[]` (the CLI plots it as `ratio.svg`, paper 002 Figure 2) and, when
 *   a class had no positive or no negative sample that epoch, `ratioExcluded` (those classes
 *   keep their ratio; every ratio stays finite).
 *
 * Data: multi-label sets (`multiLabels` in {0, 1}; −1 "unknown" is refused) or single-label
 * sets as one-hot targets (`target`, default `'auto'`). Single-label runs are evaluated by
 * argmax of the logits (accuracy, shot groups, error on the 3 rarest classes), multi-label runs
 * by threshold 0.5.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, recipe: recipes.plm({ loss: 'bce' }), train, test,
 *   epochs: 30, batchSize: 128, seed: 0 });
 * const { history } = await trainer.fit(); // history[t].idealRatio: r̄ after epoch t + 1
 * ```
 * The recipe owns a `RatioAdapter` (two `[C, τ]` count tensors during an epoch), freed by
 * `dispose()` (the Trainer's `dispose()` calls it).
 */
export function plm(
  options: Partial<PlmOptions> = {},
): Recipe<PlmState & BinaryState, StepData, PlmLossResult> {
  const o = resolvePlmOptions(options);
  const clip = o.clip;
  return binaryRecipe<PlmState, PlmLossResult>({
    name: 'plm',
    functionName: FN,
    options: { ...o, clip },
    target: o.target,
    async setup(ctx, t) {
      const C = t.numClasses;
      const empty = t.positives.indexOf(0);
      if (empty >= 0) {
        fail(
          'INVALID_VALUE',
          FN,
          'train',
          'a training set with at least one positive sample per class (PLM needs r_c = n⁺/n⁻ > 0)',
          `no positive sample of class ${empty}`,
        );
      }
      if (Array.isArray(o.initial) && o.initial.length !== C) {
        fail(
          'SHAPE_MISMATCH',
          FN,
          'initial',
          `${C} ratios (one per class)`,
          `${(o.initial as readonly number[]).length}`,
        );
      }
      const y = trainingTargets(ctx.train, t);
      const r = tf.tidy(() => positiveNegativeRatio(tf.tensor2d(y, [ctx.train.size, C])));
      let ratio: Float32Array;
      try {
        ratio = Float32Array.from(await r.data());
      } finally {
        r.dispose();
      }
      // docs/methods/002-plm.md: λ = 0.01 for multi-label data, 1.0 for ≤ 10-class single-label.
      const lambda =
        o.lambda === 'auto' ? (t.task === 'single-label' && C <= 10 ? 1 : 0.01) : o.lambda;
      const adapter = new RatioAdapter({
        ...(o.initial === 'dataset'
          ? { initial: Array.from(ratio) }
          : typeof o.initial === 'string'
            ? { initial: o.initial, ratio: Array.from(ratio) }
            : { initial: o.initial as readonly number[] as number[] }),
        lambda,
        tau: o.tau,
        ...(clip ? { clip } : {}),
      });
      let weights: Float32Array | undefined;
      if (o.loss === 'classBalanced') {
        const w = effectiveNumberWeights(t.positives, { beta: o.beta });
        try {
          weights = Float32Array.from(await w.data());
        } finally {
          w.dispose();
        }
      }
      return { state: { ratio, adapter, weights }, options: { lambda } };
    },
    loss(ctx, state, labels, logits) {
      // docs/methods/002-plm.md, eq. 3: a fresh mask every step, on the per-element loss
      // before reduction; the mask and the histogram inputs are targets (off the tape).
      const { mask, probs, y } = offTape(logits, (l) => ({
        mask: plmMask(labels, state.ratio, state.adapter.value, { rng: ctx.rng }),
        probs: tf.sigmoid(l),
        y: tf.clone(labels),
      }));
      const loss = binaryLoss(o.loss === 'focal' ? 'focal' : 'bce', labels, logits, {
        mask,
        gamma: o.gamma,
        ...(state.weights ? { weights: state.weights } : {}),
      });
      return { loss, mask, labels: y as tf.Tensor2D, probs: probs as tf.Tensor2D };
    },
    afterStep(_ctx, state, out) {
      // Algorithm 1, line 9: the epoch's histograms come from the training forward passes.
      state.adapter.observe(out.labels, out.probs);
    },
    async afterEpoch(_ctx, state) {
      const s = await state.adapter.step();
      return {
        idealRatio: s.value,
        ...(s.excluded.length > 0 ? { ratioExcluded: s.excluded } : {}),
      };
    },
  });
}
