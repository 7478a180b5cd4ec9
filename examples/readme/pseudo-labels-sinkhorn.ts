// Solar's Sinkhorn pseudo-labels over a queue of past batches, with its prior-based quota.
import { setupBackend } from '@tailwise/backends/node';
import { SinkhornQueue, selectSmallLoss, sinkhornPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const queue = new SinkhornQueue(); // 64 batches
const prior = tf.tensor1d([0.5, 0.3, 0.2]);
const candidates = tf.tensor2d([
  [1, 1, 0],
  [0, 1, 1],
  [1, 1, 1],
  [1, 0, 1],
]);
for (let step = 0; step < 3; step++) {
  const logits = tf.randomNormal([4, 3], 0, 1, 'float32', step);
  const w = sinkhornPseudoLabels(candidates, logits, prior, { lambda: 3, queue });
  await queue.push(candidates, logits); // after solving, as in Solar
  const keep = selectSmallLoss(w, logits, { rho: 0.5, quota: 'prior', prior });
  console.log(`step ${step + 1}: keep ${Array.from(await keep.data()).join(' ')}`);
  tf.dispose([logits, w, keep]);
}
queue.dispose();
tf.dispose([prior, candidates]);
