import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
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
import { assertGradientsRegistered } from './gradients';
import { wasmThreadsCount, withWasmThreads } from './internal/wasm-threads';
import { BACKEND_NAMES, type BackendName, registerTrainingKernels } from './training-kernels';

/** Options of {@link setupBackend}. */
export interface SetupBackendOptions {
  /**
   * Register tailwise's training kernels for the backend ({@link registerTrainingKernels}).
   * Default `true`: without them conv nets cannot train on wasm and train 15–22× slower on
   * cpu (docs/benchmarks/kernels.md).
   */
  trainingKernels?: boolean;
  /**
   * Load `@tensorflow/tfjs-layers`, which registers tfjs' gradient functions, then check them
   * with {@link assertGradientsRegistered}. Default `true`.
   */
  gradients?: boolean;
  /**
   * Folder (or URL prefix) that holds the `.wasm` binaries, ending with a separator. Default:
   * the `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm`. Only used for
   * `'wasm'`, and only before the wasm backend first initialises.
   */
  wasmPaths?: string;
  /**
   * XNNPACK threads of the wasm backend (Node only; the browser build picks its own). Default
   * 1, the stock single-threaded SIMD build. With 2 or more, tailwise starts tfjs' threaded
   * SIMD build in Node, which stock tfjs refuses to do (docs/benchmarks/throughput.md, "The
   * second core"). Only used for `'wasm'`, and only before the wasm backend first initialises.
   */
  wasmThreads?: number;
}

/** What {@link setupBackend} set up. */
export interface SetupBackendResult {
  /** The backend now active (`tf.getBackend()`). */
  name: BackendName;
  /** The package that provides it, e.g. `'@tensorflow/tfjs-node'`. */
  packageName: string;
  /** The kernels tailwise registered for it (empty with `trainingKernels: false`). */
  kernels: string[];
  /** Threads of the wasm backend's XNNPACK pool (1 for the other backends). */
  threads: number;
}

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

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadWasm(wasmPaths: string | undefined): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Node loads the package's CommonJS build; find its .wasm files next to it rather than
  // relying on a bundler to copy them (PERFORMANCE.md: bundling tfjs breaks the lookup).
  const prefix = wasmPaths ?? `${dirname(requireHere().resolve(WASM_PACKAGE))}${sep}`;
  wasm.setWasmPaths(prefix);
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

/**
 * Loads a TensorFlow.js backend, makes it the active one, registers tfjs' gradients and
 * tailwise's training kernels. The one call a training program makes before anything else.
 *
 * - `'wasm'` (`@tensorflow/tfjs-backend-wasm`, a dependency): the fastest portable choice.
 *   With tailwise's kernels it trains an MLP ~4.5× faster than stock wasm and a small CNN,
 *   which stock wasm cannot train at all, ~500× faster than stock cpu
 *   (docs/benchmarks/kernels.md). Its `.wasm` files are found in the installed package's
 *   `dist/` folder, no bundler setup needed.
 * - `'cpu'` (`@tensorflow/tfjs-backend-cpu`, a dependency): plain JavaScript, slow, always works.
 * - `'tensorflow'`: native libtensorflow through `@tensorflow/tfjs-node-gpu` or else
 *   `@tensorflow/tfjs-node`, optional peers you install yourself.
 *
 * Backend packages are loaded with a dynamic `import()`, so unused ones cost nothing. Also
 * sets `tf.env().set('PROD', true)`, which silences tfjs' "install tfjs-node" banner.
 *
 * @param name `'wasm'`, `'cpu'` or `'tensorflow'`.
 * @param options See {@link SetupBackendOptions}.
 * @returns The active backend, its package and the kernels tailwise registered.
 * @throws TailwiseError `INVALID_OPTION` for an unknown name or option;
 *   `BACKEND_UNAVAILABLE` when the backend's package is missing or fails to initialise (the
 *   message says how to install tfjs-node); `GRADIENTS_MISSING` when `@tensorflow/tfjs-layers`
 *   is not installed and nothing else registered the gradients.
 *
 * @example
 * ```ts
 * import { setupBackend } from '@tailwise/backends';
 * const { name, kernels } = await setupBackend('wasm');
 * // name === 'wasm'; kernels includes 'Conv2DBackpropFilter'
 * ```
 */
export async function setupBackend(
  name: BackendName,
  options?: SetupBackendOptions,
): Promise<SetupBackendResult> {
  assertOneOf(name, BACKEND_NAMES, 'setupBackend', 'name');
  const opts = withDefaults<SetupBackendOptions>(
    options,
    { trainingKernels: true, gradients: true, wasmPaths: undefined, wasmThreads: 1 },
    'setupBackend',
  );
  assertNumber(opts.wasmThreads, { min: 1, max: 8, integer: true }, 'setupBackend', 'wasmThreads');
  assertBoolean(opts.trainingKernels, 'setupBackend', 'trainingKernels');
  assertBoolean(opts.gradients, 'setupBackend', 'gradients');
  if (
    opts.wasmPaths !== undefined &&
    (typeof opts.wasmPaths !== 'string' || opts.wasmPaths === '')
  ) {
    fail(
      'INVALID_OPTION',
      'setupBackend',
      'wasmPaths',
      'a non-empty string',
      describeValue(opts.wasmPaths),
    );
  }

  tf.env().set('PROD', true);
  let packageName: string;
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    packageName = CPU_PACKAGE;
  } else if (name === 'wasm') {
    await loadWasm(opts.wasmPaths);
    packageName = WASM_PACKAGE;
  } else {
    packageName = await loadTensorflow();
  }

  let ready = false;
  let cause: unknown;
  try {
    const threads = opts.wasmThreads as number;
    ready =
      name === 'wasm' && threads > 1
        ? await withWasmThreads(threads, () => tf.setBackend(name))
        : await tf.setBackend(name);
    if (ready) await tf.ready();
  } catch (error) {
    cause = error;
  }
  if (!ready) {
    throw new TailwiseError(
      'BACKEND_UNAVAILABLE',
      `setupBackend: expected backend '${name}' (${packageName}) to initialise, got ` +
        `${cause === undefined ? 'a failed initialisation (see the warning tfjs logged above)' : describeError(cause)}` +
        (name === 'wasm'
          ? `. Check that the .wasm files are in ${opts.wasmPaths ?? 'the package dist/ folder'}`
          : ''),
      { functionName: 'setupBackend', parameter: 'name', cause },
    );
  }

  if (opts.gradients) await loadGradients();
  const kernels = opts.trainingKernels ? registerTrainingKernels(name) : [];
  return { name, packageName, kernels, threads: name === 'wasm' ? wasmThreadsCount() : 1 };
}

/**
 * The backends whose packages are installed where tailwise can load them: `'wasm'` and `'cpu'`
 * always (they are dependencies), `'tensorflow'` when `@tensorflow/tfjs-node-gpu` or
 * `@tensorflow/tfjs-node` resolves. Only resolves package paths; loads nothing, so a listed
 * backend can still fail in {@link setupBackend} (e.g. a broken libtensorflow download).
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
