// UDAL's two adjustments for one step: labeled frequencies → progressive target, and the EMA of
// the weak-view predictions → target (docs/methods/004-udal.md).
import { setupBackend } from '@tailwise/backends/node';
import {
  classPrior,
  EmaPrior,
  logitAdjustment,
  meanDistribution,
  progressiveTarget,
} from '@tailwise/priors';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const labeledLabels = tf.tensor1d([0, 0, 0, 0, 0, 0, 1, 1, 1, 2], 'int32');
const weakLogits = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
const pData = classPrior(labeledLabels, 3); // class frequencies of the labeled set
const pHat = new EmaPrior({ numClasses: 3, momentum: 0.999 }); // starts uniform
const epoch = 5;
const totalEpochs = 10;

// every step:
const { adjLabeled, adjUnlabeled } = tf.tidy(() => {
  pHat.update(meanDistribution(tf.softmax(weakLogits)));
  const target = progressiveTarget(pData, { alphaMin: 0.1, k: 2, epoch, totalEpochs });
  return {
    adjLabeled: logitAdjustment(pData, target), // add to f(x_l)
    adjUnlabeled: logitAdjustment(pHat.value, target), // add to f(x_strong)
  };
});
const fmt = async (t: tf.Tensor) => Array.from(await t.data(), (v) => v.toFixed(3)).join(', ');
console.log(
  `labeled adjustment [${await fmt(adjLabeled)}], unlabeled [${await fmt(adjUnlabeled)}]`,
);
tf.dispose([labeledLabels, weakLogits, pData, adjLabeled, adjUnlabeled]);
pHat.dispose();
