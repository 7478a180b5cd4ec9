// A conv net trains on the wasm backend once tailwise's kernels are registered.
import { setupBackend } from '@tailwise/backends/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const { name, kernels } = await setupBackend('wasm');
console.log(name, kernels); // 'wasm', ['Conv2DBackpropFilter', 'Conv2DBackpropInput', …]

const model = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 10 }),
  ],
});
const images = tf.randomUniform([32, 28, 28, 1]);
const labels = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32'), 10);
const optimizer = tf.train.sgd(0.01);
// On stock wasm this throws "Kernel 'Conv2DBackpropFilter' not registered"; now it trains.
const loss = optimizer.minimize(
  () => tf.losses.softmaxCrossEntropy(labels, model.apply(images, { training: true }) as tf.Tensor),
  true,
) as tf.Scalar;
console.log(`one training step on ${name}: loss ${(await loss.data())[0]!.toFixed(3)}`);
tf.dispose([images, labels, loss]);
