// Paper 001's unknown labels: each step keeps a random subset Q of the unknown (-1) entries.
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import { subsampleUnknown } from '@tailwise/masking';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const rng = createRng(0);
const state = tf.tensor2d([
  [1, -1, 0, -1],
  [-1, -1, 1, 0],
]); // 1 positive, 0 negative, -1 unknown
const q = subsampleUnknown(state, { q: 0.5, rng }); // the set Q, fresh every step
console.log(`Q: ${JSON.stringify(await q.array())}`);
tf.dispose([state, q]);
