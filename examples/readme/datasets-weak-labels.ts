// Weak labels and views: candidate sets, superimposed digits, weak/strong augmentation, mixup.
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import {
  batches,
  classCounts,
  longTail,
  mixup,
  partialLabels,
  strongAugment,
  superimpose,
  weakAugment,
} from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const rng = createRng(0);
const lt = longTail(loadMnist({ seed: 0 }).train, { gamma: 10, rng });
const pll = partialLabels(lt, { psi: 0.3, rng }); // adds `candidates`
const multi = superimpose(lt, { rng, classWeights: classCounts(lt), size: 500 }); // MultiMNIST

const batch = batches(pll, { batchSize: 32, shuffle: true, rng }).next().value!;
const xWeak = weakAugment(batch.x, { rng, flip: false }); // translate (reflect padding)
const xStrong = strongAugment(batch.x, { rng }); // RandAugment (random magnitude) + Cutout
const targets = tf.div(batch.candidates!, tf.sum(batch.candidates!, 1, true)); // uniform over S
const { x, targets: mixed, lambda } = mixup(xWeak, targets, { rng });
const perSample = tf.tidy(() => tf.mean(tf.sum(batch.candidates!, 1)));
console.log(
  `${pll.name}: candidates per sample ${(await perSample.data())[0]!.toFixed(2)}; ` +
    `${multi.name}: ${multi.size} images with ${multi.numClasses} labels; mixup λ = ${lambda.toFixed(3)}`,
);
tf.dispose([batch, xWeak, xStrong, targets, x, mixed, perSample]);
