// Cross-entropy variants, logit adjustment and a masked multi-label BCE.
import { setupBackend } from '@tailwise/backends/node';
import { binaryCrossEntropy, crossEntropy, logitAdjustedCrossEntropy } from '@tailwise/losses';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const logits = tf.tensor2d([
  [0.2, 1.5, -0.3],
  [2.0, 0.1, 0.4],
]);
const labels = tf.tensor1d([1, 0], 'int32');

const ce = crossEntropy(labels, logits); // tf.Scalar
const perSample = crossEntropy(labels, logits, { reduction: 'none' }); // [B]
const smoothed = crossEntropy(labels, logits, { labelSmoothing: 0.1 });

// class-balanced loss: no separate function, the class weights go into `weights`
// (e.g. effectiveNumberWeights(trainCounts) from @tailwise/priors, a [C] tensor or array)
const cb = crossEntropy(labels, logits, { weights: [0.5, 1.2, 1.3] });

// UDAL / logit adjustment: the adjustment is a constant (no gradient flows into it)
const la = logitAdjustedCrossEntropy(labels, logits, { adjustment: [-0.1, 0.3, 0.2] });

// multi-label with a PLM mask applied to the per-element loss before the reduction
const y = tf.tensor2d([
  [1, 0, 1],
  [0, 0, 1],
]);
const mask = tf.tensor2d([
  [1, 1, 0],
  [1, 0, 1],
]);
const bce = binaryCrossEntropy(y, logits, { mask });

const values = await Promise.all(
  [ce, smoothed, cb, la, bce].map(async (t) => (await t.data())[0]!.toFixed(4)),
);
console.log(
  `ce ${values[0]}, smoothed ${values[1]}, class-balanced ${values[2]}, LA ${values[3]}, masked BCE ${values[4]}`,
);
tf.dispose([logits, labels, ce, perSample, smoothed, cb, la, y, mask, bce]);
