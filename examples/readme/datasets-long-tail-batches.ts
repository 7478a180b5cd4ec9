// Long-tailed MNIST, shuffled batches, and the labeled/unlabeled split of FixMatch and UDAL.
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import {
  batches,
  classCounts,
  longTail,
  semiSupervisedSplit,
  sslBatches,
} from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const rng = createRng(0);
const { train } = loadMnist({ testPerClass: 200, seed: 0 }); // 8000 + 2000 (balanced)
const lt = longTail(train, { gamma: 100, rng, order: 'permuted' }); // 'mnist-lt'
console.log(`${lt.name}: ${classCounts(lt).join(' ')}`); // 663 … 6, classes in a seeded order

let seen = 0;
for (const batch of batches(lt, { batchSize: 128, shuffle: true, rng })) {
  // batch.x [B, 28, 28, 1] float32 in [0, 1], batch.labels [B] int32, batch.indices
  seen += batch.indices.length;
  tf.dispose(batch);
}

// Semi-supervised (FixMatch/UDAL): 10 % of each class labeled, μ = 7 unlabeled per labeled.
const { labeled, unlabeled } = semiSupervisedSplit(lt, { labeledFraction: 0.1, rng });
let steps = 0;
for (const { labeled: l, unlabeled: u } of sslBatches(labeled, unlabeled, { batchSize: 16, rng })) {
  steps++;
  tf.dispose([l, u]);
}
console.log(
  `one epoch: ${seen} samples; ${labeled.size} labeled + ${unlabeled.size} unlabeled in ${steps} steps`,
);
