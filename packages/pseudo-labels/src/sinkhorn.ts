import {
  assertNumber,
  checkInRange,
  fail,
  formatShape,
  type TensorInput,
  withDefaults,
  withoutGradient,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { toCandidatesAndLogits, toDistribution, toMatrix } from './internal/inputs';
import { logSumExp, maskedRowMax, maskedSoftmax } from './internal/masked';
import { SinkhornQueue } from './sinkhorn-queue';

/** Options of {@link sinkhornPseudoLabels}. */
export interface SinkhornPseudoLabelsOptions {
  /** λ > 0, the exponent in `(f ⊙ S)^λ`. Default 3 (Solar). */
  lambda?: number;
  /** Number of Sinkhorn iterations (fixed, no early stop). Default 50 (Solar). */
  iterations?: number;
  /**
   * Rows solved jointly with the batch: a {@link SinkhornQueue} (used only once full) or a
   * `[Q, C]` tensor of `f ⊙ S` rows (always used). Only the batch's rows are returned.
   */
  queue?: SinkhornQueue | TensorInput;
}

/** Solar's relaxation: zero entries of `f ⊙ S` become 1e-5 when the plain problem has no solution. */
const RELAXED_ENTRY = Math.log(1e-5);

function isTensorInput(x: unknown): x is TensorInput {
  return x instanceof tf.Tensor || Array.isArray(x) || ArrayBuffer.isView(x);
}

/**
 * The rows of one solve: `log(f ⊙ S) + offset_i` (−Inf off the support), its relaxed version,
 * the support, and the per-row `offset` (`[rows, 1]`) to subtract to get back `log(f ⊙ S)`.
 */
interface LogRows {
  mask: tf.Tensor2D;
  logP: tf.Tensor2D;
  relaxed: tf.Tensor2D;
  offset: tf.Tensor2D;
}

/** {@link LogRows} of a batch given as `(candidates, logits)`. */
function batchLogsFromLogits(s: tf.Tensor2D, l: tf.Tensor2D): LogRows {
  const mask = tf.greater(s, 0) as tf.Tensor2D;
  // log f_ij = logits_ij − lse_i. Shifting by the candidates' max instead (offset_i =
  // lse_i − max_i ≥ 0) keeps full precision for logits of ±1e4, where log f ≈ −2e4 has lost its
  // low digits; the relaxed 1e-5 entries get the same shift.
  const rowMax = maskedRowMax(l, mask);
  const shifted = tf.sub(l, rowMax);
  const offset = tf.sub(logSumExp(l, 1), rowMax) as tf.Tensor2D;
  return {
    mask,
    logP: tf.where(mask, shifted, tf.fill(l.shape, Number.NEGATIVE_INFINITY)) as tf.Tensor2D,
    relaxed: tf.where(
      mask,
      shifted,
      tf.broadcastTo(tf.add(offset, RELAXED_ENTRY), l.shape),
    ) as tf.Tensor2D,
    offset,
  };
}

/** {@link LogRows} of rows given as the product `f ⊙ S` itself (queue rows, or the product form). */
function logsFromProducts(p: tf.Tensor2D): LogRows {
  const mask = tf.greater(p, 0) as tf.Tensor2D;
  const logP = tf.where(mask, tf.log(p), tf.fill(p.shape, Number.NEGATIVE_INFINITY)) as tf.Tensor2D;
  const relaxed = tf.where(mask, logP, tf.fill(p.shape, RELAXED_ENTRY)) as tf.Tensor2D;
  return { mask, logP, relaxed, offset: tf.zeros([p.shape[0], 1]) };
}

/** True (scalar bool) when some row or column of `logP` has no finite entry. */
function hasEmptyLine(logP: tf.Tensor2D): tf.Tensor {
  const emptyRow = tf.logicalNot(tf.isFinite(tf.max(logP, 1)));
  const emptyColumn = tf.logicalNot(tf.isFinite(tf.max(logP, 0)));
  return tf.logicalOr(tf.any(emptyRow), tf.any(emptyColumn));
}

/**
 * Log-domain Sinkhorn on `K = exp(logK)` ([N, C]) with row sums 1 and column sums `N·r`,
 * starting from the row scaling `log u = u0` ([1, N]). Mirrors Solar's update order (columns,
 * then rows). Returns the column scaling `log v` ([1, C]); the row scaling is whatever makes each
 * row sum to 1.
 */
function logColumnScaling(
  logK: tf.Tensor2D,
  u0: tf.Tensor2D,
  prior: tf.Tensor1D,
  iterations: number,
): tf.Tensor2D {
  const [n, c] = logK.shape;
  const logColumnTargets = tf.reshape(tf.log(tf.mul(prior, n)), [c, 1]);
  // Both updates reduce along the last axis (of K and of a transposed copy made once): backends
  // reduce the inner axis fastest, and the cpu backend transposes for every other reduction.
  const logKT = tf.transpose(logK) as tf.Tensor2D;
  let u: tf.Tensor2D = tf.clone(u0);
  let v: tf.Tensor2D = tf.zeros([1, c]);
  for (let t = 0; t < iterations; t++) {
    const [u2, v2] = tf.tidy(() => {
      const vNext = tf.reshape(tf.sub(logColumnTargets, logSumExp(tf.add(logKT, u), 1)), [
        1,
        c,
      ]) as tf.Tensor2D;
      const uNext = tf.reshape(tf.neg(logSumExp(tf.add(logK, vNext), 1)), [1, n]) as tf.Tensor2D;
      return [uNext, vNext];
    });
    tf.dispose([u, v]);
    u = u2 as tf.Tensor2D;
    v = v2 as tf.Tensor2D;
  }
  u.dispose();
  return v;
}

function solve(
  batch: LogRows,
  queueRows: tf.Tensor2D | undefined,
  prior: tf.Tensor1D,
  lambda: number,
  iterations: number,
): tf.Tensor2D {
  let { logP, relaxed, offset } = batch;
  if (queueRows !== undefined) {
    const q = logsFromProducts(queueRows);
    logP = tf.concat([q.logP, logP]);
    relaxed = tf.concat([q.relaxed, relaxed]);
    offset = tf.concat([q.offset, offset]);
  }
  // docs/methods/000-plr.md: "if a NaN still appears, add 1e-5 to zero entries and redo". In the log
  // domain a NaN can only come from a row or a column of f ⊙ S with no positive entry (an
  // update then meets −Inf − (−Inf)), so that test, made with tensor ops before iterating,
  // decides the relaxed problem up front: one solve, no readback, the same result.
  const useRelaxed = hasEmptyLine(logP);
  const logK = tf.mul(tf.where(useRelaxed, relaxed, logP), lambda) as tf.Tensor2D;
  // Starting from u_i = −λ·offset_i makes every iterate equal Solar's on K = (f ⊙ S)^λ with
  // u = 1: the fixed point ignores per-row constants, but 50 iterations may not reach it.
  const u0 = tf.reshape(tf.mul(offset, -lambda), [1, logK.shape[0]]) as tf.Tensor2D;
  const v = logColumnScaling(logK, u0, prior, iterations);
  const b = batch.logP.shape[0];
  const logKb =
    logK.shape[0] === b ? logK : tf.slice(logK, [logK.shape[0] - b, 0], [b, logK.shape[1]]);
  // w_ij = u_i·K_ij·v_j with u_i making the row sum 1: a row softmax of log K + log v. Taken over
  // the candidates only, it also zeroes the entries the relaxed problem put outside them and
  // renormalizes those rows (a deviation: Solar's reference leaves relaxed rows unnormalized),
  // in the log domain, so a row whose mass is tiny is still normalized exactly.
  return maskedSoftmax(tf.add(logKb, v) as tf.Tensor2D, batch.mask);
}

function sinkhornPseudoLabels_(
  first: TensorInput,
  second: TensorInput,
  third?: TensorInput | SinkhornPseudoLabelsOptions,
  fourth?: SinkhornPseudoLabelsOptions,
): tf.Tensor2D {
  const fn = 'sinkhornPseudoLabels';
  const logitsForm = isTensorInput(third);
  const options = (logitsForm ? fourth : third) as SinkhornPseudoLabelsOptions | undefined;
  const o = withDefaults<SinkhornPseudoLabelsOptions & { lambda: number; iterations: number }>(
    options,
    { lambda: 3, iterations: 50 },
    fn,
    ['queue'],
  );
  assertNumber(o.lambda, { min: 0, minExclusive: true }, fn, 'lambda');
  assertNumber(o.iterations, { min: 1, integer: true }, fn, 'iterations');

  let inputs: tf.Tensor[];
  let numClasses: number;
  if (logitsForm) {
    const { candidates, logits } = toCandidatesAndLogits(first, second, fn);
    numClasses = candidates.shape[1];
    inputs = [candidates, logits, toDistribution(third as TensorInput, numClasses, fn, 'prior')];
  } else {
    const p = toMatrix(first, fn, 'probsTimesCandidates');
    checkInRange(first, { min: 0 }, fn, 'probsTimesCandidates');
    numClasses = p.shape[1];
    inputs = [p, toDistribution(second, numClasses, fn, 'prior')];
  }

  let queueRows: tf.Tensor2D | undefined;
  if (o.queue instanceof SinkhornQueue) {
    if (o.queue.numClasses !== undefined && o.queue.numClasses !== numClasses) {
      fail(
        'SHAPE_MISMATCH',
        fn,
        'queue',
        `a queue of rows over ${numClasses} classes`,
        `a queue over ${o.queue.numClasses} classes`,
      );
    }
    if (o.queue.isFull) queueRows = o.queue.toTensor();
  } else if (o.queue !== undefined) {
    queueRows = toMatrix(o.queue, fn, 'queue');
    checkInRange(o.queue, { min: 0 }, fn, 'queue');
    if (queueRows.shape[1] !== numClasses) {
      fail(
        'SHAPE_MISMATCH',
        fn,
        'queue',
        `of shape [Q, ${numClasses}]`,
        `shape ${formatShape(queueRows.shape)}`,
      );
    }
  }
  if (queueRows !== undefined) inputs.push(queueRows);

  const { lambda, iterations } = o;
  return withoutGradient((...t) => {
    const batch = logitsForm
      ? batchLogsFromLogits(t[0] as tf.Tensor2D, t[1] as tf.Tensor2D)
      : logsFromProducts(t[0] as tf.Tensor2D);
    const prior = t[logitsForm ? 2 : 1] as tf.Tensor1D;
    const queue = queueRows === undefined ? undefined : (t[t.length - 1] as tf.Tensor2D);
    return solve(batch, queue, prior, lambda, iterations);
  }, inputs);
}

/** Call signatures of {@link sinkhornPseudoLabels}. */
export interface SinkhornPseudoLabels {
  (
    candidates: TensorInput,
    logits: TensorInput,
    prior: TensorInput,
    options?: SinkhornPseudoLabelsOptions,
  ): tf.Tensor2D;
  (
    probsTimesCandidates: TensorInput,
    prior: TensorInput,
    options?: SinkhornPseudoLabelsOptions,
  ): tf.Tensor2D;
}

/**
 * Solar pseudo-labels: the Sinkhorn-Knopp transport of `(f ⊙ S)^λ` whose rows sum to 1 and whose
 * columns sum to `N·r`, so the pseudo-labels of the N solved rows follow the class prior `r`.
 *
 * Solar (Wang et al., 2022; cited by the PLR paper 000 as [17]); docs/methods/000-plr.md. Finds
 * `w_ij = u_i·K_ij·v_j` with `K = (f ⊙ S)^λ`, `Σ_j w_ij = 1`, `Σ_i w_ij = N·r_j`, by a fixed
 * number of alternating column / row updates done in the log domain (log-sum-exp), so float32
 * (and float16) backends cannot overflow. With a full `queue` the batch is solved jointly with
 * the queue's rows (N = Q + B) and only the batch's B rows are returned.
 *
 * Two call forms: `(candidates, logits, prior, options?)`, where `f = softmax(logits)`, or
 * `(probsTimesCandidates, prior, options?)` with the product `f ⊙ S` already formed.
 *
 * NaN fallback (Solar): when the plain problem has a row or column of `f ⊙ S` without a positive
 * entry (the case that makes Sinkhorn produce NaN), zero entries are replaced by 1e-5 and the
 * relaxed problem is solved instead. That test is made inside the op with tensor ops before
 * iterating — no readback, nothing for the caller to check. The result is then set to 0 outside
 * the candidates and its rows renormalized (a deviation: Solar leaves them unnormalized).
 *
 * Costs `O(iterations·N·C)` per call (Solar with 64 queued batches: ~35× PLR, paper Table 5).
 * The prior must have positive entries ({@link validatePrior}). No gradient flows to `logits`.
 *
 * @returns `[B, C]` float32 targets, rows summing to 1, exactly 0 outside the candidates; a new
 *   tensor owned by the caller.
 *
 * @example
 * ```ts
 * const queue = new SinkhornQueue();
 * const w = sinkhornPseudoLabels(batch.candidates, logitsWeak, prior, { lambda: 3, queue });
 * await queue.push(batch.candidates, logitsWeak);
 * const keep = selectSmallLoss(w, logitsWeak, { rho, quota: 'prior', prior });
 * ```
 */
export const sinkhornPseudoLabels: SinkhornPseudoLabels = /* @__PURE__ */ tf.op({
  sinkhornPseudoLabels_,
}) as SinkhornPseudoLabels;
