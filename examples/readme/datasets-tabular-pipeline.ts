// A tabular pipeline: split, standardize with the training statistics, long tail, SSL split.
import { existsSync } from 'node:fs';
import { createRng } from '@tailwise/core';
import {
  classCounts,
  longTail,
  semiSupervisedSplit,
  standardize,
  trainTestSplit,
} from '@tailwise/datasets';
import { loadCsv } from '@tailwise/datasets/node';

const file = '/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv';
if (!existsSync(file)) {
  console.log(`skipped: no ${file} (apt-get install python3-sklearn)`);
} else {
  const rng = createRng(0);
  const all = await loadCsv(file, { labelColumn: -1 }); // or your own file and label column
  const split = trainTestSplit(all, { testFraction: 0.3, rng });
  const {
    train,
    apply: [test],
  } = standardize(split.train, { apply: [split.test] });
  const lt = longTail(train, { gamma: 5, rng, order: 'permuted' });
  const { labeled, unlabeled } = semiSupervisedSplit(lt, { labeledFraction: 0.3, rng });
  console.log(
    `train ${classCounts(lt).join('/')} (${labeled.size} labeled, ${unlabeled.size} unlabeled), test ${test.size}`,
  );
}
