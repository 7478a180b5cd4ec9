// Functions on arrays, the same metrics on tensors (a promise), and accumulating classes.
import { setupBackend } from '@tailwise/backends/node';
import {
  ConfusionMatrix,
  meanAveragePrecision,
  PrecisionRecallF1Metric,
  perClassPrecisionRecallF1,
  rarestK,
  shotGroupAccuracy,
} from '@tailwise/metrics';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
// single-label: class indices (e.g. the argmax of the model's probabilities)
const trainCounts = [500, 300, 100, 20];
const testLabels = [0, 0, 1, 1, 2, 2, 3, 3];
const predictions = [0, 0, 1, 0, 2, 0, 0, 3];
const r = shotGroupAccuracy(testLabels, predictions, trainCounts);
console.log(
  `overall ${r.overall}, many ${r.many}, few ${r.few} (few-shot classes ${r.groups.few})`,
);

// tensors: [N] labels and [N, C] logits (argmax on the device), each read once
const labelTensor = tf.tensor1d(testLabels, 'int32');
const logits = tf.tidy(() => tf.oneHot(tf.tensor1d(predictions, 'int32'), 4));
const fromTensors = await shotGroupAccuracy(labelTensor, logits, trainCounts);
console.log(`the same from tensors: ${fromTensors.overall}`);

const cm = new ConfusionMatrix(4);
for (let i = 0; i < testLabels.length; i += 4) {
  cm.update(testLabels.slice(i, i + 4), predictions.slice(i, i + 4));
}
console.log(
  `confusion ${JSON.stringify(cm.compute())}, balanced accuracy ${cm.balancedAccuracy()}`,
);

// multi-label: N × C labels in {0, 1} and scores, flat with numClasses or as rows
const truth = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 1, 0],
];
const probs = [
  [0.9, 0.2, 0.4],
  [0.3, 0.8, 0.1],
  [0.7, 0.6, 0.2],
];
const prf = perClassPrecisionRecallF1(truth, probs, { threshold: 0.5 });
const trainPositives = [900, 400, 30];
console.log(
  `macro F1 ${prf.macro.f1.toFixed(3)}, F1 of the rarest class ${rarestK(prf.f1, trainPositives, 1)}`,
);
console.log(`mAP ${meanAveragePrecision(truth, probs, 3).value.toFixed(3)}`);
const accumulated = new PrecisionRecallF1Metric();
accumulated.update(truth.slice(0, 2), probs.slice(0, 2));
accumulated.update(truth.slice(2), probs.slice(2));
console.log(`accumulated macro F1 ${accumulated.compute().macro.f1.toFixed(3)}`);
tf.dispose([labelTensor, logits]);
