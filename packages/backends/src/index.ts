/**
 * @packageDocumentation
 * @module @tailwise/backends
 */
// The main entry is browser-safe: it imports no `node:` module. Node programs get
// `setupBackend` with tfjs-node and the automatic `.wasm` lookup from `@tailwise/backends/node`.
export { assertGradientsRegistered } from './gradients';
export type {
  SetupBackendOptions,
  SetupBackendResult,
  WasmPaths,
} from './internal/setup-core';
export { setupBackend } from './setup-backend';
export type { BackendName } from './training-kernels';
export {
  BACKEND_NAMES,
  registerTrainingKernels,
  unregisterTrainingKernels,
} from './training-kernels';
