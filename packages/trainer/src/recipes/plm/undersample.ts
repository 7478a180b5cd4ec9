import {
  assertNumber,
  assertOneOf,
  createRng,
  type Dataset,
  fail,
  type Rng,
  withDefaults,
} from '@tailwise/core';
import { subset, undersample as undersampleRows } from '@tailwise/datasets';
import type { Recipe } from '../../recipe';
import { type BinaryState, binaryLoss, binaryRecipe, type TargetSource } from './binary-recipe';

/** Options of the `recipes.undersample` recipe. */
export interface UndersampleRecipeOptions {
  /**
   * S, the most samples drawn per class each epoch: a positive integer, or `'rarest'`
   * (default): the training count of the rarest class (balanced epochs for single-label data).
   * Paper 002 uses S = 500 on MultiMNIST and 1000 on MSCOCO.
   */
  maxPerClass: number | 'rarest';
  /** The element-wise loss: `'bce'` (default) or `'focal'`. */
  loss: 'bce' | 'focal';
  /** Focal γ (`loss: 'focal'`). Default 2. */
  gamma: number;
  /** Where the 0/1 targets come from (see `TargetSource`). Default `'auto'`. */
  target: TargetSource;
}

const FN = 'recipes.undersample';

/**
 * Multi-label undersampling, one epoch's draw (paper 002, Sec. 3.1: "for each epoch, we select
 * S samples from each class (without duplication)"). A sample belongs to every class it is
 * positive for, so classes are visited from the rarest (fewest positives) to the most
 * frequent; class c gets `max(0, S − k_c)` more of its not-yet-chosen positive samples, drawn
 * without replacement, where `k_c` counts its positives already chosen through rarer classes.
 * Every class ends with at least `min(n_c, S)` positives; a frequent class can end with more,
 * only through co-occurrence with rarer ones. Samples with no positive label form a group of
 * their own, also capped at S. Returns the chosen rows in their original order.
 */
export function undersampleMultiLabel(
  dataset: Dataset,
  options: { maxPerClass: number; rng: Rng },
): Dataset {
  return subset(dataset, undersampleMultiLabelRows(dataset, options));
}

/** The rows {@link undersampleMultiLabel} keeps, ascending. */
export function undersampleMultiLabelRows(
  dataset: Dataset,
  { maxPerClass, rng }: { maxPerClass: number; rng: Rng },
): number[] {
  const y = dataset.multiLabels;
  if (y === undefined) {
    fail('INVALID_VALUE', FN, 'train', 'a dataset with `multiLabels`', `'${dataset.name}'`);
  }
  const C = dataset.numClasses;
  const rowsOf: number[][] = Array.from({ length: C }, () => []);
  const empty: number[] = [];
  for (let i = 0; i < dataset.size; i++) {
    let any = false;
    for (let c = 0; c < C; c++) {
      if (y[i * C + c] === 1) {
        rowsOf[c]!.push(i);
        any = true;
      }
    }
    if (!any) empty.push(i);
  }
  const order = rowsOf
    .map((rows, c) => [rows.length, c] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, c]) => c);
  const chosen = new Uint8Array(dataset.size);
  const have = new Array<number>(C).fill(0);
  const take = (rows: number[], count: number) => {
    const free = rows.filter((r) => chosen[r] === 0);
    for (const r of rng.shuffle(free).slice(0, Math.max(0, count))) {
      chosen[r] = 1;
      for (let c = 0; c < C; c++) if (y[r * C + c] === 1) have[c]! += 1;
    }
  };
  for (const c of order) take(rowsOf[c]!, maxPerClass - have[c]!);
  take(empty, maxPerClass);
  const out: number[] = [];
  chosen.forEach((v, i) => {
    if (v === 1) out.push(i);
  });
  return out;
}

/**
 * Random undersampling as a recipe: every epoch trains on a fresh draw of at most S samples
 * per class (docs/methods/002-plm.md; paper 002, Sec. 3.1, S = 500 on MultiMNIST), with BCE or focal
 * loss on one sigmoid output per class (`L = (1/B)·Σ_i Σ_c ℓ_ic`).
 *
 * Single-label data: `undersample` from `@tailwise/datasets` (each class keeps `min(n_c, S)`
 * rows). Multi-label data: {@link undersampleMultiLabel} (classes filled rarest first, each to
 * at least `min(n_c, S)` positives, no sample twice). Epochs are therefore shorter than the
 * training set; an epoch has the steps of one draw (exact for single-label; for multi-label, whose
 * draws vary slightly in size, of one representative draw, set once in `setup`).
 *
 * @example
 * ```ts
 * const recipe = recipes.undersample({ maxPerClass: 500 });
 * ```
 * Holds no tensors.
 */
/** State of `recipes.undersample`: S as resolved for the training set. */
export interface UndersampleState {
  maxPerClass: number;
}

export function undersample(
  options: Partial<UndersampleRecipeOptions> = {},
): Recipe<UndersampleState & BinaryState> {
  const o = withDefaults<UndersampleRecipeOptions>(
    options,
    { maxPerClass: 'rarest', loss: 'bce', gamma: 2, target: 'auto' },
    FN,
  );
  if (o.maxPerClass !== 'rarest')
    assertNumber(o.maxPerClass, { min: 1, integer: true }, FN, 'maxPerClass');
  assertOneOf(o.loss, ['bce', 'focal'] as const, FN, 'loss');
  assertNumber(o.gamma, { min: 0 }, FN, 'gamma');
  const limitFor = (positives: readonly number[]): number =>
    o.maxPerClass === 'rarest'
      ? Math.max(1, Math.min(...positives.filter((n) => n > 0)))
      : o.maxPerClass;
  const draw = (train: Dataset, source: 'labels' | 'multiLabels', S: number, rng: Rng) =>
    source === 'labels'
      ? undersampleRows(train, { maxPerClass: S, rng })
      : undersampleMultiLabel(train, { maxPerClass: S, rng });
  return binaryRecipe<UndersampleState>({
    name: 'undersample',
    functionName: FN,
    options: { ...o },
    target: o.target,
    setup(ctx, t) {
      const S = limitFor(t.positives);
      const size =
        t.source === 'labels'
          ? t.positives.reduce((a, n) => a + Math.min(n, S), 0)
          : undersampleMultiLabelRows(ctx.train, { maxPerClass: S, rng: createRng(0) }).length;
      return {
        state: { maxPerClass: S },
        options: { maxPerClass: S },
        data: { stepsPerEpoch: size > ctx.batchSize ? Math.floor(size / ctx.batchSize) : 1 },
      };
    },
    epochData: (ctx, state, rng) => draw(ctx.train, state.targets.source, state.maxPerClass, rng),
    loss: (_ctx, _state, labels, logits) => ({
      loss: binaryLoss(o.loss, labels, logits, { gamma: o.gamma }),
    }),
  });
}
