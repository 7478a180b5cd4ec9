// Prints a SHA-256 of a conv net's loss, gradients and a matMul computed on wasm with
// `node threads-identical.mjs <threads>` XNNPACK threads: bench/throughput.mjs runs it with 1
// and 2 and reports whether the bits agree.

import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { setupBackend } from '@tailwise/backends/node';
import * as tf from '@tensorflow/tfjs-core';

const r = await setupBackend('wasm', { wasmThreads: Number(process.argv[2]) });
const out = tf.tidy(() => {
  const x = tf.randomNormal([64, 32, 32, 16], 0, 1, 'float32', 1);
  const w1 = tf.randomNormal([3, 3, 16, 32], 0, 0.3, 'float32', 2);
  const w2 = tf.randomNormal([16 * 16 * 32, 10], 0, 0.1, 'float32', 3);
  const a = tf.randomNormal([512, 700], 0, 1, 'float32', 4),
    b = tf.randomNormal([700, 300], 0, 1, 'float32', 5);
  const f = (p, q) =>
    tf.sum(tf.square(tf.matMul(tf.reshape(tf.relu(tf.conv2d(x, p, 2, 'same')), [64, -1]), q)));
  const { value, grads } = tf.valueAndGrads(f)([w1, w2]);
  return [value, ...grads, tf.matMul(a, b)];
});
const h = createHash('sha256');
for (const t of out) h.update(Buffer.from((await t.data()).buffer));
writeSync(1, `threads ${r.threads} sha256 ${h.digest('hex').slice(0, 16)}\n`);
