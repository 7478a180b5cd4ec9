import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** How the threaded wasm SIMD module names itself in the Blob tfjs builds for its workers. */
const MAIN_SCRIPT_PREFIX = 'var WasmBackendModuleThreadedSimd';
/** Where Emscripten's pthread worker evaluates the main script from a Blob URL. */
const WORKER_LOADS_BLOB = 'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}';

/**
 * Runs `init` (which must initialise the wasm backend, e.g. `tf.setBackend('wasm')`) so that
 * tfjs picks its threaded SIMD build with `threads` XNNPACK threads, in Node.
 *
 * Stock tfjs 4.22 never runs wasm threads in Node (docs/benchmarks/throughput.md, "The
 * second core"), for three reasons, each handled here for the duration of `init` only:
 *
 * 1. Its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false when `IS_NODE`: set to true.
 * 2. It hands Emscripten the pthread worker script and the main script as Blob URLs, which
 *    Node's `worker_threads` cannot start (`ERR_WORKER_PATH`): `Blob` and
 *    `URL.createObjectURL` are wrapped so those two scripts are written to a temporary folder
 *    instead and the worker gets file paths. The worker script (Emscripten's own, which
 *    already supports Node) gets a prelude defining the names the bundled main script refers
 *    to (`require$$0`… are the bundle's `fs`, `path`, `perf_hooks`, `os`).
 * 3. Its C code caps the thread count at `emscripten_num_logical_cores() / 2`, i.e. 1 on a
 *    2-core machine; `os.cpus()` (what Emscripten reads in Node) reports 2·`threads` cores
 *    while the module instantiates.
 *
 * The temporary folder is removed when the process exits. Results equal those of the
 * single-threaded build: XNNPACK splits the output into tiles, each tile computed by one
 * thread in the same order (tests compare against the cpu backend).
 * @internal
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const require = createRequire(import.meta.url);
  const wasmModule = require('@tensorflow/tfjs-backend-wasm') as {
    setThreadsCount(n: number): void;
  };
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const folder = mkdtempSync(join(os.tmpdir(), 'tailwise-wasm-threads-'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  const mainPath = join(folder, 'tfjs-backend-wasm-threaded-simd.main.cjs');
  const workerPath = join(folder, 'tfjs-backend-wasm-threaded-simd.worker.cjs');

  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  class RecordingBlob extends RealBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0] as unknown[] | undefined;
      if (parts?.length === 1 && typeof parts[0] === 'string') {
        texts.set(this, parts[0]);
        if (parts[0].startsWith(MAIN_SCRIPT_PREFIX)) writeFileSync(mainPath, parts[0]);
      }
    }
  }
  const createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return realCreateObjectURL(blob);
    if (text.startsWith(MAIN_SCRIPT_PREFIX)) return mainPath;
    if (!text.includes(WORKER_LOADS_BLOB)) {
      throw new Error(
        'tailwise wasm threads: the pthread worker script of @tensorflow/tfjs-backend-wasm is not the one of 4.22',
      );
    }
    const prelude =
      "Object.assign(globalThis,{require$$0:require('fs'),require$$1:require('path')," +
      "require$$3:require('perf_hooks'),require$$4:require('os'),commonjsGlobal:globalThis," +
      `__dirname:${JSON.stringify(wasmDir)}});\n`;
    const body = text.replace(
      WORKER_LOADS_BLOB,
      `if(true){importScripts(${JSON.stringify(mainPath)})}`,
    );
    writeFileSync(workerPath, prelude + body);
    return workerPath;
  };

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmModule.setThreadsCount(threads);
  globalThis.Blob = RecordingBlob;
  URL.createObjectURL = createObjectURL;
  os.cpus = () => {
    const cpus = realCpus.call(os);
    return Array.from(
      { length: 2 * Math.max(threads, cpus.length) },
      (_, i) => cpus[i % cpus.length]!,
    );
  };
  // Emscripten starts its pthread pool with the global `Worker`, which it sets to
  // worker_threads' own; a subclass given instead passes `execArgv: []` (a worker inherits the
  // parent's loader flags otherwise, e.g. a test runner's) and is unref'd so an idle pool does
  // not keep the process alive (the pool's threads wait forever; an exiting process ends
  // them).
  const hadWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  let workerClass: unknown = hadWorker?.value;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => workerClass,
    set: (NodeWorker: typeof import('node:worker_threads').Worker) => {
      workerClass = class UnrefWorker extends NodeWorker {
        constructor(path: string, options?: import('node:worker_threads').WorkerOptions) {
          super(path, { execArgv: [], ...options });
          this.unref();
        }
        // Emscripten refs a worker while it runs a pthread, and XNNPACK's pool threads run
        // for the life of the module: they must not keep the process alive either.
        override ref(): void {}
      };
    },
  });
  try {
    return await init();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    os.cpus = realCpus;
    Object.defineProperty(globalThis, 'Worker', {
      configurable: true,
      writable: true,
      value: workerClass,
    });
  }
}

/** XNNPACK threads of the initialised wasm backend (1 for the single-threaded builds). @internal */
export function wasmThreadsCount(): number {
  const require = createRequire(import.meta.url);
  const wasmModule = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  return wasmModule.getThreadsCount();
}
