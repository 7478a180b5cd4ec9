import { assertNumber, type Batch, fail, withDefaults } from '@tailwise/core';
import { type CpuDivergence, cpuRisk } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../../recipe';

/** Options of the {@link cpu} recipe. */
export interface CpuOptions {
  /** π_p^(1), weight of the positive risk. Default 0.1 (paper 003, §V). */
  pi1: number;
  /** π_p^(2), the prior in the negative risk; `'auto'` = m/C (paper 003, §V). Default `'auto'`. */
  pi2: number | 'auto';
  /** Instances per mixture m, for `pi2: 'auto'`. Default 2 (Mixup; PatchMix uses 4). */
  m: number;
  /** Inner loss. Default `'sjs'` (scaled stochastic JS, α drawn per step). */
  divergence: CpuDivergence;
  /** Per-class score. Default `'sigmoid'` (one-vs-rest). */
  activation: 'sigmoid' | 'softmax';
  /** Fixes the SJS skew α in (0, 0.5] (ablation); default: drawn per step. */
  alpha: number | undefined;
}

/**
 * QLL's class-wise positive-unlabeled risk minimisation (paper 003, Algorithm 1;
 * docs/methods/003-qll-cpu.md): each step computes `cpuRisk` of the batch's quantized labels
 * and descends on its nnPU-corrected objective; the SJS skew α is drawn per step from the
 * recipe's random stream. Train on `ambiguousMixup` / `ambiguousPatchMix` data; evaluate on
 * the clean test set (softmax/argmax of the logits, which ranks as the sigmoid scores do).
 *
 * Each epoch's record gets `cpuRisk` (the mean reported non-negative risk) and `sjsAlpha` (the
 * mean α drawn).
 *
 * @example
 * ```ts
 * const recipe = recipes.cpu({ m: 2 }); // π2 = 2/C
 * ```
 */
export function cpu(options: Partial<CpuOptions> = {}): Recipe<Batch> {
  const fn = 'recipes.cpu';
  const o = withDefaults<CpuOptions>(
    options,
    {
      pi1: 0.1,
      pi2: 'auto',
      m: 2,
      divergence: 'sjs',
      activation: 'sigmoid',
      alpha: undefined,
    },
    fn,
  );
  assertNumber(o.m, { min: 2, integer: true }, fn, 'm');
  assertNumber(o.pi1, { min: 0, minExclusive: true, max: 1 }, fn, 'pi1');
  if (o.alpha !== undefined)
    assertNumber(o.alpha, { min: 0, minExclusive: true, max: 0.5 }, fn, 'alpha');
  if (o.pi2 !== 'auto') assertNumber(o.pi2, { min: 0, minExclusive: true, max: 1 }, fn, 'pi2');
  let pi2 = 0;
  let riskSum = 0;
  let alphaSum = 0;
  let steps = 0;
  const pending: tf.Scalar[] = [];
  const alphas: number[] = [];
  return {
    name: 'cpu',
    task: 'single-label',
    requires: ['labels'],
    options: { ...o },
    setup(ctx) {
      if (o.pi2 === 'auto') {
        if (o.m > ctx.numClasses) {
          fail(
            'INVALID_OPTION',
            fn,
            'm',
            `at most the ${ctx.numClasses} classes for pi2: 'auto' (π2 = m/C <= 1)`,
            String(o.m),
          );
        }
        pi2 = o.m / ctx.numClasses;
      } else pi2 = o.pi2;
    },
    beforeEpoch() {
      riskSum = 0;
      alphaSum = 0;
      steps = 0;
    },
    loss(ctx, batch) {
      const logits = ctx.model.apply(batch.x, { training: true });
      const r = cpuRisk(batch.labels!, logits, {
        pi1: o.pi1,
        pi2,
        divergence: o.divergence,
        activation: o.activation,
        ...(o.alpha === undefined ? { rng: ctx.rng } : { alpha: o.alpha }),
      });
      // The reported risk is logged, not differentiated: keep a detached copy.
      pending.push(tf.keep(tf.clone(r.risk)) as tf.Scalar);
      if (r.alpha !== undefined) alphas.push(r.alpha);
      return r.objective;
    },
    async afterStep() {
      for (const t of pending.splice(0)) {
        riskSum += (await t.data())[0]!;
        t.dispose();
        steps++;
      }
      for (const a of alphas.splice(0)) alphaSum += a;
    },
    afterEpoch() {
      return steps === 0
        ? {}
        : {
            cpuRisk: riskSum / steps,
            ...(o.divergence === 'sjs' ? { sjsAlpha: alphaSum / steps } : {}),
          };
    },
    dispose() {
      tf.dispose(pending.splice(0));
    },
  };
}
