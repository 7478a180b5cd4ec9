// PRODEN's per-sample targets: start uniform over the candidates, update after each step.
import { setupBackend } from '@tailwise/backends/node';
import { PseudoLabelStore, prodenPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const candidates = [
  [1, 1, 0],
  [0, 1, 1],
];
const store = PseudoLabelStore.fromCandidates(candidates, 3);
const indices = [0, 1];
const targets = store.get(indices); // [B, C] tensor: train on it
const logits = tf.tensor2d([
  [2, 0, 0],
  [0, 0, 1],
]);
const next = prodenPseudoLabels(tf.tensor2d(candidates), logits);
await store.set(indices, next); // reads the [B, C] rows back
const after = store.get(indices);
console.log(`before ${JSON.stringify(await targets.array())}`);
console.log(
  `after ${JSON.stringify((await after.array()).map((r) => r.map((v) => +v.toFixed(3))))}`,
);
tf.dispose([targets, logits, next, after]);
