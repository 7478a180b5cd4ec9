import { linearRampUp, offTape } from '@tailwise/core';
import { mixup } from '@tailwise/datasets';
import { crossEntropy } from '@tailwise/losses';
import { EmaPrior } from '@tailwise/priors';
import { PseudoLabelStore, prodenPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import type { Recipe } from '../../../recipe';
import { applyView, resolveViews } from '../../../views';
import {
  assertTrainCandidates,
  estimatePrior,
  parseInitialPrior,
  priorL1,
  resolveInitialPrior,
  tallySelection,
  targetAccuracy,
} from './shared';
import type { TwoStageOptions } from './two-stage-options';
import { resolveSchedule } from './two-stage-schedule';
import type {
  TwoStageLossResult,
  TwoStageState,
  TwoStageStep,
  TwoStageVariant,
} from './two-stage-types';

export type {
  TwoStageLossResult,
  TwoStageState,
  TwoStageStep,
  TwoStageVariant,
} from './two-stage-types';

const stageEpoch = (s: TwoStageState, epoch: number) =>
  epoch < s.schedule.estEpochs ? epoch : epoch - s.schedule.estEpochs;

/** The epoch-0 uniform-candidate stage (PRODEN targets only), when switched on. */
const inCandidateStage = (s: TwoStageState, epoch: number) =>
  s.candidateStage && stageEpoch(s, epoch) === 0;

/**
 * The loss skeleton shared by PLR and Solar (docs/methods/000-plr.md, Algorithm 1), in two
 * stages:
 *
 * | step | leaf function |
 * |---|---|
 * | views | `views.weak`, `views.strong` (image: `weakAugment`, `strongAugment`) |
 * | stage epoch 0 | `crossEntropy(store.get(i), f(x_weak))`, store = `PseudoLabelStore` |
 * | pseudo-labels `w` | slot: `plrPseudoLabels` (PLR) / `sinkhornPseudoLabels` + `SinkhornQueue` (Solar) |
 * | selection | slot: `selectSmallLoss` (`quota: 'batch'` / `'prior'`) |
 * | mixup of the selected | `mixup(x_w, w, { selected })` (datasets) |
 * | loss | `η·(CE_sel(w, f(x_w)) + mixup_sel + CE_sel(w, f(x_s))) + (1 − η)·CE(w_proden, f(x_w))` |
 * | after the step | `store.set(i, prodenPseudoLabels(S, f))`, `queue.push(f ⊙ S)` |
 * | after the epoch | `argmaxDistribution(f, S)` (priors) → `EmaPrior.update` |
 * | second stage | `ctx.reinitializeModel()`, fresh store and queue, prior carried over |
 */
export function createTwoStageRecipe<V extends Record<string, number>>(
  variant: TwoStageVariant<V>,
  o: TwoStageOptions,
  options: Record<string, unknown>,
): Recipe<TwoStageState, TwoStageStep, TwoStageLossResult> {
  const fn = `recipes.${variant.name}`;
  const viewsFor = (inputShape: readonly number[]) => resolveViews(o.views, inputShape, o, fn);
  return {
    name: variant.name,
    task: 'single-label',
    requires: ['candidates'],
    options,
    setup(ctx) {
      const candidates = assertTrainCandidates(ctx.train, fn);
      viewsFor(ctx.train.inputShape);
      const c = ctx.numClasses;
      const schedule = resolveSchedule(o, c, ctx.totalEpochs, variant.rhoEnd, fn);
      const resolved = variant.resolve(c);
      const initial = resolveInitialPrior(parseInitialPrior(o.initialPrior, fn), c, fn);
      const mu = schedule.estEpochs > 0 ? schedule.muEstimate : schedule.mu;
      const state: TwoStageState = {
        schedule,
        resolved,
        store: PseudoLabelStore.fromCandidates(candidates, c),
        prior: new EmaPrior({ numClasses: c, momentum: 1 - mu, initial }),
        queue: variant.createQueue?.(),
        viewRng: ctx.rng.split(),
        mixRng: ctx.rng.split(),
        candidateStage: o.candidateStage,
        eta: 0,
        rho: 0,
        seen: 0,
        selected: 0,
        selectedCorrect: 0,
      };
      return { options: { ...options, ...schedule, ...resolved }, state };
    },
    beforeEpoch(ctx, s) {
      s.seen = 0;
      s.selected = 0;
      s.selectedCorrect = 0;
      const e = stageEpoch(s, ctx.epoch);
      const ramp = linearRampUp(e, s.schedule.warmupEpochs);
      s.eta = !o.selection ? 1 : e === 0 && o.candidateStage ? 0 : o.eta * ramp;
      s.rho = o.rhoStart + (s.schedule.rhoEnd - o.rhoStart) * ramp;
      if (s.schedule.estEpochs > 0 && ctx.epoch === s.schedule.estEpochs) {
        // docs/methods/000-plr.md, "Two stages": fresh weights, trained from the pre-estimated prior.
        if (o.reinitialize) ctx.reinitializeModel();
        s.store.dispose();
        s.store = PseudoLabelStore.fromCandidates(ctx.train.candidates!, ctx.numClasses);
        s.queue?.reset();
        const old = s.prior;
        s.prior = new EmaPrior({
          numClasses: ctx.numClasses,
          momentum: 1 - s.schedule.mu,
          initial: old.value,
        });
        old.dispose();
      }
    },
    prepare(ctx, s, data) {
      const views = viewsFor(ctx.train.inputShape);
      const weak = applyView(views.weak, data.batch.x, s.viewRng);
      const strong =
        !inCandidateStage(s, ctx.epoch) && o.consistency
          ? applyView(views.strong, data.batch.x, s.viewRng)
          : undefined;
      return { ...data, weak, strong };
    },
    loss(ctx, s, step) {
      const cands = step.batch.candidates!;
      const logitsWeak = ctx.model.apply(step.weak, { training: true });
      // PRODEN's targets as stored before this step (Solar's `confidence`), for every sample.
      const lossAll = crossEntropy(s.store.get(step.batch.indices), logitsWeak) as tf.Scalar;
      const r = s.prior.value;
      const queue = s.queue;
      if (inCandidateStage(s, ctx.epoch)) {
        const t = offTape(logitsWeak, (l) => ({
          next: prodenPseudoLabels(cands, l),
          ...(queue ? { products: tf.mul(tf.softmax(l), cands) } : {}),
        }));
        return { loss: lossAll, ...(t as Omit<TwoStageLossResult, 'loss'>) };
      }
      const t = offTape(logitsWeak, (l) => {
        const logits = l as tf.Tensor2D;
        const w = variant.pseudoLabels(cands, logits, r, queue, s.resolved as V);
        // Without selection every sample is selected (a mask of ones).
        const sel = o.selection
          ? variant.select(w, logits, r, s.rho)
          : (tf.ones([logits.shape[0]]) as tf.Tensor1D);
        const out: Record<string, tf.Tensor> = { next: prodenPseudoLabels(cands, logits), w, sel };
        if (queue) out.products = tf.mul(tf.softmax(logits), cands);
        if (o.mixup) {
          // docs/methods/000-plr.md: mix the selected samples with a permutation of themselves.
          const m = mixup(step.weak, w, { rng: s.mixRng, alpha: o.mixupAlpha, selected: sel });
          m.partners.dispose();
          out.xMix = m.x;
          out.targetsMix = m.targets;
        }
        return out;
      }) as unknown as Required<Omit<TwoStageLossResult, 'loss'>>;
      const mask = t.sel;
      const terms: tf.Tensor[] = [crossEntropy(t.w, logitsWeak, { mask })];
      if (step.strong)
        terms.push(crossEntropy(t.w, ctx.model.apply(step.strong, { training: true }), { mask }));
      if (o.mixup)
        terms.push(
          crossEntropy(t.targetsMix, ctx.model.apply(t.xMix, { training: true }), { mask }),
        );
      const selectedLoss = terms.length === 1 ? terms[0]! : tf.addN(terms);
      const loss = (
        s.eta === 1 ? selectedLoss : tf.add(tf.mul(selectedLoss, s.eta), tf.mul(lossAll, 1 - s.eta))
      ) as tf.Scalar;
      return { ...t, loss };
    },
    async afterStep(ctx, s, step, out) {
      await s.store.set(step.batch.indices, out.next);
      // Solar pushes a batch after solving it (its reference fills the queue from epoch 0 on).
      if (s.queue && out.products) await s.queue.push(out.products);
      if (out.sel === undefined || out.w === undefined) return;
      const [mask, targets] = await Promise.all([out.sel.data(), out.w.data()]);
      tallySelection(s, mask, targets as Float32Array, step.batch.indices, ctx);
    },
    async afterEpoch(ctx, s) {
      // docs/methods/000-plr.md, eq. 6: one inference pass over the training set, argmax over S.
      const estimate = await estimatePrior(ctx, ctx.train.candidates!);
      s.prior.update(estimate);
      const r = Array.from(await s.prior.value.data());
      return {
        stage: ctx.epoch < s.schedule.estEpochs ? 'pre-estimation' : 'main',
        prior: r,
        priorEstimate: estimate,
        priorL1: priorL1(r, ctx.trainCounts),
        eta: s.eta,
        rho: s.rho,
        selectedFraction: s.seen > 0 ? s.selected / s.seen : null,
        // Diagnostics from the hidden true labels (logging only).
        selectedAccuracy:
          s.selected > 0 && ctx.train.labels !== undefined ? s.selectedCorrect / s.selected : null,
        storeAccuracy: targetAccuracy(s.store.value, ctx.train.labels, ctx.numClasses),
        ...(s.queue ? { queueBatches: s.queue.length } : {}),
      };
    },
  };
}
