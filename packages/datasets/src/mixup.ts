import type { Rng, TensorInput } from '@tailwise/core';
import {
  assertNumber,
  assertRank,
  assertRng,
  assertShape,
  fail,
  formatShape,
  stopGradient,
  toTensor,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link mixup}. */
export interface MixupOptions {
  /** Beta(α, α) parameter of the mixing coefficient. Default 4 (PLR paper 000, §4.1). */
  alpha?: number;
  /** Source of randomness for λ and the permutation (`createRng(seed)`). Required. */
  rng: Rng;
  /**
   * `[B]` 0/1 selection (a tensor, so a selection made inside a loss needs no readback). When
   * given, the selected rows are mixed with a uniform random permutation **of the selected
   * rows** and the unselected rows with unselected partners (Solar and PLR mix the selected
   * samples only; docs/methods/000-plr.md, mixup). The result then carries `partners` (a tensor)
   * instead of a host `permutation`.
   */
  selected?: TensorInput;
}

/** Result of {@link mixup}. The caller owns (and disposes) `x` and `targets`. */
export interface MixupResult {
  /** Mixed inputs, `λ·x + (1 − λ)·x[permutation]`, same shape as the input. */
  x: tf.Tensor;
  /** Mixed targets, `λ·t + (1 − λ)·t[permutation]`, `[B, C]` float32. */
  targets: tf.Tensor2D;
  /** The mixing coefficient, in [0.5, 1]. */
  lambda: number;
  /** The partner of each row: row i was mixed with row `permutation[i]`. */
  permutation: number[];
}

/** Result of {@link mixup} with `selected`. The caller owns `x`, `targets` and `partners`. */
export interface SelectedMixupResult {
  /** Mixed inputs, `λ·x + (1 − λ)·x[partners]`. */
  x: tf.Tensor;
  /** Mixed targets, `λ·t + (1 − λ)·t[partners]`, `[B, C]` float32. */
  targets: tf.Tensor2D;
  /** The mixing coefficient, in [0.5, 1]. */
  lambda: number;
  /** int32 `[B]`: row i was mixed with row `partners[i]`; selected rows have selected partners. */
  partners: tf.Tensor1D;
}

/** Row indices in ascending order of `score` (distinct values): a sort by `topk`. */
function ascending(score: tf.Tensor1D): tf.Tensor1D {
  return tf.topk(tf.neg(score), score.shape[0]).indices as tf.Tensor1D;
}

/**
 * Partners pairing the selected rows by a uniform random permutation of themselves (and the
 * unselected rows among themselves), and the inverse map, with tensor ops (no readback of
 * `selected`). Two random keys, each offset by B for unselected rows, sort the selected rows
 * first, each in its own random order; row i is paired with the row at i's position in the
 * second order: `partner = order₂[order₁⁻¹]`, `inverse = order₁[order₂⁻¹]`. Sorting by `topk`
 * costs O(B log B). Draws `rng.permutation(B)` twice.
 */
function selectedPartners(selected: tf.Tensor1D, rng: Rng): [tf.Tensor1D, tf.Tensor1D] {
  const b = selected.shape[0];
  // Unselected rows get +B, so every selected row sorts before every unselected one.
  const offset = tf.mul(tf.sub(1, selected), b);
  const order = () =>
    ascending(tf.add(tf.tensor1d(rng.permutation(b), 'float32'), offset) as tf.Tensor1D);
  const first = order();
  const second = order();
  // Sorting the positions stored in an order inverts it: the position of row i.
  const position = (o: tf.Tensor1D) => ascending(tf.cast(o, 'float32') as tf.Tensor1D);
  const partners = tf.gather(second, position(first)) as tf.Tensor1D;
  const inverse = tf.gather(first, position(second)) as tf.Tensor1D;
  return [partners, inverse];
}

/**
 * `t[partners]` for a permutation given as a tensor, with the gradient a gather by the
 * inverse permutation (the stock Gather gradient needs UnsortedSegmentSum, which wasm lacks).
 */
function gatherPermutation(t: tf.Tensor, partners: tf.Tensor1D, inverse: tf.Tensor1D): tf.Tensor {
  const f = tf.customGrad(((x: tf.Tensor, p: tf.Tensor, inv: tf.Tensor, save: tf.GradSaveFunc) => {
    save([inv]);
    return {
      value: tf.gather(x, p),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.gather(dy, saved[0]!),
        tf.zerosLike(p),
        tf.zerosLike(inv),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (f as unknown as (...a: tf.Tensor[]) => tf.Tensor)(t, partners, inverse);
}

/**
 * `t[perm]` with the gradient written as a gather by the inverse permutation: the stock
 * Gather gradient needs UnsortedSegmentSum, which the wasm backend lacks (docs/performance.md).
 * The inverse index tensor is made when the gradient runs (after this op's scope ended).
 */
function permuteRowsOp(permutation: number[], inverse: number[]): (t: tf.Tensor) => tf.Tensor {
  const f = (t: tf.Tensor) => ({
    value: tf.gather(t, tf.tensor1d(permutation, 'int32')),
    gradFunc: (dy: tf.Tensor) => tf.gather(dy, tf.tensor1d(inverse, 'int32')),
  });
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (
    t: tf.Tensor,
  ) => tf.Tensor;
}

function mixup_(
  x: TensorInput,
  targets: TensorInput,
  options: MixupOptions,
): MixupResult | SelectedMixupResult {
  const fn = 'mixup';
  const o = withDefaults<MixupOptions & { alpha: number }>(
    options,
    { alpha: 4, rng: undefined as unknown as Rng, selected: undefined },
    fn,
  );
  assertNumber(o.alpha, { min: 0, minExclusive: true }, fn, 'alpha');
  assertRng(o.rng, fn);
  const xs = toTensor(x, fn, 'x', 'float32');
  const ts = toTensor(targets, fn, 'targets', 'float32');
  assertRank(xs, [1, 2, 3, 4, 5, 6], fn, 'x');
  assertRank(ts, 2, fn, 'targets');
  const b = xs.shape[0]!;
  if (ts.shape[0] !== b) {
    fail(
      'SHAPE_MISMATCH',
      fn,
      'targets',
      `of shape [${b}, *] (one row per input in \`x\`)`,
      `shape ${formatShape(ts.shape)}`,
    );
  }
  // docs/methods/000-plr.md: l ~ Beta(4, 4), l = max(l, 1 − l), so the mix stays closer to the
  // original sample (the Solar/PLR convention; plain mixup keeps l as drawn).
  let selected: tf.Tensor1D | undefined;
  if (o.selected !== undefined) {
    selected = toTensor(o.selected, fn, 'selected', 'float32') as tf.Tensor1D;
    assertShape(selected, [b], fn, 'selected');
  }
  const drawn = o.rng.beta(o.alpha, o.alpha);
  const lambda = Math.max(drawn, 1 - drawn);
  if (selected !== undefined) {
    // The selection is a target: the partners carry no gradient back into it.
    const [partners, inverse] = selectedPartners(stopGradient(selected), o.rng);
    const mixSelected = (t: tf.Tensor): tf.Tensor =>
      tf.add(tf.mul(t, lambda), tf.mul(gatherPermutation(t, partners, inverse), 1 - lambda));
    return { x: mixSelected(xs), targets: mixSelected(ts) as tf.Tensor2D, lambda, partners };
  }
  const permutation = o.rng.permutation(b);
  const inverse = new Array<number>(b);
  permutation.forEach((p, i) => {
    inverse[p] = i;
  });
  const permuteRows = permuteRowsOp(permutation, inverse);
  const mix = (t: tf.Tensor): tf.Tensor =>
    tf.add(tf.mul(t, lambda), tf.mul(permuteRows(t), 1 - lambda));
  return { x: mix(xs), targets: mix(ts) as tf.Tensor2D, lambda, permutation };
}

/**
 * Mixup of a batch with a permutation of itself, as PLR (paper 000, Algorithm 1, "mixup
 * loss") and Solar use it on the selected samples.
 *
 * `l ~ Beta(α, α)`, `λ = max(l, 1 − l)`, `π` a random permutation of the B rows;
 * `x̃ = λ·x + (1 − λ)·x[π]`, `t̃ = λ·t + (1 − λ)·t[π]` (Zhang et al., mixup, eq. 1;
 * docs/methods/000-plr.md). Rows of `t̃` sum to 1 when the rows of `t` do.
 *
 * Inputs and targets must be finite (not checked here: that needs a readback; the data
 * layer checks it).
 *
 * With `selected` (`[B]` 0/1), mixing stays inside the selected subset: selected rows get
 * selected partners, drawn as a uniform random permutation of the selected rows (two
 * `rng.permutation(B)` draws after λ), and the result has `partners` instead of `permutation`.
 * This is the mixup of Solar and PLR, which mix the small-loss-selected samples with each
 * other (docs/methods/000-plr.md); unselected rows are mixed among themselves, for the loss to
 * mask.
 *
 * With `selected` (`[B]` 0/1), mixing stays inside the selected subset: selected rows get
 * selected partners, drawn as a uniform random permutation of the selected rows (two
 * `rng.permutation(B)` draws after λ), and the result has `partners` instead of `permutation`.
 * This is the mixup of Solar and PLR, which mix the small-loss-selected samples with each
 * other (docs/methods/000-plr.md); unselected rows are mixed among themselves, for the loss to
 * mask.
 *
 * @example
 * ```ts
 * const { x: xMix, targets: tMix, lambda } = mixup(xWeak, pseudoLabels, { rng });
 * // only the selected rows, selection computed in the loss:
 * const m = mixup(xWeak, w, { rng, selected: sel }); // m.partners: int32 [B]
 * const loss = crossEntropy(tMix, model.predict(xMix));
 * tf.dispose([xMix, tMix]);
 * ```
 *
 * @param x Inputs `[B, ...]` (e.g. `[B, H, W, C]` images).
 * @param targets Soft or one-hot targets `[B, C]`.
 * @returns New tensors `x` and `targets` owned by the caller, plus `lambda` and
 * `permutation`. Differentiable in `x` and `targets`.
 * @throws `INVALID_OPTION` for `alpha <= 0` or a missing `rng`; `SHAPE_MISMATCH` when
 * `targets` is not `[B, C]` for the B rows of `x`, or `selected` is not `[B]`.
 */
export const mixup = /* @__PURE__ */ tf.op({ mixup_ }) as {
  (
    x: TensorInput,
    targets: TensorInput,
    options: MixupOptions & { selected: TensorInput },
  ): SelectedMixupResult;
  (x: TensorInput, targets: TensorInput, options: MixupOptions): MixupResult;
};
