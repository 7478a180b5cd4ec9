import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { backendName, expectTailwiseErrorAsync } from '../../../test/helpers';
import { unregisterTrainingKernels } from '../src';
import { setupBackend as setupBackendInPage } from '../src/index';
import { availableBackends, setupBackend } from '../src/node';

// The backend this vitest project runs on, read once: these tests switch backends.
const projectBackend = backendName();

afterEach(async () => {
  unregisterTrainingKernels('cpu');
  unregisterTrainingKernels('wasm');
  await tf.setBackend(projectBackend);
});

const WASM_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
  'MaxPoolGrad',
];

describe('setupBackend', () => {
  it("activates 'wasm' with its training kernels (initialising it from the package's dist/ folder on the cpu project)", async () => {
    tf.env().set('PROD', false);
    const result = await setupBackend('wasm');
    expect(result).toEqual({
      name: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      kernels: WASM_KERNELS,
      threads: 1,
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.env().getBool('PROD')).toBe(true);
    // The wasm backend can now train a conv net: its filter gradient exists.
    const w = tf.ones([3, 3, 1, 2]);
    const x = tf.ones([1, 5, 5, 1]);
    const g = tf.grad((f) => tf.sum(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')))(w);
    // d/dW Σ conv(1, W) over a 3×3 output of a 5×5 input of ones: each filter tap sees 9 ones.
    expect(Array.from(await g.data())).toEqual(new Array(18).fill(9));
    tf.dispose([w, x, g]);
  });

  it("activates 'cpu' with the filter-gradient kernel", async () => {
    const result = await setupBackend('cpu');
    expect(result).toEqual({
      name: 'cpu',
      packageName: '@tensorflow/tfjs-backend-cpu',
      kernels: ['Conv2DBackpropFilter'],
      threads: 1,
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('leaves the stock kernels alone with trainingKernels: false', async () => {
    const stock = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    const result = await setupBackend('cpu', { trainingKernels: false, gradients: false });
    expect(result.kernels).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(stock);
  });

  it('is idempotent', async () => {
    await setupBackend('wasm');
    const config = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    const again = await setupBackend('wasm');
    expect(again.kernels).toEqual(WASM_KERNELS);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(config);
  });

  it("says how to install tfjs-node when 'tensorflow' is asked for and it is missing", async () => {
    // tfjs-node is an optional peer that this repository does not install.
    await expectTailwiseErrorAsync(
      () => setupBackend('tensorflow'),
      'BACKEND_UNAVAILABLE',
      /^setupBackend: expected `name` to be a backend whose package is installed .*got 'tensorflow' with neither installed\. Install one of them: `npm install @tensorflow\/tfjs-node` \(CPU\) or `npm install @tensorflow\/tfjs-node-gpu` \(CUDA GPU\)\. Their install script downloads libtensorflow/,
    );
    expect(tf.getBackend()).toBe(projectBackend);
  });

  it('refuses unknown backend names and options', async () => {
    await expectTailwiseErrorAsync(
      () => setupBackend('nope' as never),
      'INVALID_OPTION',
      /^setupBackend: expected `name` to be one of 'webgl', 'webgpu', 'wasm', 'cpu', 'tensorflow', got "nope"$/,
    );
    await expectTailwiseErrorAsync(
      () => setupBackend('cpu', { kernels: true } as never),
      'INVALID_OPTION',
      /^setupBackend: expected `kernels` to be one of the known options \(trainingKernels, gradients, wasmPaths, wasmThreads\)/,
    );
    await expectTailwiseErrorAsync(
      () => setupBackend('cpu', { gradients: 'yes' } as never),
      'INVALID_OPTION',
      /^setupBackend: expected `gradients` to be a boolean, got "yes"$/,
    );
    await expectTailwiseErrorAsync(
      () => setupBackend('wasm', { wasmPaths: '' }),
      'INVALID_OPTION',
      /^setupBackend: expected `wasmPaths` to be a non-empty string or a map from \.wasm file name to URL, got ""$/,
    );
    await expectTailwiseErrorAsync(
      () => setupBackend('wasm', { wasmPaths: { 'tfjs-backend-wasm.wasm': 3 } as never }),
      'INVALID_OPTION',
      /^setupBackend: expected `wasmPaths` to be a non-empty string or a map/,
    );
    expect(tf.getBackend()).toBe(projectBackend);
  });
});

describe('availableBackends', () => {
  it('lists wasm and cpu (dependencies) and not tensorflow (tfjs-node is not installed here)', () => {
    expect(availableBackends()).toEqual(['wasm', 'cpu']);
  });
});

describe('setupBackend of the browser-safe main entry', () => {
  it("refuses 'tensorflow' and says where the Node flavour is", async () => {
    await expectTailwiseErrorAsync(
      () => setupBackendInPage('tensorflow'),
      'BACKEND_UNAVAILABLE',
      /^setupBackend: expected `name` to be a backend that runs here \('webgl', 'webgpu', 'wasm' or 'cpu'; 'tensorflow' is tfjs-node and needs setupBackend from '@tailwise\/backends\/node'\), got 'tensorflow'$/,
    );
    expect(tf.getBackend()).toBe(projectBackend);
  });

  it("activates 'cpu' with the same kernels as the Node flavour", async () => {
    const result = await setupBackendInPage('cpu');
    expect(result).toEqual({
      name: 'cpu',
      packageName: '@tensorflow/tfjs-backend-cpu',
      kernels: ['Conv2DBackpropFilter'],
      threads: 1,
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it("says that WebGL is missing when 'webgl' cannot initialise (Node has no WebGL)", async () => {
    await expectTailwiseErrorAsync(
      () => setupBackendInPage('webgl'),
      'BACKEND_UNAVAILABLE',
      /^setupBackend: expected backend 'webgl' \(@tensorflow\/tfjs-backend-webgl\) to (initialise|load), got .*/,
    );
    expect(tf.getBackend()).toBe(projectBackend);
  });
});
