/**
 * @packageDocumentation
 * @module @tailwise/datasets/node
 */
// `@tailwise/datasets/node`: loaders that read files or the `mnist` package's data, for
// Node only. Everything that works on bytes or arrays is in the main entry (src/index.ts).
export { loadArff } from './arff-file';
export type {
  CsvOptions,
  CsvSource,
  LabelColumns,
  LoadCsvOptions,
  LoadMultiLabelCsvOptions,
  TabularDataset,
} from './csv';
export { loadCsv, loadMultiLabelCsv } from './csv-file';
export type { LoadFashionMnistOptions } from './fashion-mnist';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
} from './fashion-mnist';
export { readIdxFile } from './idx-file';
export type { LoadMnistOptions } from './mnist';
export { loadMnist } from './mnist';
