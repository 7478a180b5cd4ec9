import type { Dataset, Rng } from '@tailwise/core';
import {
  assertNumber,
  assertOneOf,
  assertRng,
  describeValue,
  fail,
  withDefaults,
} from '@tailwise/core';

/** The missing-label settings of paper 001 (docs/methods/001-partial-annotations.md). */
export type MissingLabelSetting = 'PAL' | 'PPL' | 'SPL';

/** The values {@link MissingLabelSetting} takes. */
export const MISSING_LABEL_SETTINGS: readonly MissingLabelSetting[] = ['PAL', 'PPL', 'SPL'];

/** Options of {@link missingLabels}. */
export interface MissingLabelsOptions {
  /**
   * `'PAL'`: keep every entry with probability `keep`; `'PPL'`: keep every positive with
   * probability `keep`, drop every negative; `'SPL'`: keep exactly one positive per row.
   * Required.
   */
  setting: MissingLabelSetting;
  /** Probability of keeping an entry (PAL) or a positive (PPL), in (0, 1]. Required for PAL and PPL; refused for SPL. */
  keep?: number;
  /** Source of randomness (`createRng(seed)`). Required. */
  rng: Rng;
}

/**
 * Hides labels of a fully labelled multi-label dataset, once, as paper 001 builds its PAL, PPL
 * and SPL training sets (§III-B, §V-A; docs/methods/001-partial-annotations.md, "Missing-label
 * settings"): `multiLabels` becomes a state in {1, 0, −1} (positive, negative, unknown).
 *
 * - PAL_p: `z_ij = y_ij` with probability p, else −1 (a row may keep no positive).
 * - PPL_p: `z_ij = 1` with probability p where `y_ij = 1`, else −1 (no negative is kept).
 * - SPL: one positive per row, uniformly among its positives; everything else −1.
 *
 * PAL and PPL draw one uniform per entry in row-major order (with one seed, a larger `keep`
 * keeps a superset); SPL draws one integer per row. Pure host-side JavaScript; equal seeds give
 * equal states. Generate the state once, before training, and train on it throughout.
 *
 * @example
 * ```ts
 * const pal = missingLabels(train, { setting: 'PAL', keep: 0.3, rng: createRng(0) });
 * const spl = missingLabels(train, { setting: 'SPL', rng: createRng(0) });
 * ```
 * @returns a new Dataset sharing every other field with the input; no tensors.
 * @throws `INVALID_OPTION` for an unknown setting, `keep` outside (0, 1] (or given with SPL)
 * or a missing `rng`; `INVALID_VALUE` for a dataset without full 0/1 `multiLabels`, or, with
 * SPL, a row with no positive (naming the row).
 */
export function missingLabels(dataset: Dataset, options: MissingLabelsOptions): Dataset {
  const fn = 'missingLabels';
  const o = withDefaults<MissingLabelsOptions>(
    options,
    {
      setting: undefined as unknown as MissingLabelSetting,
      keep: undefined,
      rng: undefined as unknown as Rng,
    },
    fn,
  );
  assertOneOf(o.setting, MISSING_LABEL_SETTINGS, fn, 'setting');
  if (o.setting === 'SPL') {
    if (o.keep !== undefined)
      fail(
        'INVALID_OPTION',
        fn,
        'keep',
        'undefined with SPL (it keeps one positive per row)',
        describeValue(o.keep),
      );
  } else {
    assertNumber(o.keep, { min: 0, max: 1, minExclusive: true }, fn, 'keep');
  }
  assertRng(o.rng, fn);
  const y = fullMultiLabels(dataset, fn);
  const n = dataset.size;
  const c = dataset.numClasses;
  const state = new Float32Array(n * c);
  if (o.setting === 'SPL') {
    for (let i = 0; i < n; i++) {
      const positives: number[] = [];
      for (let j = 0; j < c; j++) if (y[i * c + j] === 1) positives.push(j);
      if (positives.length === 0)
        fail(
          'INVALID_VALUE',
          fn,
          'dataset.multiLabels',
          'at least one positive in every row (SPL keeps one positive per row)',
          `row ${i} with no positive`,
        );
      state.fill(-1, i * c, (i + 1) * c);
      state[i * c + positives[o.rng.int(positives.length)]!] = 1;
    }
  } else {
    const keep = o.keep!;
    const positivesOnly = o.setting === 'PPL';
    for (let k = 0; k < n * c; k++) {
      const u = o.rng.uniform();
      const v = y[k]!;
      state[k] = u < keep && (!positivesOnly || v === 1) ? v : -1;
    }
  }
  return { ...dataset, multiLabels: state };
}

/** The dataset's `multiLabels`, checked to be N × C values in {0, 1} (full labels). */
function fullMultiLabels(dataset: unknown, fn: string): Float32Array {
  if (typeof dataset !== 'object' || dataset === null)
    fail('INVALID_VALUE', fn, 'dataset', 'a Dataset object', describeValue(dataset));
  const d = dataset as Partial<Dataset>;
  assertNumber(d.size, { min: 0, integer: true }, fn, 'dataset.size');
  assertNumber(d.numClasses, { min: 1, integer: true }, fn, 'dataset.numClasses');
  const y = d.multiLabels;
  if (!(y instanceof Float32Array) || y.length !== d.size * d.numClasses)
    fail(
      'INVALID_VALUE',
      fn,
      'dataset.multiLabels',
      `a Float32Array of ${d.size} × ${d.numClasses} labels (a multi-label dataset)`,
      y instanceof Float32Array ? `${y.length} values` : describeValue(y),
    );
  for (let k = 0; k < y.length; k++) {
    const v = y[k];
    if (v !== 0 && v !== 1)
      fail(
        'INVALID_VALUE',
        fn,
        'dataset.multiLabels',
        'full labels made of 0/1 values',
        `${v} at row ${Math.floor(k / d.numClasses)}, class ${k % d.numClasses}`,
      );
  }
  return y;
}
