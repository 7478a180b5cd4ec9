// How much every tailwise function checks: 'values' (default: shapes and values, which reads
// small tensors back), 'shapes' (no readback, for the training hot path) or 'none'.
import { setupBackend } from '@tailwise/backends/node';
import { getValidation, setValidation, withValidation } from '@tailwise/core';
import { crossEntropy } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const labels = tf.tensor1d([0, 2], 'int32');
const logits = tf.tensor2d([
  [2, 0, 0],
  [0, 0, 2],
]);
setValidation('shapes'); // for the whole process
const loss = withValidation('values', () => crossEntropy(labels, logits)); // for one call
console.log(`validation ${getValidation()}; loss ${(await loss.data())[0]!.toFixed(4)}`);
setValidation('values');
tf.dispose([labels, logits, loss]);
