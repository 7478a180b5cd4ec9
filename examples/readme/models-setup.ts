// The models speak tfjs-core only: choose any backend (here wasm) before building one.
import '@tensorflow/tfjs-backend-wasm';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('wasm');
const model = mlp({ inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
console.log(`mlp on ${tf.getBackend()}: ${model.trainableVariables.length} trainable variables`);
model.dispose();
