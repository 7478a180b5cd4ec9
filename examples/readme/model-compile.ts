// A tailwise loss with a PLM mask inside a plain tfjs-layers `model.compile` / `model.fit`.
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import { binaryCrossEntropy } from '@tailwise/losses';
import { plmMask, RatioAdapter } from '@tailwise/masking';
import { positiveNegativeRatio } from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await setupBackend('wasm');
// 512 samples, 8 features, 4 labels of decreasing frequency (a toy multi-label set).
const x = tf.randomNormal([512, 8], 0, 1, 'float32', 1);
const y = tf.tidy(() => {
  const score = tf.matMul(x, tf.randomNormal([8, 4], 0, 1, 'float32', 2));
  return tf.cast(tf.greater(score, tf.tensor1d([-1, 0, 1, 2])), 'float32');
});

const ratio = positiveNegativeRatio(y); // r_c, fixed by the data
const adapter = new RatioAdapter({ initial: await ratio.data(), lambda: 0.01 });
const rng = createRng(0);

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({ inputShape: [8], units: 16, activation: 'relu' }),
    tfl.layers.dense({ units: 4 }), // logits: tailwise's binary losses take logits
  ],
});
model.compile({
  optimizer: tf.train.adam(0.01),
  // Called once per batch inside the layers' gradient tape: a fresh mask every step.
  loss: (yTrue: tf.Tensor, logits: tf.Tensor) => {
    const mask = plmMask(yTrue, ratio, adapter.value, { rng });
    return binaryCrossEntropy(yTrue, logits, { mask });
  },
});

for (let epoch = 1; epoch <= 3; epoch++) {
  const h = await model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
  // PLM's ratio update from the training predictions, once per epoch.
  const probs = tf.tidy(() => tf.sigmoid(model.predict(x) as tf.Tensor));
  adapter.observe(y, probs);
  const { value } = await adapter.step();
  probs.dispose();
  const loss = (h.history.loss![0] as number).toFixed(4);
  console.log(
    `epoch ${epoch}: loss ${loss}, ideal ratios ${value.map((v) => v.toFixed(3)).join(', ')}`,
  );
}
adapter.dispose();
model.dispose();
tf.dispose([x, y, ratio]);
