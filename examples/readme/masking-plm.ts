// PLM by hand: a fresh mask every step from the dataset ratio r and the ideal ratio r̄, and the
// once-per-epoch ratio adaptation (docs/methods/002-plm.md).
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import { binaryCrossEntropy } from '@tailwise/losses';
import { plmMask, RatioAdapter, validateLabels, validateRatio } from '@tailwise/masking';
import { positiveNegativeRatio } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const rng = createRng(42);
// 64 samples × 3 classes: class 0 is frequent, class 2 rare.
const trainLabels = tf.tidy(() =>
  tf.cast(
    tf.less(tf.randomUniform([64, 3], 0, 1, 'float32', 1), tf.tensor1d([0.8, 0.3, 0.05])),
    'float32',
  ),
);
await validateLabels(trainLabels); // once: values in {0, 1}
const ratio = positiveNegativeRatio(trainLabels); // r_c = n⁺/n⁻, [C]
await validateRatio(ratio); // once: every r_c > 0
const adapter = new RatioAdapter({ initial: await ratio.data(), lambda: 0.01, tau: 10 });
const logits = tf.variable(tf.zeros([64, 3]));
const optimizer = tf.train.sgd(0.5);

for (let epoch = 0; epoch < 3; epoch++) {
  for (let step = 0; step < 4; step++) {
    const mask = plmMask(trainLabels, ratio, adapter.value, { rng }); // fresh every step
    optimizer.minimize(() => binaryCrossEntropy(trainLabels, logits, { mask }));
    const probs = tf.sigmoid(logits);
    adapter.observe(trainLabels, probs); // after the step, with the batch's sigmoid outputs
    tf.dispose([mask, probs]);
  }
  const { value } = await adapter.step(); // r̄ ← exp(λ·D)·r̄
  console.log(`epoch ${epoch + 1}: ideal ratios ${value.map((v) => v.toFixed(3)).join(', ')}`);
}
adapter.dispose();
tf.dispose([trainLabels, ratio, logits]);
