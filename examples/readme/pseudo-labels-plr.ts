// PLR's pseudo-labels (eq. 5) and class-wise small-loss selection for one batch
// (docs/methods/000-plr.md).
import { setupBackend } from '@tailwise/backends/node';
import {
  plrPseudoLabels,
  selectSmallLoss,
  validateCandidates,
  validatePrior,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

await setupBackend('cpu');
const candidates = tf.tensor2d([
  [1, 1, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 1],
]);
const logits = tf.tensor2d([
  [2, 1, 0],
  [0, 1, 2],
  [1, 0, 0],
  [0, 0, 3],
]);
const prior = tf.tensor1d([0.6, 0.3, 0.1]); // the estimated class prior r
await validateCandidates(candidates); // once, in the data layer: every row has a candidate
await validatePrior(prior, 3); // positive entries summing to 1

const { targets, selected } = tf.tidy(() => {
  const w = plrPseudoLabels(candidates, logits, prior, { lambda: 3, m: 2 });
  return { targets: w, selected: selectSmallLoss(w, logits, { rho: 0.5 }) };
});
const rows = (await targets.array()) as number[][];
console.log(`targets ${rows.map((r) => r.map((v) => v.toFixed(2)).join('/')).join('  ')}`);
console.log(`selected ${Array.from(await selected.data()).join(' ')}`);
tf.dispose([candidates, logits, prior, targets, selected]);
