import { fail } from '@tailwise/core';
import type { TwoStageOptions } from './two-stage-options';

/** The number-valued options once `'auto'` is resolved for the dataset. */
export interface ResolvedSchedule {
  estEpochs: number;
  muEstimate: number;
  mu: number;
  rhoEnd: number;
  warmupEpochs: number;
}

/**
 * The number-valued options once `'auto'` is resolved for the run (C classes, E epochs): a pure
 * function of the options and the run, computed in `setup` and kept in the state.
 */
export function resolveSchedule(
  o: TwoStageOptions,
  numClasses: number,
  totalEpochs: number,
  rhoEnd: (c: number) => number,
  fn: string,
): ResolvedSchedule {
  const estEpochs =
    o.estEpochs === 'auto' ? Math.min(Math.round(0.2 * totalEpochs), totalEpochs - 1) : o.estEpochs;
  if (estEpochs >= totalEpochs) {
    fail(
      'INVALID_OPTION',
      fn,
      'estEpochs',
      `fewer than the run's ${totalEpochs} epochs (the second stage needs at least one)`,
      String(estEpochs),
    );
  }
  const main = totalEpochs - estEpochs;
  // docs/methods/000-plr.md, "Scaling the schedule": an EMA with time constant τ epochs moves
  // by μ = 1 − exp(−1/τ) per epoch; τ is a fraction of the stage it runs in.
  const scaled = (stageEpochs: number) =>
    1 - Math.exp(-1 / Math.max(o.priorTimeConstant * stageEpochs, 1e-6));
  const paper = o.schedule === 'paper';
  return {
    estEpochs,
    // docs/methods/000-plr.md: 0.1 for 10 classes, 0.05 for 100 (Solar's and PLR's values).
    muEstimate:
      o.muEstimate !== 'auto'
        ? o.muEstimate
        : paper
          ? numClasses <= 10
            ? 0.1
            : 0.05
          : scaled(Math.max(estEpochs, 1)),
    mu: o.mu !== 'auto' ? o.mu : paper ? 0.01 : scaled(main),
    rhoEnd: o.rhoEnd === 'auto' ? rhoEnd(numClasses) : o.rhoEnd,
    // docs/methods/000-plr.md: the ramps span 50 of the papers' 1000 epochs; scaled to the run.
    warmupEpochs: o.warmupEpochs === 'auto' ? Math.max(1, Math.round(0.05 * main)) : o.warmupEpochs,
  };
}
