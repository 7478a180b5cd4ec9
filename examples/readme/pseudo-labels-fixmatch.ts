// FixMatch's confident pseudo-labels and ReMixMatch-style distribution alignment.
import { setupBackend } from '@tailwise/backends/node';
import { distributionAlignment, fixMatchPseudoLabels } from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const logitsWeak = tf.tensor2d([
  [5, 0, 0],
  [0.2, 0.1, 0],
]);
const pHat = tf.tensor1d([0.6, 0.3, 0.1]); // running mean prediction
const target = tf.tensor1d([0.4, 0.35, 0.25]); // e.g. progressiveTarget(…)
const { labels, mask, confidence } = fixMatchPseudoLabels(logitsWeak, { threshold: 0.95 });
const probs = tf.softmax(logitsWeak);
const aligned = distributionAlignment(probs, { from: pHat, to: target });
console.log(
  `labels ${await labels.array()}, mask ${await mask.array()}, aligned row 2 ${JSON.stringify(((await aligned.array()) as number[][])[1]!.map((v) => +v.toFixed(3)))}`,
);
tf.dispose([logitsWeak, pHat, target, labels, mask, confidence, probs, aligned]);
