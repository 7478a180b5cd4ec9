import type { Dataset, Rng } from '@tailwise/core';
import { batches, sslBatches } from '@tailwise/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { StepData } from '../recipe';

/** How one epoch's steps are drawn (resolved from the recipe's data plan). */
export interface EpochPlan {
  /** The epoch's training set (`recipe.epochData`, else the trainer's `train`). */
  train: Dataset;
  unlabeled: Dataset | undefined;
  /** μ: unlabeled rows per labeled row (only with `unlabeled`). */
  unlabeledRatio: number | undefined;
  batchSize: number;
  /** A fixed step count (passes repeat); undefined: one pass. */
  fixedSteps: number | undefined;
}

/** `ceil`-free step count of one pass over `size` rows (a short last batch is dropped). */
export function stepsOfPass(size: number, batchSize: number): number {
  return size > batchSize ? Math.floor(size / batchSize) : 1;
}

/**
 * The epoch's steps, drawn from `rng` (the trainer's data stream) only: shuffled batches of the
 * epoch's rows, each with μ·B unlabeled rows when the plan has them. Lazy: a step's tensors exist
 * once it is asked for. `skip` steps are drawn and freed first, which replays the data order of a
 * run resumed in the middle of an epoch from the stream's state at the epoch's start.
 */
export function* epochSteps(
  plan: EpochPlan,
  rng: Rng,
  skip = 0,
): Generator<StepData, void, undefined> {
  const source = plan.train;
  let made = 0;
  for (;;) {
    let any = false;
    const pass: Iterable<StepData> =
      plan.unlabeled !== undefined && plan.unlabeledRatio !== undefined
        ? mapPass(
            sslBatches(source, plan.unlabeled, {
              batchSize: plan.batchSize,
              mu: plan.unlabeledRatio,
              rng,
            }),
            (s) => ({ batch: s.labeled, unlabeled: s.unlabeled }),
          )
        : mapPass(
            batches(source, {
              batchSize: plan.batchSize,
              shuffle: true,
              rng,
              dropLast: source.size > plan.batchSize,
            }),
            (b) => ({ batch: b }),
          );
    for (const step of pass) {
      any = true;
      if (made < skip) tf.dispose(step as unknown as tf.TensorContainer);
      else yield step;
      made += 1;
      if (plan.fixedSteps !== undefined && made === plan.fixedSteps) return;
    }
    if (plan.fixedSteps === undefined || !any) return;
  }
}

function* mapPass<T>(pass: Iterable<T>, f: (t: T) => StepData): Generator<StepData> {
  for (const t of pass) yield f(t);
}
