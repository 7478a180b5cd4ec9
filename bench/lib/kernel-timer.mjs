// Per-kernel wall-clock timer for synchronous backends (cpu, wasm): wraps every kernel
// registered for a backend so each call adds its self time (its own time minus that of the
// kernels it calls) to a table. Used by bench/throughput.mjs --profile.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Wraps every kernel of `backendName`. Returns { table(), reset(), restore() }: table() lists
 * { kernel, ms, calls } by self time, descending.
 */
export function timeKernels(backendName) {
  const totals = new Map();
  const stack = [];
  const originals = tf.getKernelsForBackend(backendName);
  for (const config of originals) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    const wrapped = {
      ...config,
      kernelFunc: (args) => {
        const frame = { child: 0 };
        stack.push(frame);
        const start = performance.now();
        try {
          return inner(args);
        } finally {
          const elapsed = performance.now() - start;
          stack.pop();
          const entry = totals.get(name) ?? { ms: 0, calls: 0 };
          entry.ms += elapsed - frame.child;
          entry.calls += 1;
          totals.set(name, entry);
          if (stack.length > 0) stack[stack.length - 1].child += elapsed;
        }
      },
    };
    tf.unregisterKernel(name, backendName);
    tf.registerKernel(wrapped);
  }
  return {
    table() {
      return [...totals.entries()]
        .map(([kernel, v]) => ({ kernel, ms: v.ms, calls: v.calls }))
        .sort((a, b) => b.ms - a.ms);
    },
    reset() {
      totals.clear();
    },
    restore() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backendName);
        tf.registerKernel(config);
      }
    },
  };
}
