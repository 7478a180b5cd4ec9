// Any backend works; tfjs-core alone registers no gradients, tfjs-layers does.
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers gradients
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('wasm');
console.log(
  `backend ${tf.getBackend()}, Sum gradient registered: ${tf.getGradient('Sum') !== undefined}`,
);
