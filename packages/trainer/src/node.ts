/**
 * @packageDocumentation
 * @module @tailwise/trainer/node
 */
// `@tailwise/trainer/node`: the named experiments of the CLI and the benchmarks, whose data
// comes from files (Fashion-MNIST) and the `mnist` package, and a progress bar for terminals;
// for Node only.
export type { DatasetName, DatasetSpec, ExperimentData, ModelName } from './experiment';
export { DATASET_NAMES, loadExperimentData, MODEL_NAMES, modelFactory } from './experiment';
export type { WritableDirectoryOptions } from './internal/directory';
export { ensureWritableDirectory } from './internal/directory';
export { barReporter } from './progress-bar';
