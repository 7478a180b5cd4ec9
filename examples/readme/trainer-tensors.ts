// Training data as plain tensors (or a tf.data.Dataset of { xs, ys }) through Trainer.create.
import { setupBackend } from '@tailwise/backends/node';
import { mlp } from '@tailwise/models';
import { recipes, Trainer } from '@tailwise/trainer';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('wasm');
// Two Gaussian blobs in 2-D; the label is which blob a point came from.
const y = tf.tensor1d(
  Array.from({ length: 400 }, (_, i) => i % 2),
  'int32',
);
const x = tf.tidy(() =>
  tf.add(
    tf.stack([tf.sub(tf.mul(tf.cast(y, 'float32'), 4), 2), tf.zeros([400])], 1),
    tf.randomNormal([400, 2], 0, 0.7, 'float32', 1),
  ),
);
const trainer = await Trainer.create({
  model: (seed) => mlp({ inputShape: [2], numClasses: 2, hidden: [8], seed }),
  recipe: recipes.ce(),
  train: { x, y }, // read once into a Dataset; the tensors stay yours
  test: { x, y },
  epochs: 3,
  batchSize: 32,
  learningRate: 0.1,
  seed: 0,
  progress: false,
});
const { final } = await trainer.fit();
if (final?.task === 'single-label') console.log(`accuracy ${final.accuracy.toFixed(3)}`);
trainer.dispose();
tf.dispose([x, y]);
