import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { fail, TailwiseError } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from './gradients';
import {
  describeError,
  type SetupBackendOptions,
  type SetupBackendResult,
  type SetupHost,
  setupBackendWith,
} from './internal/setup-core';
import { wasmThreadsCount, withWasmThreads } from './internal/wasm-threads';
import type { BackendName } from './training-kernels';

const NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const CPU_PACKAGE = '@tensorflow/tfjs-backend-cpu';
const LAYERS_PACKAGE = '@tensorflow/tfjs-layers';

/** Resolves packages from this package's location, like the dynamic imports below do. */
function requireHere(): NodeRequire {
  return createRequire(import.meta.url);
}

/** Whether `specifier` is installed where this package can import it. */
function isInstalled(specifier: string): boolean {
  try {
    requireHere().resolve(specifier);
    return true;
  } catch (error) {
    // Only "not found" means absent; any other resolution error means it is there but odd
    // (e.g. an exports map without a require condition), and importing it will tell more.
    return (error as { code?: string }).code !== 'MODULE_NOT_FOUND';
  }
}

/** Dynamic import of an optional peer whose name TypeScript must not try to resolve. */
function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

async function loadTensorflow(): Promise<string> {
  const failures: string[] = [];
  const causes: unknown[] = [];
  for (const specifier of NODE_PACKAGES) {
    if (!isInstalled(specifier)) continue;
    try {
      await importOptional(specifier);
      return specifier;
    } catch (error) {
      failures.push(`${specifier}: ${describeError(error)}`);
      causes.push(error);
    }
  }
  if (failures.length === 0) {
    fail(
      'BACKEND_UNAVAILABLE',
      'setupBackend',
      'name',
      "a backend whose package is installed ('tensorflow' needs @tensorflow/tfjs-node or " +
        '@tensorflow/tfjs-node-gpu)',
      "'tensorflow' with neither installed. Install one of them: `npm install @tensorflow/tfjs-node` " +
        '(CPU) or `npm install @tensorflow/tfjs-node-gpu` (CUDA GPU). Their install script downloads ' +
        'libtensorflow (a native library of a few hundred MB), which is why tailwise does not install ' +
        "them for you. Without them, setupBackend('wasm') is the fastest backend",
    );
  }
  throw new TailwiseError(
    'BACKEND_UNAVAILABLE',
    "setupBackend: expected `name` 'tensorflow' to load, got an error from every installed package " +
      `(${failures.join('; ')}). Reinstall it so its install script can download libtensorflow ` +
      "(`npm rebuild @tensorflow/tfjs-node`), or use setupBackend('wasm')",
    {
      functionName: 'setupBackend',
      parameter: 'name',
      cause: causes.length === 1 ? causes[0] : causes,
    },
  );
}

async function loadGradients(): Promise<void> {
  if (isInstalled(LAYERS_PACKAGE)) {
    await import('@tensorflow/tfjs-layers');
  } else if (tf.getGradient('Sum') === undefined) {
    // tfjs-node brings its own copy of the gradients; only complain when nothing did.
    throw new TailwiseError(
      'GRADIENTS_MISSING',
      'setupBackend: expected `@tensorflow/tfjs-layers` to be installed (it registers the gradient ' +
        'functions tf.grad needs; @tensorflow/tfjs-core alone registers none), got no such package. ' +
        'Install it with `npm install @tensorflow/tfjs-layers`, or pass { gradients: false } if you ' +
        'only run inference',
      { functionName: 'setupBackend', parameter: 'options.gradients' },
    );
  }
  assertGradientsRegistered('setupBackend');
}

const NODE_HOST: SetupHost = {
  loadTensorflow,
  withWasmThreads,
  wasmThreadsCount,
  // Find the .wasm files next to the installed package rather than relying on a bundler to
  // copy them (tfjs stays external to tailwise's builds; docs/performance.md).
  defaultWasmPaths: () => `${dirname(requireHere().resolve(WASM_PACKAGE))}${sep}`,
  loadGradients,
};

/**
 * `setupBackend` for Node: as the one of `@tailwise/backends` (which works in a page), plus
 *
 * - `'tensorflow'`: native libtensorflow through `@tensorflow/tfjs-node-gpu` or else
 *   `@tensorflow/tfjs-node`, optional peers you install yourself;
 * - `'wasm'` finds its `.wasm` files in the installed package's `dist/` folder, no setup.
 *
 * @param name `'wasm'`, `'cpu'`, `'tensorflow'` (or `'webgl'` / `'webgpu'`, which fail in
 *   Node with `BACKEND_UNAVAILABLE`).
 * @param options See {@link SetupBackendOptions}.
 * @returns The active backend, its package and the kernels tailwise registered.
 * @throws TailwiseError `INVALID_OPTION` for an unknown name or option;
 *   `BACKEND_UNAVAILABLE` when the backend's package is missing or fails to initialise (the
 *   message says how to install tfjs-node); `GRADIENTS_MISSING` when `@tensorflow/tfjs-layers`
 *   is not installed and nothing else registered the gradients.
 *
 * @example
 * ```ts
 * import { setupBackend } from '@tailwise/backends/node';
 * const { name, kernels } = await setupBackend('wasm');
 * // name === 'wasm'; kernels includes 'Conv2DBackpropFilter'
 * ```
 */
export function setupBackend(
  name: BackendName,
  options?: SetupBackendOptions,
): Promise<SetupBackendResult> {
  return setupBackendWith(NODE_HOST, name, options);
}

/**
 * The backends whose packages are installed where tailwise can load them in Node: `'wasm'`
 * and `'cpu'` always (they are dependencies), `'tensorflow'` when `@tensorflow/tfjs-node-gpu`
 * or `@tensorflow/tfjs-node` resolves. Only resolves package paths; loads nothing, so a
 * listed backend can still fail in {@link setupBackend} (e.g. a broken libtensorflow
 * download).
 *
 * @returns Names in order of preference for training on a CPU.
 *
 * @example
 * ```ts
 * availableBackends(); // ['wasm', 'cpu'] without tfjs-node
 * ```
 */
export function availableBackends(): BackendName[] {
  const names: BackendName[] = [];
  if (isInstalled(WASM_PACKAGE)) names.push('wasm');
  if (isInstalled(CPU_PACKAGE)) names.push('cpu');
  if (NODE_PACKAGES.some(isInstalled)) names.push('tensorflow');
  return names;
}
