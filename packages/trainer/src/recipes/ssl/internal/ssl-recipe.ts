import { fail, formatShape, offTape } from '@tailwise/core';
import { classCounts } from '@tailwise/datasets';
import { EmaWeights } from '@tailwise/models';
import {
  classPrior,
  EmaPrior,
  meanDistribution,
  progressiveAlpha,
  progressiveTarget,
} from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';
import { applyView, resolveViews } from '../../../views';
import type { SslBaseOptions } from './ssl-options';
import type { SslLossResult, SslRecipe, SslState, SslVariant } from './ssl-types';

export type { SslLossResult, SslRecipe, SslState, SslStep, SslVariant } from './ssl-types';

/**
 * Builds a FixMatch-based recipe (docs/methods/004-udal.md), in the order of paper 004's
 * Algorithm 1:
 *
 * | step | leaf function |
 * |---|---|
 * | views | `views.weak` / `views.strong` (image: `weakAugment`, `strongAugment`) |
 * | one forward pass | `model.apply([x_l weak, u weak, u strong])` |
 * | pseudo-labels (off the tape) | `pseudoLabels` slot: `fixMatchPseudoLabels` (+ `distributionAlignment`) |
 * | p̃ per epoch | `progressiveTarget(classPrior(y_l), α_t)` (priors) |
 * | loss | `loss` slot: `udalLoss` (UDAL), `crossEntropy` / `logitAdjustedCrossEntropy` (peers) |
 * | after the step | `EmaWeights.update`, `EmaPrior.update(meanDistribution(q_w))` |
 */
export function createSslRecipe<T extends SslBaseOptions>(variant: SslVariant, o: T): SslRecipe {
  const fn = variant.name;
  return {
    name: variant.name,
    task: 'single-label',
    requires: ['labels'],
    unlabeled: 'required',
    options: { ...(o as Record<string, unknown>), ...(variant.schedule ?? {}) },
    setup(ctx) {
      const { train, unlabeled } = ctx;
      if (unlabeled === undefined)
        fail('INVALID_VALUE', fn, 'unlabeled', 'an unlabeled dataset', 'none');
      const sameShape =
        train.inputShape.length === unlabeled.inputShape.length &&
        train.inputShape.every((s, i) => s === unlabeled.inputShape[i]);
      if (!sameShape || unlabeled.numClasses !== train.numClasses) {
        fail(
          'SHAPE_MISMATCH',
          fn,
          'unlabeled',
          `a dataset like \`train\` (inputShape ${formatShape(train.inputShape)}, ${train.numClasses} classes)`,
          `inputShape ${formatShape(unlabeled.inputShape)}, ${unlabeled.numClasses} classes`,
        );
      }
      if (ctx.batchSize > train.size) {
        fail(
          'INVALID_OPTION',
          fn,
          'batchSize',
          `at most the labeled set's size (${train.size}) — each step takes B labeled rows`,
          String(ctx.batchSize),
        );
      }
      resolveViews(o.views, train.inputShape, o, fn); // refuses views that do not fit the data
      let pData: tf.Tensor1D | undefined;
      if (variant.schedule) {
        // docs/methods/004-udal.md: p_data is the labeled class frequencies; a class without a
        // labeled example would make log p_data and p̃ degenerate, so it is refused.
        const empty = classCounts(train).indexOf(0);
        if (empty >= 0) {
          fail(
            'NOT_A_DISTRIBUTION',
            fn,
            'train',
            'a labeled set with at least one example of every class (p_data > 0)',
            `class ${empty} with none`,
          );
        }
        pData = classPrior(train.labels!, train.numClasses);
      }
      const state: SslState = {
        ema: new EmaWeights(ctx.model, { decay: o.emaDecay, warmup: o.emaWarmup }),
        pHat: new EmaPrior({ numClasses: train.numClasses, momentum: o.priorMomentum }),
        viewRng: ctx.rng.split(),
        pData,
        target: undefined,
        alpha: undefined,
        seen: 0,
        confident: 0,
        correct: 0,
        confidentPerClass: [],
      };
      return {
        options: {
          ...(o as Record<string, unknown>),
          ...(variant.schedule ?? {}),
          views: typeof o.views === 'string' ? o.views : 'custom',
        },
        state,
        data: {
          unlabeledRatio: o.mu,
          ...(o.epochSteps > 0 ? { stepsPerEpoch: o.epochSteps } : {}),
        },
      };
    },
    beforeEpoch(ctx, state) {
      state.seen = 0;
      state.confident = 0;
      state.correct = 0;
      state.confidentPerClass = new Array<number>(ctx.numClasses).fill(0);
      if (variant.schedule && state.pData) {
        // docs/methods/004-udal.md: t is the integer (0-based) epoch, T the number of epochs.
        const schedule = { ...variant.schedule, epoch: ctx.epoch, totalEpochs: ctx.totalEpochs };
        state.alpha = progressiveAlpha(schedule);
        state.target?.dispose();
        state.target = progressiveTarget(state.pData, schedule);
      }
    },
    prepare(ctx, state, { batch, unlabeled }) {
      const v = resolveViews(o.views, ctx.train.inputShape, o, fn);
      const rng = state.viewRng;
      return {
        labeled: batch,
        unlabeled: unlabeled!,
        labeledWeak: applyView(v.weak, batch.x, rng),
        unlabeledWeak: applyView(v.weak, unlabeled!.x, rng),
        unlabeledStrong: applyView(v.strong, unlabeled!.x, rng),
      };
    },
    loss(ctx, state, step) {
      const bl = step.labeledWeak.shape[0]!;
      const bu = step.unlabeledWeak.shape[0]!;
      // One forward pass over the three views, as FixMatch's reference code does.
      const logits = ctx.model.apply(
        tf.concat([step.labeledWeak, step.unlabeledWeak, step.unlabeledStrong], 0),
        { training: true },
      );
      const [logitsL, logitsW, logitsS] = tf.split(logits, [bl, bu, bu], 0) as tf.Tensor2D[];
      const d = { pData: state.pData, target: state.target, pHat: state.pHat.value };
      // Targets come from the weak view without gradient, off the tape (docs/methods/004-udal.md).
      const t = offTape(logitsW!, (w) => {
        const pseudo = variant.pseudoLabels(w as tf.Tensor2D, d, o.threshold);
        return {
          weakMean: meanDistribution(tf.softmax(w)),
          pseudoLabels: pseudo.labels,
          mask: pseudo.mask,
        };
      });
      const loss = variant.loss({
        labels: step.labeled.labels!,
        labeledLogits: logitsL!,
        strongLogits: logitsS!,
        pseudoLabels: t.pseudoLabels,
        mask: t.mask,
        d,
        lambdaU: o.lambdaU,
      });
      return { loss, ...(t as Omit<SslLossResult, 'loss'>) };
    },
    async afterStep(ctx, state, step, out) {
      state.ema.update();
      // p̂ of this step's loss was the EMA before the step; fold this step's estimate in now.
      state.pHat.update(out.weakMean);
      if (!o.diagnostics) return;
      const [mask, pseudo] = await Promise.all([out.mask.data(), out.pseudoLabels.data()]);
      const rows = step.unlabeled.indices;
      // Diagnostic only: the unlabeled set's hidden labels never reach a loss.
      const hidden = ctx.unlabeled?.labels;
      for (let i = 0; i < mask.length; i++) {
        state.seen += 1;
        if (mask[i]! <= 0) continue;
        state.confident += 1;
        state.confidentPerClass[pseudo[i]!]! += 1;
        if (hidden !== undefined && hidden[rows[i]!] === pseudo[i]) state.correct += 1;
      }
    },
    async afterEpoch(ctx, state) {
      const record: Record<string, unknown> = { pHat: Array.from(await state.pHat.value.data()) };
      if (state.alpha !== undefined && state.target !== undefined) {
        record.alpha = state.alpha;
        record.target = Array.from(await state.target.data());
      }
      if (o.diagnostics) {
        const { seen, confident } = state;
        record.maskRate = seen > 0 ? confident / seen : 0;
        record.pseudoLabelDistribution = state.confidentPerClass.map((c) =>
          confident > 0 ? c / confident : 0,
        );
        if (ctx.unlabeled?.labels !== undefined)
          record.pseudoLabelAccuracy = confident > 0 ? state.correct / confident : null;
      }
      return record;
    },
    withEvaluationWeights: (_ctx, state, run) => state.ema.withEma(run),
  };
}
