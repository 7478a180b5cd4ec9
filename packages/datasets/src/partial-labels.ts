import type { Dataset, Rng } from '@tailwise/core';
import { assertNumber, assertRng, describeValue, fail, withDefaults } from '@tailwise/core';
import { assertLabeledDataset, assertPerClass } from './internal/weak-checks';

/** Options of {@link partialLabels}. */
export interface PartialLabelsOptions {
  /**
   * ψ = P(ŷ ∈ S | ŷ ≠ y): the probability that each wrong label enters a sample's candidate
   * set, independently. In [0, 1]. Required.
   */
  psi: number;
  /**
   * Optional class → superclass map (one non-negative integer per class, length C). When
   * given, only wrong labels of the true label's superclass can enter the candidate set
   * (the hierarchical setting, e.g. CIFAR-100 with its 20 superclasses).
   */
  hierarchy?: ArrayLike<number>;
  /** Source of randomness (`createRng(seed)`). Required. */
  rng: Rng;
}

/**
 * Turns a single-label dataset into a partial-label one: every sample gets a candidate set
 * `S` (a row of `candidates`, N × C, 0/1) that always holds its true label, and each wrong
 * label independently with probability ψ.
 *
 * `P(S_ij = 1) = 1` for `j = y_i`; `P(S_ij = 1) = ψ · [h(j) = h(y_i)]` for `j ≠ y_i`, with
 * `h ≡ 0` unless `hierarchy` is given (PLR paper 000, §4.1 "flipping negative labels to
 * false-positive labels with probability ψ"; the setting of Solar and PiCO).
 *
 * Pure host-side JavaScript; the draws come from `rng`, so equal seeds give equal sets.
 * `labels` stay in the result (for evaluation); a partial-label recipe must train on
 * `candidates` only.
 *
 * @example
 * ```ts
 * const pll = partialLabels(cifar10, { psi: 0.3, rng: createRng(0) });
 * pll.candidates; // Uint8Array, N × 10, row i has a 1 at labels[i]
 * ```
 *
 * @returns A new Dataset sharing `features` (and every other field) with the input, plus
 * `candidates`. No tensors are created.
 * @throws `INVALID_OPTION` for ψ outside [0, 1], a missing `rng` or a non-integer
 * `hierarchy` entry; `SHAPE_MISMATCH` for a `hierarchy` of the wrong length;
 * `INVALID_VALUE` for a dataset without (valid) `labels`.
 */
export function partialLabels(dataset: Dataset, options: PartialLabelsOptions): Dataset {
  const fn = 'partialLabels';
  const o = withDefaults<PartialLabelsOptions>(
    options,
    { psi: undefined as unknown as number, hierarchy: undefined, rng: undefined as unknown as Rng },
    fn,
  );
  assertNumber(o.psi, { min: 0, max: 1 }, fn, 'psi');
  assertRng(o.rng, fn);
  assertLabeledDataset(dataset, fn);
  const { size: n, numClasses: c, labels } = dataset;
  let superclass: Int32Array | undefined;
  if (o.hierarchy !== undefined) {
    assertPerClass(o.hierarchy, c, fn, 'hierarchy');
    superclass = new Int32Array(c);
    for (let j = 0; j < c; j++) {
      const h = o.hierarchy[j];
      if (typeof h !== 'number' || !Number.isInteger(h) || h < 0) {
        fail(
          'INVALID_OPTION',
          fn,
          'hierarchy',
          'non-negative integer superclass indices',
          `${describeValue(h)} at class ${j}`,
        );
      }
      superclass[j] = h;
    }
  }

  const candidates = new Uint8Array(n * c);
  const psi = o.psi;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const row = i * c;
    for (let j = 0; j < c; j++) {
      // One draw per entry, also for the true label and for classes outside the superclass:
      // the stream then does not depend on ψ or the hierarchy, so with one seed the sets grow
      // monotonically with ψ (comparisons across ψ see the same coin flips).
      const u = o.rng.uniform();
      if (j === y) candidates[row + j] = 1;
      else if (superclass !== undefined && superclass[j] !== superclass[y]) candidates[row + j] = 0;
      else candidates[row + j] = u < psi ? 1 : 0;
    }
  }
  return { ...dataset, candidates };
}
