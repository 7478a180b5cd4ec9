import {
  assertCandidateRows,
  assertClassIndices,
  assertDtype,
  assertFiniteValues,
  assertNumber,
  assertRank,
  assertSameShape,
  fail,
  formatShape,
  stopGradient,
  type TensorInput,
  toTensor,
  valuesToCheck,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot rows as float32. Built as int32 then cast: the wasm backend's OneHot kernel writes
 * int32 bits whatever dtype is asked for (tfjs 4.22), and tfjs refuses depth 1.
 */
function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  if (depth === 1) return tf.ones([...indices.shape, 1]);
  return tf.cast(tf.oneHot(indices, depth), 'float32');
}

function assertRows(x: tf.Tensor, functionName: string, parameter: string): void {
  assertRank(x, 2, functionName, parameter);
  if (x.shape[0] === 0 || x.shape[1] === 0) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      'a non-empty [N, C] tensor',
      `shape ${formatShape(x.shape)}`,
    );
  }
}

function classPrior_(labels: TensorInput, numClasses: number): tf.Tensor1D {
  const fn = 'classPrior';
  assertNumber(numClasses, { min: 1, integer: true }, fn, 'numClasses');
  const y = toTensor(labels, fn, 'labels', 'int32');
  assertDtype(y, 'int32', fn, 'labels');
  assertRank(y, 1, fn, 'labels');
  if (y.shape[0] === 0) fail('SHAPE_MISMATCH', fn, 'labels', 'a non-empty [N] tensor', 'shape [0]');
  const host = valuesToCheck(labels);
  if (host !== undefined) assertClassIndices(host, numClasses, fn, 'labels');
  return tf.div(tf.sum(oneHotFloat(y, numClasses), 0), y.shape[0]);
}

/**
 * Class distribution of single-label data: `p_c = |{i : y_i = c}| / N`.
 *
 * This is `p_data` of UDAL (paper 004, Algorithm 1: "class distribution of labeled data").
 *
 * `labels` are class indices, an int32 `[N]` tensor or a host array (`Int32Array`, `number[]`).
 * Indices must be in `[0, numClasses)` (`INVALID_VALUE`): host arrays are always checked,
 * tensors at the validation level 'values' (core).
 *
 * @example
 * ```ts
 * const pData = classPrior([0, 0, 0, 1], 2); // [0.75, 0.25]
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller.
 */
export const classPrior = /* @__PURE__ */ tf.op({ classPrior_ });

function argmaxDistribution_(probs: TensorInput, candidates?: TensorInput): tf.Tensor1D {
  const fn = 'argmaxDistribution';
  const f = toTensor(probs, fn, 'probs', 'float32');
  assertRows(f, fn, 'probs');
  const [, numClasses] = f.shape as [number, number];
  const hostProbs = valuesToCheck(probs);
  if (hostProbs !== undefined) assertFiniteValues(hostProbs, fn, 'probs');
  let scores = f;
  if (candidates !== undefined) {
    const s = toTensor(candidates, fn, 'candidates', 'float32');
    assertSameShape(f, s, fn, 'probs', 'candidates');
    const hostCandidates = valuesToCheck(candidates);
    if (hostCandidates !== undefined)
      assertCandidateRows(hostCandidates, numClasses, fn, 'candidates');
    // -Inf outside the candidate set rather than f ⊙ S: when every candidate's probability
    // underflows to 0, argmax(f ⊙ S) would pick class 0 even if it is not a candidate.
    scores = tf.where(tf.greater(s, 0), f, tf.fill(f.shape, Number.NEGATIVE_INFINITY));
  }
  return tf.mean(oneHotFloat(tf.argMax(scores, 1), numClasses), 0);
}

/**
 * Distribution of the predicted classes, restricted to candidate sets:
 * `r_new = counts(argmax_j f_ij · S_ij) / N` (PLR, paper 000, eq. 6; docs/methods/000-plr.md).
 *
 * `probs` is `[N, C]` (softmax outputs; logits give the same argmax), `candidates` an optional
 * `[N, C]` 0/1 candidate matrix `S` (every row needs a 1). Without candidates it is the
 * distribution of `argmax f`. Ties go to the lowest class index. The argmax never leaves the
 * candidate set, even where every candidate's probability is 0. Host arrays are checked
 * (finite `probs`, 0/1 `candidates` with a 1 per row); tensors at the validation level 'values'.
 * Feed it to {@link EmaPrior.update} once per epoch (PLR) after a pass over the training set.
 *
 * @example
 * ```ts
 * const rNew = argmaxDistribution(probs, candidates); // [C], sums to 1
 * prior.update(rNew);
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller (no gradient).
 */
export const argmaxDistribution = /* @__PURE__ */ tf.op({ argmaxDistribution_ });

function meanDistribution_(probs: TensorInput): tf.Tensor1D {
  const fn = 'meanDistribution';
  const f = toTensor(probs, fn, 'probs', 'float32');
  assertRows(f, fn, 'probs');
  const host = valuesToCheck(probs);
  if (host !== undefined) assertFiniteValues(host, fn, 'probs');
  return tf.mean(stopGradient(f), 0);
}

/**
 * Mean of probability rows: `p̂_c = (1/N) Σ_i f_ic`. UDAL's per-batch estimate of the model's
 * class distribution on unlabeled data (paper 004, Algorithm 1, `p_model`; docs/methods/004-udal.md),
 * smoothed with `new EmaPrior({ numClasses, momentum: 0.999 })` updated every step.
 *
 * `probs` is `[N, C]` (softmax rows). Computed without gradient. Host arrays are checked for
 * finite values; tensors at the validation level 'values'.
 *
 * @example
 * ```ts
 * const batchEstimate = meanDistribution(tf.softmax(weakLogits));
 * pHat.update(batchEstimate);
 * batchEstimate.dispose();
 * ```
 * @returns a new float32 `[C]` tensor owned by the caller (no gradient).
 */
export const meanDistribution = /* @__PURE__ */ tf.op({ meanDistribution_ });
