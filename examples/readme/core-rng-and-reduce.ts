// Seeded randomness and the element-wise reduction every tailwise loss ends with.
import { setupBackend } from '@tailwise/backends/node';
import { createRng, reduceElementwise } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const rng = createRng(42); // equal seeds give equal streams everywhere
const order = rng.permutation(10);
const maskRng = rng.split(); // an independent stream for one component
const seed = maskRng.nextSeed(); // seeds a tfjs random op: different per step, same per run
const random = tf.cast(tf.greater(tf.randomUniform([4, 3], 0, 1, 'float32', seed), 0.5), 'float32');

const perElement = tf.tensor2d([
  [1, 2, 3],
  [4, 5, 6],
]);
const loss = reduceElementwise(perElement, {
  mask: [
    [1, 0, 1],
    [0, 1, 0],
  ],
}); // (1 + 3 + 5) / 3 = 3
console.log(`permutation ${order.join(' ')}; masked mean ${(await loss.data())[0]}`);
tf.dispose([random, perElement, loss]);
