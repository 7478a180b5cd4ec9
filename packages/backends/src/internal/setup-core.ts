import {
  assertBoolean,
  assertNumber,
  assertOneOf,
  describeValue,
  fail,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, type BackendName, registerTrainingKernels } from '../training-kernels';

/**
 * Where the wasm backend finds its `.wasm` binaries: a folder or URL prefix ending with a
 * separator, or a map from file name (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`,
 * `tfjs-backend-wasm-threaded-simd.wasm`) to URL, as tfjs' `setWasmPaths` takes them.
 */
export type WasmPaths = string | Readonly<Record<string, string>>;

/** Options of `setupBackend`. */
export interface SetupBackendOptions {
  /**
   * Register tailwise's training kernels for the backend (`registerTrainingKernels`).
   * Default `true`: without them conv nets cannot train on wasm and train 15–22× slower on
   * cpu (docs/benchmarks/kernels.md).
   */
  trainingKernels?: boolean;
  /**
   * Make sure tfjs' gradient functions are registered (loading `@tensorflow/tfjs-layers`,
   * which registers them), then check them with `assertGradientsRegistered`. Default `true`.
   */
  gradients?: boolean;
  /**
   * Where the `.wasm` binaries are (see {@link WasmPaths}). Only used for `'wasm'`, and only
   * before the wasm backend first initialises. Default in Node (`@tailwise/backends/node`):
   * the `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm`. Default in a page:
   * tfjs' own lookup, next to the script, which a bundler such as Vite does not serve; pass
   * the URLs of the files (docs/browser.md shows how with Vite's `?url` imports).
   */
  wasmPaths?: WasmPaths;
  /**
   * XNNPACK threads of the wasm backend (Node only, `@tailwise/backends/node`; a page's build
   * picks its own). Default 1, the stock single-threaded SIMD build. With 2 or more, tailwise
   * starts tfjs' threaded SIMD build in Node, which stock tfjs refuses to do
   * (docs/benchmarks/throughput.md, "The second core"). Only used for `'wasm'`, and only before
   * the wasm backend first initialises.
   */
  wasmThreads?: number;
}

/** What `setupBackend` set up. */
export interface SetupBackendResult {
  /** The backend now active (`tf.getBackend()`). */
  name: BackendName;
  /** The package that provides it, e.g. `'@tensorflow/tfjs-backend-webgl'`. */
  packageName: string;
  /** The kernels tailwise registered for it (empty with `trainingKernels: false`). */
  kernels: string[];
  /** Threads of the wasm backend's XNNPACK pool (1 for the other backends). */
  threads: number;
}

/** @internal What differs between the page and the Node flavour of `setupBackend`. */
export interface SetupHost {
  /** Loads `'tensorflow'` and returns the package it came from, or throws. */
  loadTensorflow(): Promise<string>;
  /** The wasm paths to use when the caller gave none, or `undefined` for tfjs' default. */
  defaultWasmPaths(): WasmPaths | undefined;
  /** Registers tfjs' gradients (imports tfjs-layers), or throws `GRADIENTS_MISSING`. */
  loadGradients(): Promise<void>;
  /** Initialises the wasm backend with `threads` XNNPACK threads (Node only). */
  withWasmThreads?<T>(threads: number, init: () => Promise<T>): Promise<T>;
  /** Threads of the running wasm backend's pool. */
  wasmThreadsCount?(): number;
}

const PACKAGES: Readonly<Record<Exclude<BackendName, 'tensorflow'>, string>> = {
  webgl: '@tensorflow/tfjs-backend-webgl',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** @internal */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkWasmPaths(value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'string' && value !== '') return;
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((v) => typeof v === 'string' && v !== '')
  ) {
    return;
  }
  fail(
    'INVALID_OPTION',
    'setupBackend',
    'wasmPaths',
    'a non-empty string or a map from .wasm file name to URL',
    describeValue(value),
  );
}

/** @internal Loads a backend package; static specifiers so bundlers can split them out. */
async function loadPackage(name: Exclude<BackendName, 'tensorflow'>, paths?: WasmPaths) {
  switch (name) {
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // setWasmPaths takes a prefix or a file-name map; the map type is tfjs' own.
      if (paths !== undefined) wasm.setWasmPaths(paths as Parameters<typeof wasm.setWasmPaths>[0]);
      return;
    }
  }
}

/** @internal The one implementation behind both `setupBackend` entries. */
export async function setupBackendWith(
  host: SetupHost,
  name: BackendName,
  options: SetupBackendOptions | undefined,
): Promise<SetupBackendResult> {
  assertOneOf(name, BACKEND_NAMES, 'setupBackend', 'name');
  const opts = withDefaults<SetupBackendOptions>(
    options,
    { trainingKernels: true, gradients: true, wasmPaths: undefined, wasmThreads: 1 },
    'setupBackend',
  );
  assertNumber(opts.wasmThreads, { min: 1, max: 8, integer: true }, 'setupBackend', 'wasmThreads');
  const threads = opts.wasmThreads as number;
  if (name === 'wasm' && threads > 1 && host.withWasmThreads === undefined)
    fail(
      'INVALID_OPTION',
      'setupBackend',
      'wasmThreads',
      '1 in a page (threaded wasm in Node needs `@tailwise/backends/node`)',
      String(threads),
    );
  assertBoolean(opts.trainingKernels, 'setupBackend', 'trainingKernels');
  assertBoolean(opts.gradients, 'setupBackend', 'gradients');
  checkWasmPaths(opts.wasmPaths);

  tf.env().set('PROD', true);
  let packageName: string;
  let wasmPaths: WasmPaths | undefined;
  if (name === 'tensorflow') {
    packageName = await host.loadTensorflow();
  } else {
    packageName = PACKAGES[name];
    wasmPaths = name === 'wasm' ? (opts.wasmPaths ?? host.defaultWasmPaths()) : undefined;
    try {
      await loadPackage(name, wasmPaths);
    } catch (error) {
      throw new TailwiseError(
        'BACKEND_UNAVAILABLE',
        `setupBackend: expected backend '${name}' (${packageName}) to load, got ${describeError(error)}`,
        { functionName: 'setupBackend', parameter: 'name', cause: error },
      );
    }
  }

  let ready = false;
  let cause: unknown;
  try {
    ready =
      name === 'wasm' && threads > 1 && host.withWasmThreads !== undefined
        ? await host.withWasmThreads(threads, () => tf.setBackend(name))
        : await tf.setBackend(name);
    if (ready) await tf.ready();
  } catch (error) {
    cause = error;
  }
  if (!ready) {
    const where =
      wasmPaths === undefined
        ? "tfjs' default place, next to the script (pass { wasmPaths } in a page)"
        : typeof wasmPaths === 'string'
          ? wasmPaths
          : Object.values(wasmPaths).join(', ');
    throw new TailwiseError(
      'BACKEND_UNAVAILABLE',
      `setupBackend: expected backend '${name}' (${packageName}) to initialise, got ` +
        `${cause === undefined ? 'a failed initialisation (see the warning tfjs logged above)' : describeError(cause)}` +
        (name === 'wasm' ? `. Check that the .wasm files are served from ${where}` : '') +
        (name === 'webgl' || name === 'webgpu'
          ? `. This runtime has no ${name === 'webgl' ? 'WebGL' : 'WebGPU'}; fall back to 'wasm' or 'cpu'`
          : ''),
      { functionName: 'setupBackend', parameter: 'name', cause },
    );
  }

  if (opts.gradients) await host.loadGradients();
  const kernels = opts.trainingKernels ? registerTrainingKernels(name) : [];
  const poolThreads = name === 'wasm' ? (host.wasmThreadsCount?.() ?? 1) : 1;
  return { name, packageName, kernels, threads: poolThreads };
}
