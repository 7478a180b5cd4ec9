import { assertNumber, fail, offTape, type Rng, withDefaults } from '@tailwise/core';
import { type CpuDivergence, cpuRisk } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';
import type { LossResult, Recipe, StepData } from '../../recipe';

/** Options of the `recipes.cpu` recipe. */
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

/** State of `recipes.cpu`: the resolved π2, the α stream and the epoch's running logs. */
export interface CpuState {
  pi2: number;
  /** Draws the SJS skew α once per step. */
  alphaRng: Rng;
  riskSum: number;
  alphaSum: number;
  steps: number;
}

/** A step's result: the nnPU objective (`loss`), the reported risk (detached) and α. */
export interface CpuLossResult extends LossResult {
  readonly risk: tf.Scalar;
  readonly alpha: number | undefined;
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
 * | step | leaf function |
 * |---|---|
 * | π2 (setup) | `m / C` for `pi2: 'auto'` |
 * | loss | `cpuRisk(y, f(x), { pi1, pi2, divergence, activation, rng })` (losses): its `objective` |
 * | logs | its `risk` (eq. 5) and the drawn α |
 *
 * @example
 * ```ts
 * const recipe = recipes.cpu({ m: 2 }); // π2 = 2/C
 * ```
 */
export function cpu(options: Partial<CpuOptions> = {}): Recipe<CpuState, StepData, CpuLossResult> {
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
  return {
    name: 'cpu',
    task: 'single-label',
    requires: ['labels'],
    options: { ...o },
    setup(ctx) {
      return {
        options: { ...o, pi2: resolvePi2(o, ctx.numClasses, fn) },
        state: {
          pi2: resolvePi2(o, ctx.numClasses, fn),
          alphaRng: ctx.rng.split(),
          riskSum: 0,
          alphaSum: 0,
          steps: 0,
        },
      };
    },
    beforeEpoch(_ctx, state) {
      state.riskSum = 0;
      state.alphaSum = 0;
      state.steps = 0;
    },
    loss(ctx, state, { batch }) {
      const logits = ctx.model.apply(batch.x, { training: true });
      const r = cpuRisk(batch.labels!, logits, {
        pi1: o.pi1,
        pi2: state.pi2,
        divergence: o.divergence,
        activation: o.activation,
        ...(o.alpha === undefined ? { rng: state.alphaRng } : { alpha: o.alpha }),
      });
      // The reported risk is logged, not differentiated: a detached copy.
      const { risk } = offTape(r.risk, (t) => ({ risk: tf.clone(t) as tf.Scalar }));
      return { loss: r.objective, risk, alpha: r.alpha };
    },
    async afterStep(_ctx, state, _step, out) {
      state.riskSum += (await out.risk.data())[0]!;
      state.alphaSum += out.alpha ?? 0;
      state.steps += 1;
    },
    afterEpoch(_ctx, state) {
      if (state.steps === 0) return {};
      return {
        cpuRisk: state.riskSum / state.steps,
        ...(o.divergence === 'sjs' ? { sjsAlpha: state.alphaSum / state.steps } : {}),
      };
    },
  };
}

/** π2 as given, or m/C for `'auto'` (paper 003, §V). */
export function resolvePi2(
  o: { pi2: number | 'auto'; m: number },
  numClasses: number,
  fn: string,
): number {
  if (o.pi2 !== 'auto') return o.pi2;
  if (o.m > numClasses) {
    fail(
      'INVALID_OPTION',
      fn,
      'm',
      `at most the ${numClasses} classes for pi2: 'auto' (π2 = m/C <= 1)`,
      String(o.m),
    );
  }
  return o.m / numClasses;
}
