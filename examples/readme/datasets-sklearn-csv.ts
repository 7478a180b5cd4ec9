// The CSV files scikit-learn ships (Debian's python3-sklearn), read with their own header.
import { existsSync } from 'node:fs';
import { loadCsv } from '@tailwise/datasets/node';

const dir = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
if (!existsSync(`${dir}/wine_data.csv`)) {
  console.log(`skipped: no ${dir} (apt-get install python3-sklearn)`);
} else {
  const wine = await loadCsv(`${dir}/wine_data.csv`, { labelColumn: -1 });
  // 178 × 13, classNames ['class_0', 'class_1', 'class_2']
  const digits = await loadCsv(`${dir}/digits.csv.gz`, { labelColumn: -1 }); // no header: 1797 × 64
  console.log(
    `wine ${wine.size} × ${wine.inputShape[0]} (${wine.classNames?.join(', ')}); digits ${digits.size} × ${digits.inputShape[0]}`,
  );
}
