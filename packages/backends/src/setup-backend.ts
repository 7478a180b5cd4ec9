import { fail, TailwiseError } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { assertGradientsRegistered } from './gradients';
import {
  type SetupBackendOptions,
  type SetupBackendResult,
  setupBackendWith,
} from './internal/setup-core';
import type { BackendName } from './training-kernels';

const PAGE_HOST = {
  loadTensorflow(): Promise<string> {
    return fail(
      'BACKEND_UNAVAILABLE',
      'setupBackend',
      'name',
      "a backend that runs here ('webgl', 'webgpu', 'wasm' or 'cpu'; 'tensorflow' is tfjs-node " +
        "and needs setupBackend from '@tailwise/backends/node')",
      "'tensorflow'",
    );
  },
  defaultWasmPaths: () => undefined,
  async loadGradients(): Promise<void> {
    if (tf.getGradient('Sum') === undefined) {
      try {
        await import('@tensorflow/tfjs-layers');
      } catch (error) {
        throw new TailwiseError(
          'GRADIENTS_MISSING',
          'setupBackend: expected `@tensorflow/tfjs-layers` to load (it registers the gradient ' +
            `functions tf.grad needs), got ${error instanceof Error ? error.message : String(error)}. ` +
            'Install it, or pass { gradients: false } if you only run inference',
          { functionName: 'setupBackend', parameter: 'options.gradients', cause: error },
        );
      }
    }
    assertGradientsRegistered('setupBackend');
  },
};

/**
 * Loads a TensorFlow.js backend, makes it the active one, registers tfjs' gradients and
 * tailwise's training kernels. The one call a training program makes before anything else.
 * This entry imports no Node module, so it works in a browser page (and in Node for
 * `'wasm'` and `'cpu'`); Node programs that want `'tensorflow'` or the automatic `.wasm`
 * lookup use the same function from `@tailwise/backends/node`.
 *
 * - `'webgl'` (`@tensorflow/tfjs-backend-webgl`, a dependency): the GPU in a page.
 * - `'webgpu'` (`@tensorflow/tfjs-backend-webgpu`, a dependency): the GPU through WebGPU,
 *   where the browser offers it.
 * - `'wasm'` (`@tensorflow/tfjs-backend-wasm`, a dependency): the fastest CPU choice. With
 *   tailwise's kernels it trains an MLP ~4.5× faster than stock wasm and a small CNN, which
 *   stock wasm cannot train at all, ~500× faster than stock cpu (docs/benchmarks/kernels.md).
 *   In a page, pass `wasmPaths` with the URLs your bundler serves the `.wasm` files at.
 * - `'cpu'` (`@tensorflow/tfjs-backend-cpu`, a dependency): plain JavaScript, slow, always works.
 *
 * Backend packages are loaded with a dynamic `import()`, so unused ones cost nothing (a
 * bundler splits them into their own chunks). Also sets `tf.env().set('PROD', true)`, which
 * silences tfjs' "install tfjs-node" banner.
 *
 * @param name `'webgl'`, `'webgpu'`, `'wasm'` or `'cpu'`.
 * @param options See {@link SetupBackendOptions}.
 * @returns The active backend, its package and the kernels tailwise registered.
 * @throws TailwiseError `INVALID_OPTION` for an unknown name or option;
 *   `BACKEND_UNAVAILABLE` for `'tensorflow'`, or when the backend fails to initialise (no
 *   WebGL, `.wasm` files not found; the message says which); `GRADIENTS_MISSING` when
 *   `@tensorflow/tfjs-layers` cannot be loaded and nothing else registered the gradients.
 *
 * @example
 * ```ts
 * import { setupBackend } from '@tailwise/backends';
 * // In a page: try the GPU first, then the CPU backends.
 * for (const name of ['webgl', 'wasm', 'cpu'] as const) {
 *   try {
 *     await setupBackend(name, { wasmPaths: '/wasm/' });
 *     break;
 *   } catch {}
 * }
 * ```
 */
export function setupBackend(
  name: BackendName,
  options?: SetupBackendOptions,
): Promise<SetupBackendResult> {
  return setupBackendWith(PAGE_HOST, name, options);
}
