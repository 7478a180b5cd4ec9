// Activates the backend named by TAILWISE_TEST_BACKEND for one vitest project.
// tfjs-layers is imported for its side effect: it registers the gradients that
// tfjs-core alone lacks (docs/performance.md).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';

tf.env().set('PROD', true);
const backend = process.env.TAILWISE_TEST_BACKEND ?? 'cpu';
const ok = await tf.setBackend(backend);
if (!ok) throw new Error(`test setup: backend '${backend}' failed to initialise`);
await tf.ready();
