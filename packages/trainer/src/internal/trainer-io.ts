import type { Dataset } from '@tailwise/core';
import { classCounts } from '@tailwise/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { type Evaluation, evaluate } from '../evaluate';
import type { AnyRecipe, Task, TrainContext } from '../recipe';
import type { EpochRecord } from '../trainer';
import { ensureWritableDirectory, parentOf } from './directory';
import { nodeFs } from './node-modules';

/** Training counts per class: labels, or known positives of multi-label data. */
export function countsFor(train: Dataset): number[] {
  if (train.labels) return classCounts(train);
  const counts = new Array<number>(train.numClasses).fill(0);
  if (train.multiLabels)
    for (let i = 0; i < train.multiLabels.length; i++)
      if (train.multiLabels[i] === 1) counts[i % train.numClasses]! += 1;
  return counts;
}

interface EvaluatorSpec {
  recipe: AnyRecipe;
  ctx: TrainContext;
  /** The recipe state (replaced on resume, so read when evaluating). */
  state: () => object;
  test: Dataset | undefined;
  trainCounts: readonly number[];
  numClasses: number;
  task: () => Task;
  tau: number | undefined;
}

/**
 * The evaluation of a run: plain, and with `inferenceTau` also with logit adjustment at inference
 * `logits − τ·log p_train` (docs/methods/004-udal.md, "LA (Inf)"), both with the recipe's
 * evaluation weights and logit adjustment.
 */
export function evaluator(s: EvaluatorSpec) {
  const total = s.trainCounts.reduce((a, b) => a + b, 0);
  // A class absent from training gets p = 1/(n+C) instead of 0 so its adjustment stays finite.
  const logPrior = s.trainCounts.map((n) =>
    Math.log(Math.max(n, 1 / (1 + s.numClasses)) / Math.max(total, 1)),
  );
  const once = async (withLA: boolean): Promise<Evaluation | undefined> => {
    if (s.test === undefined) return undefined;
    const { recipe, ctx } = s;
    const state = s.state();
    const base = recipe.adjustLogits
      ? (l: tf.Tensor2D) => recipe.adjustLogits!(ctx, state, l)
      : undefined;
    const tau = s.tau ?? 0;
    const adjust = withLA
      ? (l: tf.Tensor2D) =>
          tf.sub(base ? base(l) : l, tf.mul(tf.tensor1d(logPrior), tau)) as tf.Tensor2D
      : base;
    const run = () =>
      evaluate(ctx.model, s.test!, s.trainCounts, {
        task: s.task(),
        ...(adjust ? { adjustLogits: adjust } : {}),
      });
    return recipe.withEvaluationWeights ? recipe.withEvaluationWeights(ctx, state, run) : run();
  };
  return async () => ({
    plain: await once(false),
    la: s.tau === undefined ? undefined : await once(true),
  });
}

function pct(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(2)}%`;
}

/** One line per epoch for the progress reporter. */
export function describeEpoch(r: EpochRecord, total: number): string {
  let line = `epoch ${r.epoch}/${total} loss ${r.loss.toFixed(4)} lr ${r.learningRate.toPrecision(3)} ${r.seconds.toFixed(1)}s (${Math.round(r.samplesPerSecond)} samples/s)`;
  const e = r.evaluation;
  if (e?.task === 'single-label')
    line += ` | test acc ${pct(e.accuracy)} many ${pct(e.many)} medium ${pct(e.medium)} few ${pct(e.few)}`;
  if (e?.task === 'multi-label')
    line += ` | test F1 ${pct(e.f1)} rarest F1 ${pct(e.rarestF1)} exact ${pct(e.exactMatch)} mAP ${pct(e.meanAveragePrecision)}`;
  return line;
}

/** Opens a JSONL log holding `records` (the epochs done before a resume), then appends. */
export async function openLog(
  path: string,
  records: readonly EpochRecord[],
): Promise<(record: EpochRecord) => void> {
  const fs = await nodeFs();
  await ensureWritableDirectory(await parentOf(path), 'Trainer', 'logFile');
  fs.writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return (record) => fs.appendFileSync(path, `${JSON.stringify(record)}\n`);
}
