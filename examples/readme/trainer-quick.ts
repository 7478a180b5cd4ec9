// A ready recipe through the Trainer: CE on long-tailed MNIST, evaluated after every epoch.
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import { longTail } from '@tailwise/datasets';
import { loadMnist } from '@tailwise/datasets/node';
import { mlp } from '@tailwise/models';
import { recipes, Trainer } from '@tailwise/trainer';

await setupBackend('wasm');
const { train, test } = loadMnist({ seed: 0 });
const lt = longTail(train, { gamma: 100, rng: createRng(0) });
const trainer = new Trainer({
  model: (seed) => mlp({ inputShape: [28, 28, 1], numClasses: 10, seed }),
  recipe: recipes.ce(),
  train: lt,
  test,
  epochs: 2,
  batchSize: 128,
  seed: 0,
  progress: false,
  logFile: 'runs/ce/metrics.jsonl', // one JSON line per epoch (Node only)
});
const { final } = await trainer.fit();
if (final?.task === 'single-label')
  console.log(
    `accuracy ${final.accuracy.toFixed(3)}: many ${final.many}, medium ${final.medium}, few ${final.few}`,
  );
trainer.dispose();
