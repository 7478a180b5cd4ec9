import {
  assertBoolean,
  assertNumber,
  offTape,
  type Rng,
  type ViewsOption,
  withDefaults,
} from '@tailwise/core';
import { type CpuDivergence, cpuRisk, crossEntropy } from '@tailwise/losses';
import { EmaWeights } from '@tailwise/models';
import { fixMatchPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';
import { applyView, resolveViews } from '../../views';
import { resolvePi2 } from './cpu';

/** Options of the `recipes.cpuSemi` recipe: CPU's and FixMatch's. */
export interface CpuSemiOptions {
  /** π_p^(1). Default 0.1. */
  pi1: number;
  /** π_p^(2); `'auto'` = m/C. Default `'auto'`. */
  pi2: number | 'auto';
  /** Instances per mixture m, for `pi2: 'auto'`. Default 2. */
  m: number;
  divergence: CpuDivergence;
  activation: 'sigmoid' | 'softmax';
  /**
   * Weight λ_u of the consistency term. Default 0.5 (paper 003, Table IV, CIFAR-10Q Mixup;
   * it uses 0.1 on PatchMix).
   */
  lambdaU: number;
  /** Confidence threshold τ of the pseudo-labels. Default 0.95 (FixMatch). */
  threshold: number;
  /** EMA decay of the evaluated weights. Default 0.999 (FixMatch). */
  emaDecay: number;
  emaWarmup: boolean;
  /** Weak/strong views (docs/methods/views.md). Default `'auto'`. */
  views: ViewsOption;
  /** Image views: flips (off for digits). Default true. */
  flip: boolean;
  translate: number;
  strongOps: number;
  cutout: number;
  /** Vector views: σ of the weak view's Gaussian noise, in the features' units (>= 0). Default 0.1. */
  noiseStd: number;
  /** Vector views: SCARF corruption rate of the strong view, in [0, 1]. Default 0.6. */
  corruptionRate: number;
}

/** State of `recipes.cpuSemi`. */
export interface CpuSemiState {
  pi2: number;
  alphaRng: Rng;
  viewRng: Rng;
  ema: EmaWeights;
  riskSum: number;
  confident: number;
  seen: number;
  steps: number;
}

/** One step after `prepare`: the batch and its two views. */
export interface CpuSemiStep {
  readonly data: StepData;
  readonly weak: tf.Tensor;
  readonly strong: tf.Tensor;
}

/** A step's result: the loss, the reported CPU risk and the confidence mask (detached). */
export interface CpuSemiLossResult extends LossResult {
  readonly risk: tf.Scalar;
  readonly mask: tf.Tensor1D;
  readonly pseudoLabels: tf.Tensor1D;
}

/**
 * "CPU (Semi)" of QLL (paper 003, Table II; docs/methods/003-qll-cpu.md): the CPU risk on the
 * quantized labels plus FixMatch's consistency term on **the same inputs** (no extra
 * unlabeled set):
 * `L = cpuRisk(y, f(weak(x))).objective + λ_u·(1/B)·Σ_i 1[max q_i ≥ τ]·CE(argmax q_i, f(strong(x_i)))`,
 * `q = softmax(f(weak(x)))` off the tape. Evaluates with an EMA of the weights, as FixMatch.
 *
 * | step | leaf function |
 * |---|---|
 * | views | `views.weak` / `views.strong` (image: `weakAugment`, `strongAugment`) |
 * | one forward pass | `model.apply([weak(x), strong(x)])` |
 * | risk | `cpuRisk(y, f(weak(x)))` (losses), α drawn per step |
 * | pseudo-labels (off the tape) | `fixMatchPseudoLabels(f(weak(x)), { threshold })` (pseudo-labels) |
 * | consistency | `crossEntropy(ŷ, f(strong(x)), { mask, reduction: 'sum' }) / B` (losses) |
 * | after the step | `EmaWeights.update` (models) |
 *
 * Each epoch's record gets `cpuRisk` and `maskRate`.
 *
 * @example
 * ```ts
 * const recipe = recipes.cpuSemi({ m: 4, lambdaU: 0.1, flip: false });
 * ```
 */
export function cpuSemi(
  options: Partial<CpuSemiOptions> = {},
): Recipe<CpuSemiState, CpuSemiStep, CpuSemiLossResult> {
  const fn = 'recipes.cpuSemi';
  const o = withDefaults<CpuSemiOptions>(
    options,
    {
      pi1: 0.1,
      pi2: 'auto',
      m: 2,
      divergence: 'sjs',
      activation: 'sigmoid',
      lambdaU: 0.5,
      threshold: 0.95,
      emaDecay: 0.999,
      emaWarmup: true,
      views: 'auto',
      flip: true,
      translate: 0.125,
      strongOps: 2,
      cutout: 0.5,
      noiseStd: 0.1,
      corruptionRate: 0.6,
    },
    fn,
  );
  assertNumber(o.m, { min: 2, integer: true }, fn, 'm');
  assertNumber(o.noiseStd, { min: 0 }, fn, 'noiseStd');
  assertNumber(o.corruptionRate, { min: 0, max: 1 }, fn, 'corruptionRate');
  assertNumber(o.pi1, { min: 0, minExclusive: true, max: 1 }, fn, 'pi1');
  if (o.pi2 !== 'auto') assertNumber(o.pi2, { min: 0, minExclusive: true, max: 1 }, fn, 'pi2');
  assertNumber(o.lambdaU, { min: 0 }, fn, 'lambdaU');
  assertNumber(o.threshold, { min: 0, max: 1 }, fn, 'threshold');
  assertNumber(o.emaDecay, { min: 0, max: 1 }, fn, 'emaDecay');
  assertBoolean(o.emaWarmup, fn, 'emaWarmup');
  return {
    name: 'cpuSemi',
    task: 'single-label',
    requires: ['labels'],
    options: { ...o, views: typeof o.views === 'string' ? o.views : 'custom' },
    setup(ctx) {
      resolveViews(o.views, ctx.train.inputShape, o, fn); // refuses views that do not fit
      const pi2 = resolvePi2(o, ctx.numClasses, fn);
      return {
        options: { ...o, pi2, views: typeof o.views === 'string' ? o.views : 'custom' },
        state: {
          pi2,
          alphaRng: ctx.rng.split(),
          viewRng: ctx.rng.split(),
          ema: new EmaWeights(ctx.model, { decay: o.emaDecay, warmup: o.emaWarmup }),
          riskSum: 0,
          confident: 0,
          seen: 0,
          steps: 0,
        },
      };
    },
    beforeEpoch(_ctx, state) {
      state.riskSum = 0;
      state.confident = 0;
      state.seen = 0;
      state.steps = 0;
    },
    prepare(ctx, state, data) {
      const v = resolveViews(o.views, ctx.train.inputShape, o, fn);
      return {
        data,
        weak: applyView(v.weak, data.batch.x, state.viewRng),
        strong: applyView(v.strong, data.batch.x, state.viewRng),
      };
    },
    loss(ctx, state, step) {
      const b = step.weak.shape[0]!;
      const logits = ctx.model.apply(tf.concat([step.weak, step.strong], 0), { training: true });
      const [weak, strong] = tf.split(logits, [b, b], 0) as tf.Tensor2D[];
      const r = cpuRisk(step.data.batch.labels!, weak!, {
        pi1: o.pi1,
        pi2: state.pi2,
        divergence: o.divergence,
        activation: o.activation,
        rng: state.alphaRng,
      });
      // Pseudo-labels from the weak view, without gradient (FixMatch).
      const t = offTape(weak!, (w) => {
        const p = fixMatchPseudoLabels(w as tf.Tensor2D, { threshold: o.threshold });
        return { labels: p.labels, mask: p.mask };
      });
      const consistency = tf.div(
        crossEntropy(t.labels, strong!, { mask: t.mask, reduction: 'sum' }),
        b,
      );
      const { risk } = offTape(r.risk, (x) => ({ risk: tf.clone(x) as tf.Scalar }));
      return {
        loss: tf.add(r.objective, tf.mul(consistency, o.lambdaU)) as tf.Scalar,
        risk,
        mask: t.mask,
        pseudoLabels: t.labels,
      };
    },
    async afterStep(_ctx, state, _step, out) {
      state.ema.update();
      const [risk, mask] = await Promise.all([out.risk.data(), out.mask.data()]);
      state.riskSum += risk[0]!;
      state.steps += 1;
      for (const v of mask) {
        state.seen += 1;
        if (v > 0) state.confident += 1;
      }
    },
    afterEpoch(_ctx, state) {
      if (state.steps === 0) return {};
      return {
        cpuRisk: state.riskSum / state.steps,
        maskRate: state.seen > 0 ? state.confident / state.seen : 0,
      };
    },
    withEvaluationWeights: (_ctx, state, run) => state.ema.withEma(run),
  };
}
