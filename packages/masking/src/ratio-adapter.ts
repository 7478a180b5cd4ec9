import {
  assertNumber,
  assertOneOf,
  assertRank,
  assertSameShape,
  assertValuesIn,
  describeValue,
  fail,
  readStateEnvelope,
  stateEnvelope,
  TailwiseError,
  type TensorInput,
  toTensor,
  valuesToCheck,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertRatioValues } from './internal/ratio-values';

/** Replaces the empty bins of the ground-truth distributions, and guards the z-score (docs/methods/002-plm.md). */
const EPS = 1e-7;

/** How the starting ideal ratios are taken from {@link RatioAdapterOptions.ratio}. */
export type InitialRatioStatistic = 'mean' | 'min' | 'max';

/** Options of {@link RatioAdapter}. */
export interface RatioAdapterOptions {
  /**
   * Starting ideal ratios `r̄_{c,1}`: a `[C]` array of positive ratios (the paper's default is
   * the dataset's ratios `r_c`, from `positiveNegativeRatio`), or `'mean' | 'min' | 'max'`:
   * every class starts at that statistic of `ratio` (paper 002, Table 6; docs/methods/002-plm.md).
   */
  initial: ArrayLike<number> | InitialRatioStatistic;
  /** The dataset's ratios `r_c` `[C]`; required when `initial` is a statistic, refused otherwise. */
  ratio?: ArrayLike<number>;
  /** Rate λ ≥ 0 of eq. 7. Default 0.01 (docs/methods/002-plm.md; the paper uses 1.0 on CIFAR-10). */
  lambda?: number;
  /** Number of histogram bins τ, an integer ≥ 2. Default 10. */
  tau?: number;
  /** Optional `[rMin, rMax]` (0 ≤ rMin ≤ rMax, rMax > 0) applied after each update. */
  clip?: readonly [number, number];
}

/** What {@link RatioAdapter.step} computed, for logging and plots. */
export interface RatioAdapterStep {
  /** The new ideal ratios `r̄_{c,t+1}`. */
  value: number[];
  /** `D⁺_c = KL(P̂⁺_c ‖ P⁺_c)` (eq. 5); `null` for a class with no positive sample this epoch. */
  positiveDivergence: (number | null)[];
  /** `D⁻_c = KL(P̂⁻_c ‖ P⁻_c)` (eq. 5); `null` for a class with no negative sample this epoch. */
  negativeDivergence: (number | null)[];
  /** `D_c = D̃⁺_c − D̃⁻_c` (eq. 6–7); 0 for excluded classes. */
  divergence: number[];
  /** Classes left out of the z-scores (no positive or no negative sample this epoch). */
  excluded: number[];
}

/** Saved state of a {@link RatioAdapter}, from {@link RatioAdapter.toJSON}. */
export interface RatioAdapterJSON {
  kind: 'tailwise.RatioAdapter';
  version: 1;
  lambda: number;
  tau: number;
  clip: [number, number] | null;
  value: number[];
  history: number[][];
  /**
   * The histograms of an unfinished epoch (from {@link RatioAdapter.toJSONAsync}, for a
   * checkpoint taken mid-epoch): `[C, τ]` row-major counts and the batches observed.
   */
  pending?: { positive: number[]; negative: number[]; batches: number } | null;
}

const KIND = 'tailwise.RatioAdapter';
const JSON_KEYS = ['lambda', 'tau', 'clip', 'value', 'history', 'pending'] as const;

function refuse(reason: string): never {
  throw new TailwiseError(
    'INVALID_FORMAT',
    `RatioAdapter.fromJSON: expected \`json\` to be a saved RatioAdapter (from RatioAdapter.toJSON()), got ${reason}`,
    { functionName: 'RatioAdapter.fromJSON', parameter: 'json' },
  );
}

/** `KL(P̂ ‖ P)` of a histogram against "all mass in bin `ideal`", empty bins of P set to EPS. */
function divergenceToIdeal(
  counts: ArrayLike<number>,
  offset: number,
  tau: number,
  ideal: number,
): number | null {
  let total = 0;
  for (let b = 0; b < tau; b++) total += counts[offset + b]!;
  if (total === 0) return null;
  let kl = 0;
  for (let b = 0; b < tau; b++) {
    const p = counts[offset + b]! / total;
    // 0·log 0 = 0. docs/methods/002-plm.md replaces the ground truth's zero bins by eps = 1e-7
    // without renormalising it, so the ideal bin keeps mass 1.
    if (p > 0) kl += p * Math.log(p / (b === ideal ? 1 : EPS));
  }
  return kl;
}

/** Eq. 6 over the included classes: `(x − mean)/(std + eps)`, population std. */
function zScores(values: readonly (number | null)[], included: readonly boolean[]): number[] {
  let n = 0;
  let sum = 0;
  values.forEach((v, c) => {
    if (included[c]) {
      n += 1;
      sum += v!;
    }
  });
  if (n === 0) return values.map(() => 0);
  const mean = sum / n;
  let squares = 0;
  values.forEach((v, c) => {
    if (included[c]) squares += (v! - mean) ** 2;
  });
  const std = Math.sqrt(squares / n);
  return values.map((v, c) => (included[c] ? (v! - mean) / (std + EPS) : 0));
}

/**
 * PLM's ratio adaptation (paper 002, eq. 4–7, Algorithm 1; docs/methods/002-plm.md): learns the ideal
 * positive-to-negative ratios `r̄_c` that {@link plmMask} uses, once per epoch, from how far the
 * model's predicted probabilities are from the ground truth.
 *
 * Per training batch, {@link RatioAdapter.observe} histograms the predicted probability of each
 * class separately for positive and negative samples into τ equal bins on [0, 1] (the last bin
 * includes 1.0). Once per epoch, {@link RatioAdapter.step}:
 * 1. `D⁺_c = KL(P̂⁺_c ‖ P⁺_c)`, `D⁻_c = KL(P̂⁻_c ‖ P⁻_c)` (eq. 5), where the ground truth puts
 *    all mass in the last bin (positives) or the first bin (negatives), its other bins set to
 *    1e-7;
 * 2. z-scores D⁺ across classes and D⁻ across classes, `(x − mean)/(std + 1e-7)` with the
 *    population std (eq. 6), and `D_c = D̃⁺_c − D̃⁻_c`;
 * 3. `r̄_c ← exp(λ·D_c)·r̄_c` (eq. 7), then the optional clip.
 *
 * A class with no positive or no negative sample in the epoch gets `D_c = 0` (its ratio is
 * kept) and is left out of the means and stds of **both** D⁺ and D⁻, so the z-scores compare
 * the same classes and every ratio stays finite. `history[0]` is the starting ratio and
 * `history[t]` the ratio after `t` steps (paper Figure 2).
 *
 * Memory and readback: `observe` is synchronous, adds the batch to two kept `[C, τ]` count
 * tensors and never reads tensor data; `step` is async (it reads those counts once with
 * `await data()`, then frees them). `value` and `history` are host arrays, so `toJSON` is
 * synchronous; it saves the ratios and history, not the counts of an unfinished epoch
 * (checkpoint after `step`). Call {@link RatioAdapter.dispose} to free pending counts.
 *
 * @example
 * ```ts
 * const r = positiveNegativeRatio(trainLabels);
 * const adapter = new RatioAdapter({ initial: await r.data(), lambda: 0.01 });
 * for (const epoch of epochs) {
 *   for (const batch of trainBatches) {
 *     const mask = plmMask(batch.multiLabels, r, adapter.value, { rng });
 *     // ... loss with { mask }, then with the batch's sigmoid outputs:
 *     adapter.observe(batch.multiLabels, probs);
 *   }
 *   await adapter.step();
 * }
 * adapter.dispose();
 * ```
 */
export class RatioAdapter {
  /** Number of classes C. */
  readonly numClasses: number;
  /** λ of eq. 7. */
  readonly lambda: number;
  /** Number of histogram bins τ. */
  readonly tau: number;
  /** `[rMin, rMax]`, or undefined. */
  readonly clip: readonly [number, number] | undefined;
  #value: number[];
  #history: number[][];
  #positive: tf.Tensor2D | undefined;
  #negative: tf.Tensor2D | undefined;
  #batches = 0;

  constructor(options: RatioAdapterOptions) {
    const fn = 'RatioAdapter';
    const o = withDefaults<RatioAdapterOptions>(
      options,
      {
        initial: undefined as unknown as number[],
        ratio: undefined,
        lambda: 0.01,
        tau: 10,
        clip: undefined,
      },
      fn,
    );
    assertNumber(o.lambda, { min: 0 }, fn, 'lambda');
    assertNumber(o.tau, { min: 2, integer: true }, fn, 'tau');
    let clip: [number, number] | undefined;
    if (o.clip !== undefined) {
      if (!Array.isArray(o.clip) || o.clip.length !== 2) {
        fail('INVALID_OPTION', fn, 'clip', 'a pair [rMin, rMax]', describeValue(o.clip));
      }
      const [lo, hi] = o.clip as [number, number];
      assertNumber(lo, { min: 0 }, fn, 'clip[0]');
      assertNumber(hi, { min: Math.max(lo, 0), minExclusive: lo === 0 }, fn, 'clip[1]');
      clip = [lo, hi];
    }
    let start: number[];
    if (typeof o.initial === 'string') {
      assertOneOf(o.initial, ['mean', 'min', 'max'] as const, fn, 'initial');
      if (o.ratio === undefined) {
        fail(
          'INVALID_OPTION',
          fn,
          'ratio',
          `the dataset's ratios when \`initial\` is '${o.initial}'`,
          'undefined',
        );
      }
      const ratio = toArray(o.ratio, fn, 'ratio');
      const stat =
        o.initial === 'mean'
          ? ratio.reduce((a, b) => a + b, 0) / ratio.length
          : o.initial === 'min'
            ? Math.min(...ratio)
            : Math.max(...ratio);
      start = ratio.map(() => stat);
    } else {
      if (o.ratio !== undefined) {
        fail(
          'INVALID_OPTION',
          fn,
          'ratio',
          "absent unless `initial` is 'mean', 'min' or 'max'",
          describeValue(Array.from(o.ratio)),
        );
      }
      start = toArray(o.initial, fn, 'initial');
    }
    this.numClasses = start.length;
    this.lambda = o.lambda;
    this.tau = o.tau;
    this.clip = clip;
    this.#value = start;
    this.#history = [start.slice()];
  }

  /** The current ideal ratios `r̄_c` (a fresh copy): pass as `idealRatio` to {@link plmMask}. */
  get value(): number[] {
    return this.#value.slice();
  }

  /** `r̄` before the first step, then after each step (copies). */
  get history(): number[][] {
    return this.#history.map((row) => row.slice());
  }

  /** Number of batches observed since the last step. */
  get pendingBatches(): number {
    return this.#batches;
  }

  /**
   * Adds one **training** batch (never validation data) to this epoch's histograms.
   * `labels` is `[B, C]` in {0, 1}; `probs` the model's predicted probabilities `[B, C]`
   * (sigmoid outputs), read without gradient. Probabilities outside [0, 1] land in the end
   * bins. Labels 0/1 and probs finite in [0, 1] are checked (tensors at the validation level
   * 'values', core), so a NaN probability cannot corrupt the histograms.
   * Synchronous, no readback; the inputs stay owned by the caller.
   */
  observe(labels: TensorInput, probs: TensorInput): void {
    const fn = 'RatioAdapter.observe';
    const [positive, negative] = tf.tidy(() => {
      const y = toTensor(labels, fn, 'labels', 'float32');
      assertRank(y, 2, fn, 'labels');
      if (y.shape[1] !== this.numClasses) {
        fail(
          'SHAPE_MISMATCH',
          fn,
          'labels',
          `of shape [*, ${this.numClasses}]`,
          `shape [${y.shape.join(', ')}]`,
        );
      }
      const p = toTensor(probs, fn, 'probs', 'float32');
      assertSameShape(y, p, fn, 'labels', 'probs');
      const hostLabels = valuesToCheck(labels);
      if (hostLabels !== undefined) assertValuesIn(hostLabels, [0, 1], fn, 'labels');
      const hostProbs = valuesToCheck(probs);
      if (hostProbs !== undefined) {
        for (let i = 0; i < hostProbs.length; i++) {
          const v = hostProbs[i]!;
          if (!Number.isFinite(v))
            fail('NON_FINITE', fn, 'probs', 'finite everywhere', `${v} at flat index ${i}`);
          if (v < 0 || v > 1)
            fail(
              'INVALID_VALUE',
              fn,
              'probs',
              'probabilities in [0, 1]',
              `${v} at flat index ${i}`,
            );
        }
      }
      // Bin b holds [b/τ, (b+1)/τ); 1.0 joins the last bin (docs/methods/002-plm.md).
      const bins = tf.cast(tf.clipByValue(tf.floor(tf.mul(p, this.tau)), 0, this.tau - 1), 'int32');
      // Built as int32 then cast: the wasm OneHot kernel ignores a float32 dtype (tfjs 4.22).
      const oneHot = tf.cast(tf.oneHot(tf.reshape(bins, [-1]), this.tau), 'float32');
      const perEntry = tf.reshape(oneHot, [y.shape[0]!, this.numClasses, this.tau]);
      const count = (indicator: tf.Tensor) =>
        tf.sum(tf.mul(perEntry, tf.expandDims(indicator, 2)), 0);
      const pos = count(tf.cast(tf.equal(y, 1), 'float32'));
      const neg = count(tf.cast(tf.equal(y, 0), 'float32'));
      return [
        this.#positive === undefined ? pos : tf.add(this.#positive, pos),
        this.#negative === undefined ? neg : tf.add(this.#negative, neg),
      ] as [tf.Tensor2D, tf.Tensor2D];
    });
    this.#positive?.dispose();
    this.#negative?.dispose();
    this.#positive = tf.keep(positive);
    this.#negative = tf.keep(negative);
    this.#batches += 1;
  }

  /**
   * Ends the epoch: computes eq. 5–7 from the observed histograms, updates `value`, appends
   * it to `history`, and clears the histograms. Async: reads the two `[C, τ]` count tensors
   * once. Batches observed while it awaits count for the next epoch.
   * Throws `INVALID_STATE` when no batch was observed since the last step.
   */
  async step(): Promise<RatioAdapterStep> {
    const fn = 'RatioAdapter.step';
    const positive = this.#positive;
    const negative = this.#negative;
    if (positive === undefined || negative === undefined) {
      fail(
        'INVALID_STATE',
        fn,
        'observe',
        'called with at least one training batch since the last step',
        'no batch',
      );
    }
    this.#positive = undefined;
    this.#negative = undefined;
    this.#batches = 0;
    let posCounts: ArrayLike<number>;
    let negCounts: ArrayLike<number>;
    try {
      [posCounts, negCounts] = await Promise.all([positive.data(), negative.data()]);
    } finally {
      positive.dispose();
      negative.dispose();
    }
    const tau = this.tau;
    const positiveDivergence: (number | null)[] = [];
    const negativeDivergence: (number | null)[] = [];
    for (let c = 0; c < this.numClasses; c++) {
      positiveDivergence.push(divergenceToIdeal(posCounts, c * tau, tau, tau - 1));
      negativeDivergence.push(divergenceToIdeal(negCounts, c * tau, tau, 0));
    }
    // docs/methods/002-plm.md: a class without positives (or negatives) this epoch has no D⁺ (or D⁻);
    // it gets D_c = 0 and stays out of both means and stds (the public port's NaN comes
    // from including it).
    const included = positiveDivergence.map((d, c) => d !== null && negativeDivergence[c] !== null);
    const zPositive = zScores(positiveDivergence, included);
    const zNegative = zScores(negativeDivergence, included);
    const divergence = zPositive.map((z, c) => (included[c] ? z - zNegative[c]! : 0));
    const value = this.#value.map((r, c) => {
      const next = Math.exp(this.lambda * divergence[c]!) * r;
      return this.clip === undefined ? next : Math.min(this.clip[1], Math.max(this.clip[0], next));
    });
    this.#value = value;
    this.#history.push(value.slice());
    return {
      value: value.slice(),
      positiveDivergence,
      negativeDivergence,
      divergence,
      excluded: included.flatMap((ok, c) => (ok ? [] : [c])),
    };
  }

  /** Frees the histograms of an unfinished epoch. The ratios stay readable. Idempotent. */
  dispose(): void {
    this.#positive?.dispose();
    this.#negative?.dispose();
    this.#positive = undefined;
    this.#negative = undefined;
    this.#batches = 0;
  }

  /** Saved ratios, history and options (not the histograms of an unfinished epoch). */
  toJSON(): RatioAdapterJSON {
    return stateEnvelope(KIND, 1, {
      lambda: this.lambda,
      tau: this.tau,
      clip: this.clip === undefined ? null : ([this.clip[0], this.clip[1]] as [number, number]),
      value: this.#value.slice(),
      history: this.#history.map((row) => row.slice()),
    }) as RatioAdapterJSON;
  }

  /**
   * {@link RatioAdapter.toJSON} plus the histograms of the unfinished epoch (`pending`), so a
   * run checkpointed mid-epoch resumes with the same counts. Async: reads the two `[C, τ]`
   * count tensors.
   */
  async toJSONAsync(): Promise<RatioAdapterJSON> {
    const json = this.toJSON();
    if (this.#positive === undefined || this.#negative === undefined)
      return { ...json, pending: null };
    const [positive, negative] = await Promise.all([this.#positive.data(), this.#negative.data()]);
    return {
      ...json,
      pending: {
        positive: Array.from(positive),
        negative: Array.from(negative),
        batches: this.#batches,
      },
    };
  }

  /**
   * Restores an adapter from {@link RatioAdapter.toJSON} or {@link RatioAdapter.toJSONAsync}
   * (with the pending histograms). Refuses anything else with
   * `INVALID_FORMAT`: another `kind` or `version`, unknown keys, bad options, ratios that are
   * not positive and finite, or rows of another length.
   */
  static fromJSON(json: unknown): RatioAdapter {
    const j = readStateEnvelope(json, KIND, 1, 'RatioAdapter.fromJSON', JSON_KEYS);
    const isRatios = (row: unknown, length?: number): row is number[] =>
      Array.isArray(row) &&
      row.length > 0 &&
      (length === undefined || row.length === length) &&
      row.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0);
    if (!isRatios(j.value)) refuse(`value ${describeValue(j.value)}`);
    const numClasses = j.value.length;
    if (
      !Array.isArray(j.history) ||
      j.history.length === 0 ||
      !j.history.every((row) => isRatios(row, numClasses))
    ) {
      refuse(`history ${describeValue(j.history)}`);
    }
    if (j.clip !== null && !Array.isArray(j.clip)) refuse(`clip ${describeValue(j.clip)}`);
    let adapter: RatioAdapter;
    try {
      adapter = new RatioAdapter({
        initial: j.value,
        lambda: j.lambda as number,
        tau: j.tau as number,
        clip: j.clip === null ? undefined : (j.clip as [number, number]),
      });
    } catch (error) {
      refuse(`options it refuses (${(error as Error).message})`);
    }
    adapter.#history = (j.history as number[][]).map((row) => row.slice());
    const pending = j.pending as RatioAdapterJSON['pending'];
    if (pending !== undefined && pending !== null) {
      const size = numClasses * adapter.tau;
      const isCounts = (v: unknown): v is number[] =>
        Array.isArray(v) &&
        v.length === size &&
        v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
      if (
        typeof pending !== 'object' ||
        !isCounts(pending.positive) ||
        !isCounts(pending.negative) ||
        !Number.isInteger(pending.batches) ||
        pending.batches < 1
      ) {
        refuse(`pending ${describeValue(pending)}`);
      }
      adapter.#positive = tf.tensor2d(pending.positive, [numClasses, adapter.tau], 'float32');
      adapter.#negative = tf.tensor2d(pending.negative, [numClasses, adapter.tau], 'float32');
      adapter.#batches = pending.batches;
    }
    return adapter;
  }
}

function toArray(values: ArrayLike<number>, functionName: string, parameter: string): number[] {
  if (
    values === null ||
    typeof values !== 'object' ||
    typeof values.length !== 'number' ||
    values.length === 0
  ) {
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'a non-empty array of ratios',
      describeValue(values),
    );
  }
  const out = Array.from(values);
  assertRatioValues(out, functionName, parameter);
  return out;
}
