/**
 * @packageDocumentation
 * @module @tailwise/backends/node
 */
// `@tailwise/backends/node`: setupBackend for Node programs ('tensorflow' through tfjs-node,
// the `.wasm` files found in the installed package) and availableBackends. The main entry
// (src/index.ts) is the browser-safe one.
export type { SetupBackendOptions, SetupBackendResult, WasmPaths } from './internal/setup-core';
export { availableBackends, setupBackend } from './node-setup';
