// Train a small MLP with cross-entropy on long-tailed MNIST and print the accuracy of the
// many-, medium- and few-shot classes. Save as quickstart.mjs and run `node quickstart.mjs`.
import '@tensorflow/tfjs-layers'; // registers the gradients tf.grad needs
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import { batches, classCounts, longTail } from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import { crossEntropy } from '@tailwise/losses';
import { ShotGroupAccuracy } from '@tailwise/metrics';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('wasm');
const rng = createRng(0);
const { train, test } = loadMnist({ seed: 0 }); // the 10,000 digits of the `mnist` package
const longTailed = longTail(train, { gamma: 100, rng }); // digit 9 keeps 1 % of digit 0's count
const model = mlp({ inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
const optimizer = tf.train.momentum(0.05, 0.9);

for (let epoch = 1; epoch <= 3; epoch++) {
  for (const batch of batches(longTailed, { batchSize: 64, shuffle: true, rng })) {
    optimizer.minimize(
      () => crossEntropy(batch.labels, model.apply(batch.x, { training: true })),
      false,
      model.trainableVariables,
    );
    tf.dispose(batch);
  }
}

const metric = new ShotGroupAccuracy(classCounts(longTailed));
for (const batch of batches(test, { batchSize: 500 })) {
  const logits = model.apply(batch.x);
  await metric.update(batch.labels, logits); // tensors in, read once
  tf.dispose([batch, logits]);
}
const { overall, many, medium, few } = metric.compute();
/** @param {number | null} x */
const pct = (x) => `${(100 * (x ?? 0)).toFixed(1)} %`;
console.log(`${longTailed.size} training digits; test accuracy ${pct(overall)}`);
console.log(`many-shot ${pct(many)}, medium ${pct(medium)}, few-shot ${pct(few)}`);
