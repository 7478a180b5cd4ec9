#!/usr/bin/env node
// PLM by hand: partial label masking + ratio adaptation + binary cross-entropy, composed from
// the tailwise packages with a plain training loop (no trainer recipe), on a small imbalanced
// multi-label set built by superimposing two MNIST digits (paper 002's MultiMNIST, smaller).
//
//   node index.mjs            # BCE vs PLM, a few thousand images, about a minute
//   node index.mjs --smoke    # tiny run in seconds; exits non-zero on failure
import '@tensorflow/tfjs-layers'; // registers the layers' gradients
import { setupBackend } from '@tailwise/backends/node';
import { createRng, stopGradient } from '@tailwise/core';
import { batches, longTailCounts, superimpose } from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import { binaryCrossEntropy } from '@tailwise/losses';
import { plmMask, RatioAdapter } from '@tailwise/masking';
import { exactMatch, perClassPrecisionRecallF1, rarestK } from '@tailwise/metrics';
import { mlp } from '@tailwise/models';
import { positiveNegativeRatio } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';

const smoke = process.argv.includes('--smoke');
const settings = smoke
  ? { trainSize: 400, testSize: 200, epochs: 3, batchSize: 50 }
  : { trainSize: 6000, testSize: 2000, epochs: 15, batchSize: 128 };
const GAMMA = 50;
const SEED = 0;

await setupBackend('wasm');

// --- data: two digits per 32×32 image, digit classes drawn from a long tail (γ = 50) ---
const rng = createRng(SEED);
const mnist = loadMnist({ seed: SEED });
const C = mnist.train.numClasses;
const train = superimpose(mnist.train, {
  rng: rng.split(),
  classWeights: longTailCounts(1_000_000, C, GAMMA),
  size: settings.trainSize,
});
const test = superimpose(mnist.test, { rng: rng.split(), distinct: true, size: settings.testSize });
const positives = Array.from({ length: C }, (_, c) => {
  let n = 0;
  for (let i = 0; i < train.size; i++) n += train.multiLabels[i * C + c];
  return n;
});

// r_c = n⁺/n⁻ of the training set (PLM's ratio, and the paper's starting ideal ratio).
const ratioTensor = tf.tidy(() =>
  positiveNegativeRatio(tf.tensor2d(train.multiLabels, [train.size, C])),
);
const ratio = Array.from(await ratioTensor.data());
ratioTensor.dispose();

/** Trains an MLP with BCE, masked by PLM when `usePlm`; returns the test metrics. */
async function run(usePlm) {
  const model = mlp({ inputShape: train.inputShape, numClasses: C, seed: SEED, hidden: [256] });
  // SGD with momentum 0.9 by hand (v ← 0.9·v + g, w ← w − lr·v): tf.train.momentum keeps one
  // tensor after dispose() in tfjs 4.22, and this example checks that nothing leaks.
  const velocity = model.trainableVariables.map((w) =>
    tf.tidy(() => tf.variable(tf.zerosLike(w), false)),
  );
  const stepRng = createRng(SEED + 1);
  // λ = 0.05 rather than the paper's 0.01 over 90 epochs: this run is 15 epochs long.
  const adapter = new RatioAdapter({ initial: ratio, lambda: 0.05, tau: 10 });
  const losses = [];
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    let sum = 0;
    let steps = 0;
    for (const batch of batches(train, {
      batchSize: settings.batchSize,
      shuffle: true,
      rng: stepRng,
      dropLast: true,
    })) {
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(batch.x, { training: true });
        const y = batch.multiLabels;
        if (!usePlm)
          return tf.div(binaryCrossEntropy(y, logits, { reduction: 'sum' }), logits.shape[0]);
        // Eq. 3: a fresh mask every step, multiplied into the per-element loss (eq. 2).
        const mask = plmMask(y, ratio, adapter.value, { rng: stepRng });
        // Algorithm 1: the epoch's histograms come from the training predictions, no gradient.
        adapter.observe(y, stopGradient(tf.sigmoid(logits)));
        return tf.div(binaryCrossEntropy(y, logits, { mask, reduction: 'sum' }), logits.shape[0]);
      }, model.trainableVariables);
      tf.tidy(() => {
        model.trainableVariables.forEach((w, k) => {
          velocity[k].assign(tf.add(tf.mul(velocity[k], 0.9), grads[w.name]));
          w.assign(tf.sub(w, tf.mul(velocity[k], 0.05)));
        });
      });
      sum += (await value.data())[0];
      steps += 1;
      tf.dispose([value, grads, batch]);
    }
    losses.push(sum / steps);
    // Eq. 4–7, once per epoch: r̄_c ← exp(λ·D_c)·r̄_c.
    if (usePlm) await adapter.step();
  }
  // Evaluation: sigmoid probabilities, threshold 0.5 (paper 002, Appendix A).
  const probs = new Float32Array(test.size * C);
  let offset = 0;
  for (const batch of batches(test, { batchSize: 500 })) {
    const p = tf.tidy(() => tf.sigmoid(model.apply(batch.x, { training: false })));
    probs.set(await p.data(), offset);
    offset += p.size;
    tf.dispose([p, batch]);
  }
  const prf = perClassPrecisionRecallF1(test.multiLabels, probs, { numClasses: C, threshold: 0.5 });
  const result = {
    losses,
    history: adapter.history,
    precision: prf.macro.precision,
    recall: prf.macro.recall,
    f1: prf.macro.f1,
    rarestRecall: rarestK(prf.recall, positives, 3),
    rarestF1: rarestK(prf.f1, positives, 3),
    exactMatch: exactMatch(test.multiLabels, probs, { numClasses: C, threshold: 0.5 }),
  };
  adapter.dispose();
  tf.dispose(velocity);
  model.dispose();
  return result;
}

const before = tf.memory().numTensors;
const bce = await run(false);
const plm = await run(true);
const pct = (x) => (100 * x).toFixed(1).padStart(6);
console.log(
  `superimposed MNIST, γ = ${GAMMA}: ${train.size} training images (positives per digit ${positives.join(', ')}), ${test.size} test images, ${settings.epochs} epochs`,
);
console.log('          precision  recall     F1  rarest-3 recall  rarest-3 F1  exact match');
for (const [name, r] of [
  ['BCE', bce],
  ['PLM (BCE)', plm],
]) {
  console.log(
    `${name.padEnd(10)}${pct(r.precision)}   ${pct(r.recall)} ${pct(r.f1)}           ${pct(r.rarestRecall)}       ${pct(r.rarestF1)}       ${pct(r.exactMatch)}`,
  );
}
const first = plm.history[0];
const last = plm.history.at(-1);
console.log(
  `PLM ideal ratio r̄ per digit, start → end: ${first.map((r, c) => `${c}: ${r.toFixed(3)} → ${last[c].toFixed(3)}`).join(', ')}`,
);

// --- the smoke checks: finite, decreasing losses, finite positive ratios that moved, no leaks ---
const failures = [];
for (const [name, r] of [
  ['BCE', bce],
  ['PLM', plm],
]) {
  if (!r.losses.every(Number.isFinite)) failures.push(`${name}: a loss is not finite`);
  if (!(r.losses.at(-1) < r.losses[0])) failures.push(`${name}: the loss did not decrease`);
}
if (!plm.history.flat().every((r) => Number.isFinite(r) && r > 0))
  failures.push('PLM: an ideal ratio is not finite and positive');
if (plm.history.length !== settings.epochs + 1)
  failures.push('PLM: the adapter did not step once per epoch');
if (last.every((r, c) => r === first[c])) failures.push('PLM: the ideal ratios never moved');
if (tf.memory().numTensors !== before)
  failures.push(`tensors leaked: ${tf.memory().numTensors - before}`);
if (failures.length > 0) {
  console.error(`plm-multilabel example FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('ok');
