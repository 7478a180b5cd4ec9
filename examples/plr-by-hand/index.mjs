#!/usr/bin/env node
// PLR's core, composed by hand from tailwise's packages (no trainer recipe): partial-label
// MNIST-LT, where each training image comes with a candidate set instead of its label.
//
// Per step:   w = plrPseudoLabels(S, f(x), r)    w_ij ∝ S_ij·f_ij^λ·r_j^−M   (paper 000, eq. 5)
//             loss = CE(w, f(x))                  (w is a target: no gradient flows into it)
// Per epoch:  r ← (1 − μ)·r + μ·counts(argmax(f ⊙ S))/n from an inference pass    (eq. 6)
//
// The first epoch trains with M = 0 (PRODEN, eq. 1) while r is still uniform; the true labels
// are used only to score the test set and to print how far the estimated prior is from the truth.
// The full PLR recipe adds the two stages, small-loss selection, mixup and consistency
// (`recipes.plr` in @tailwise/trainer).
//
//   node index.mjs            full run (about a minute): accuracy per shot group
//   node index.mjs --smoke    a few seconds; exits non-zero unless the loss is finite and falls
import { setupBackend } from '@tailwise/backends/node';
import { assertCandidateRows, createRng } from '@tailwise/core';
import { batches, classCounts, longTail, partialLabels } from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import { crossEntropy } from '@tailwise/losses';
import { shotGroupAccuracy } from '@tailwise/metrics';
import { mlp } from '@tailwise/models';
import { argmaxDistribution, EmaPrior } from '@tailwise/priors';
import { plrPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients tfjs-core lacks

const smoke = process.argv.includes('--smoke');
const settings = smoke
  ? { gamma: 10, psi: 0.3, epochs: 3, batchSize: 64, testPerClass: 30, hidden: 64 }
  : { gamma: 100, psi: 0.3, epochs: 30, batchSize: 128, testPerClass: 200, hidden: 256 };
const LAMBDA = 3; // paper 000, §3.1 (10 classes)
const M = 2;
const MU = 0.1; // weight of the new estimate in the prior EMA (docs/methods/000-plr.md)
const LR = 0.05;
const C = 10;

await setupBackend('wasm');
const tensorsAtStart = tf.memory().numTensors;
const rng = createRng(0);
const { train: balanced, test } = loadMnist({ seed: 0, testPerClass: settings.testPerClass });
const longTailed = longTail(balanced, {
  gamma: settings.gamma,
  rng: rng.split(),
  order: 'permuted',
});
const train = partialLabels(longTailed, { psi: settings.psi, rng: rng.split() });
// Every row has a candidate (a TailwiseError otherwise): eq. 5 is undefined on an empty set.
assertCandidateRows(train.candidates, C, 'plr-by-hand', 'candidates');
const trueCounts = classCounts(longTailed); // reporting only
console.log(
  `MNIST-LT γ=${settings.gamma}, ψ=${settings.psi}: ${train.size} training images, ` +
    `${(train.candidates.reduce((a, b) => a + b, 0) / train.size).toFixed(2)} candidates each; counts ${trueCounts.join(' ')}`,
);

const model = mlp({ inputShape: [28, 28, 1], numClasses: C, seed: 1, hidden: [settings.hidden] });
// SGD with momentum 0.9, written out.
// Inside tidy: tf.variable(init) would otherwise keep `init` alive (docs/performance.md).
const velocity = tf.tidy(() => model.trainableVariables.map((v) => tf.variable(tf.zerosLike(v))));
const sgdStep = (grads) =>
  tf.tidy(() => {
    model.trainableVariables.forEach((v, i) => {
      const next = tf.add(tf.mul(velocity[i], 0.9), grads[v.name]);
      velocity[i].assign(next);
      v.assign(tf.sub(v, tf.mul(next, LR)));
    });
  });
const prior = new EmaPrior({ numClasses: C, momentum: 1 - MU }); // starts uniform

/** Softmax of the model over a dataset in inference mode, as one [N, C] tensor. */
async function probabilities(dataset) {
  const parts = [];
  for (const batch of batches(dataset, { batchSize: 512 })) {
    parts.push(tf.tidy(() => tf.softmax(model.apply(batch.x, { training: false }))));
    tf.dispose(batch);
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

const epochLosses = [];
for (let epoch = 0; epoch < settings.epochs; epoch++) {
  const m = epoch === 0 ? 0 : M; // r is uniform until the first estimate: M = 0 is PRODEN
  let sum = 0;
  let steps = 0;
  for (const batch of batches(train, {
    batchSize: settings.batchSize,
    shuffle: true,
    rng,
    dropLast: true,
  })) {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(batch.x, { training: true });
      // eq. 5 on this batch's own logits; plrPseudoLabels passes no gradient to them.
      const w = plrPseudoLabels(batch.candidates, logits, prior.value, { lambda: LAMBDA, m });
      return crossEntropy(w, logits);
    }, model.trainableVariables);
    sgdStep(grads);
    sum += (await value.data())[0];
    steps += 1;
    tf.dispose([value, grads, batch]);
  }
  epochLosses.push(sum / steps);

  // eq. 6: one inference pass over the training set, argmax restricted to the candidates.
  const probs = await probabilities(train);
  const candidates = tf.tensor2d(train.candidates, [train.size, C], 'float32');
  const estimate = argmaxDistribution(probs, candidates);
  prior.update(estimate);
  tf.dispose([probs, candidates, estimate]);
  const r = Array.from(await prior.value.data());
  const total = trueCounts.reduce((a, b) => a + b, 0);
  const l1 = r.reduce((s, v, c) => s + Math.abs(v - trueCounts[c] / total), 0);

  const testProbs = await probabilities(test);
  const argmax = tf.argMax(testProbs, 1);
  const predictions = await argmax.data();
  tf.dispose([testProbs, argmax]);
  const groups = shotGroupAccuracy(test.labels, predictions, trueCounts);
  const pct = (x) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
  console.log(
    `epoch ${epoch + 1}: loss ${(sum / steps).toFixed(4)} | prior L1 to truth ${l1.toFixed(3)} | ` +
      `test ${pct(groups.overall)} many ${pct(groups.many)} medium ${pct(groups.medium)} few ${pct(groups.few)}`,
  );
}

prior.dispose();
model.dispose();
tf.dispose(velocity);

const finite = epochLosses.every(Number.isFinite);
const fell = epochLosses[epochLosses.length - 1] < epochLosses[0];
if (!finite || !fell) {
  console.error(`plr-by-hand: expected finite, falling losses, got ${epochLosses.join(', ')}`);
  process.exit(1);
}
if (tf.memory().numTensors > tensorsAtStart) {
  console.error(`plr-by-hand: ${tf.memory().numTensors - tensorsAtStart} tensors left alive`);
  process.exit(1);
}
console.log('plr-by-hand: ok');
