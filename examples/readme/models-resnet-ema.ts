// A ResNet trained a few steps, evaluated with an EMA of its weights (as FixMatch and UDAL do).
import { setupBackend } from '@tailwise/backends/node';
import { EmaWeights, resNet } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('wasm'); // registers the conv gradients wasm lacks
const model = resNet({ inputShape: [32, 32, 3], numClasses: 10, depth: 8, seed: 1 });
const ema = new EmaWeights(model, { decay: 0.999 });
const optimizer = tf.train.momentum(0.1, 0.9);
const x = tf.randomUniform([16, 32, 32, 3], 0, 1, 'float32', 1);
const labels = tf.randomUniform([16], 0, 10, 'int32', 2);

for (let step = 0; step < 3; step++) {
  optimizer.minimize(
    () => {
      const logits = model.apply(x, { training: true }); // [B, 10]
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits) as tf.Scalar;
    },
    false,
    model.trainableVariables,
  );
  ema.update();
}

const testLogits = ema.withEma(() => model.apply(x)); // evaluated with averaged weights
console.log(`EMA logits ${testLogits.shape.join(' × ')}`);
tf.dispose([testLogits, x, labels]);
ema.dispose();
model.dispose();
