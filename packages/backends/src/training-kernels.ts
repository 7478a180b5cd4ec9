import { assertOneOf, TailwiseError } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  conv2DBackpropFilterViaConv2D,
  conv2DBackpropInputViaConv2D,
  depthwiseBackpropFilterViaDepthwise,
  depthwiseBackpropInputViaDepthwise,
} from './internal/conv-kernels';
import type { KernelArgs, KernelContext } from './internal/kernel-calls';
import { matMulWithoutTransposes } from './internal/matmul-kernels';
import { maxPoolGradOnHeap } from './internal/pool-kernels';

/**
 * The backends tailwise knows how to set up. `'webgl'` and `'webgpu'` run in a browser page;
 * `'tensorflow'` (tfjs-node) runs in Node only, through `@tailwise/backends/node`.
 */
export type BackendName = 'webgl' | 'webgpu' | 'wasm' | 'cpu' | 'tensorflow';

/** Every accepted backend name. */
export const BACKEND_NAMES: readonly BackendName[] = [
  'webgl',
  'webgpu',
  'wasm',
  'cpu',
  'tensorflow',
];

/**
 * Brand on the kernel configs tailwise registers. It lives on the config object in tfjs'
 * global kernel registry (not in a module variable), so duplicate installs of this package
 * agree on what is registered, and it carries the stock kernel to restore.
 */
const BRAND = Symbol.for('tailwise.trainingKernel');

interface TailwiseKernelConfig extends tf.KernelConfig {
  readonly [BRAND]: { readonly stock: tf.KernelConfig | undefined };
}

/** How one tailwise kernel is built: from its context and the stock kernel it replaces, if any. */
interface KernelPlan {
  readonly kernelName: string;
  /** Whether the backend must already have this kernel (the replacement calls it). */
  readonly needsStock: boolean;
  readonly run: (
    ctx: KernelContext,
    args: KernelArgs,
    stock: tf.KernelConfig | undefined,
  ) => tf.TensorInfo;
}

const CONV2D_BACKPROP_FILTER: KernelPlan = {
  kernelName: 'Conv2DBackpropFilter',
  needsStock: false,
  run: (ctx, args) => conv2DBackpropFilterViaConv2D(ctx, args),
};
const CONV2D_BACKPROP_INPUT: KernelPlan = {
  kernelName: 'Conv2DBackpropInput',
  needsStock: false,
  run: (ctx, args) => conv2DBackpropInputViaConv2D(ctx, args),
};
const DEPTHWISE_BACKPROP_FILTER: KernelPlan = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  needsStock: false,
  run: (ctx, args) => depthwiseBackpropFilterViaDepthwise(ctx, args),
};
const DEPTHWISE_BACKPROP_INPUT: KernelPlan = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  needsStock: false,
  run: (ctx, args) => depthwiseBackpropInputViaDepthwise(ctx, args),
};
const BATCH_MAT_MUL: KernelPlan = {
  kernelName: 'BatchMatMul',
  needsStock: true,
  run: (ctx, args, stock) => matMulWithoutTransposes(stock!, ctx, args),
};
const FUSED_MAT_MUL: KernelPlan = {
  kernelName: '_FusedMatMul',
  needsStock: true,
  run: (ctx, args, stock) => matMulWithoutTransposes(stock!, ctx, args),
};
const MAX_POOL_GRAD: KernelPlan = {
  kernelName: 'MaxPoolGrad',
  needsStock: false,
  run: (ctx, args, stock) => maxPoolGradOnHeap(stock, ctx, args),
};

/**
 * Which kernels each backend gets (docs/performance.md, "Why stock TensorFlow.js is slow or
 * fails"): wasm lacks the filter and depthwise gradients, runs the input gradient and
 * transposed matMuls as scalar loops, and its MaxPoolGrad misplaces the gradient of windows
 * of values ≤ 0; cpu's filter gradient is 96 % of a conv step (its input gradient measured as
 * fast as a forward conv, so it stays); tfjs-node's kernels are native already.
 */
const PLANS: Readonly<Record<BackendName, readonly KernelPlan[]>> = {
  wasm: [
    CONV2D_BACKPROP_FILTER,
    CONV2D_BACKPROP_INPUT,
    DEPTHWISE_BACKPROP_FILTER,
    DEPTHWISE_BACKPROP_INPUT,
    BATCH_MAT_MUL,
    FUSED_MAT_MUL,
    MAX_POOL_GRAD,
  ],
  cpu: [CONV2D_BACKPROP_FILTER],
  tensorflow: [],
  // The GPU backends have every training kernel natively.
  webgl: [],
  webgpu: [],
};

function isTailwiseKernel(config: tf.KernelConfig | undefined): config is TailwiseKernelConfig {
  return config !== undefined && BRAND in config;
}

function makeConfig(
  plan: KernelPlan,
  backendName: string,
  stock: tf.KernelConfig | undefined,
): TailwiseKernelConfig {
  return {
    kernelName: plan.kernelName,
    backendName,
    kernelFunc: (args) =>
      plan.run(
        { backend: args.backend as tf.KernelBackend, backendName },
        args as KernelArgs,
        stock,
      ),
    // The stock kernel's setup (e.g. wasm's cwrap of its C function) must still run when the
    // backend initialises after this registration, because the replacement calls it.
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
    [BRAND]: { stock },
  };
}

/**
 * Registers tailwise's training kernels for one backend, replacing the stock kernels that
 * are missing or slow there (docs/performance.md). Each is built from fast kernels the backend
 * already has:
 *
 * - `Conv2DBackpropFilter` (wasm: missing; cpu: 96 % of a conv step): a `Conv2D` of the input
 *   transposed to [C_in, H, W, N] with the output gradient transposed to
 *   [H_out, W_out, N, C_out] as filter, dilated by the stride, transposed back.
 * - `Conv2DBackpropInput` (wasm: scalar loop): a stride-1 `Conv2D` of the zero-dilated, padded
 *   output gradient with the spatially flipped filter with swapped channel axes.
 * - `DepthwiseConv2dNativeBackpropFilter` / `…Input` (wasm: missing): the same two rewrites
 *   with `DepthwiseConv2dNative` and a `Sum` over the batch / channel multiplier.
 * - `BatchMatMul` and `_FusedMatMul` with `transposeA`/`transposeB` (wasm: scalar path, and
 *   every matMul backward pass transposes): an explicit `Transpose`, then the stock kernel.
 * - `MaxPoolGrad` (wasm: the stock kernel misplaces or drops the gradient of windows whose
 *   values are all ≤ 0, common after a ReLU): a loop over the wasm heap that gives each
 *   window's gradient to its first maximum, as the cpu backend does.
 *
 * They match the stock cpu kernels within float32 rounding (tests check 1e-4 over strides
 * 1–3, 'valid'/'same'/explicit padding, kernel sizes 1/3/5). Idempotent: kernels already
 * registered by tailwise are kept. The stock kernels are kept on the registered configs and
 * come back with {@link unregisterTrainingKernels}. `'tensorflow'` (tfjs-node), `'webgl'` and
 * `'webgpu'` need none.
 *
 * The backend's own kernels must be registered first (import its package, or use
 * {@link setupBackend}, which calls this by default).
 *
 * @param backendName One of {@link BACKEND_NAMES}.
 * @returns The names of the kernels now provided by tailwise for that backend.
 * @throws TailwiseError `INVALID_OPTION` for another name; `BACKEND_UNAVAILABLE` when the
 *   backend's kernels are not registered yet.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * registerTrainingKernels('wasm'); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', …]
 * await tf.setBackend('wasm');     // conv nets can now train on wasm
 * ```
 */
export function registerTrainingKernels(backendName: BackendName): string[] {
  assertOneOf(backendName, BACKEND_NAMES, 'registerTrainingKernels', 'backendName');
  const plans = PLANS[backendName];
  if (plans.length === 0) return [];
  if (tf.getKernel('Conv2D', backendName) === undefined) {
    throw new TailwiseError(
      'BACKEND_UNAVAILABLE',
      `registerTrainingKernels: expected \`backendName\` to name a backend whose kernels are registered, ` +
        `got '${backendName}' with none. Import '@tensorflow/tfjs-backend-${backendName}' first, ` +
        `or call setupBackend('${backendName}'), which also registers the training kernels.`,
      { functionName: 'registerTrainingKernels', parameter: 'backendName' },
    );
  }
  const names: string[] = [];
  for (const plan of plans) {
    const current = tf.getKernel(plan.kernelName, backendName);
    if (isTailwiseKernel(current)) {
      names.push(plan.kernelName);
      continue;
    }
    if (plan.needsStock && current === undefined) continue;
    // Unregister first so tfjs does not warn about a kernel registered twice.
    if (current !== undefined) tf.unregisterKernel(plan.kernelName, backendName);
    tf.registerKernel(makeConfig(plan, backendName, current));
    names.push(plan.kernelName);
  }
  return names;
}

/**
 * Undoes {@link registerTrainingKernels}: every kernel tailwise registered for `backendName`
 * is removed and the stock kernel it replaced (if there was one) is registered again.
 * Kernels that tailwise did not register are left alone, so calling it twice is harmless.
 *
 * @param backendName One of {@link BACKEND_NAMES}.
 * @returns The names of the kernels that were removed.
 * @throws TailwiseError `INVALID_OPTION` for another name.
 *
 * @example
 * ```ts
 * registerTrainingKernels('cpu');
 * // … train …
 * unregisterTrainingKernels('cpu'); // stock cpu kernels again
 * ```
 */
export function unregisterTrainingKernels(backendName: BackendName): string[] {
  assertOneOf(backendName, BACKEND_NAMES, 'unregisterTrainingKernels', 'backendName');
  const names: string[] = [];
  for (const plan of PLANS[backendName]) {
    const current = tf.getKernel(plan.kernelName, backendName);
    if (!isTailwiseKernel(current)) continue;
    tf.unregisterKernel(plan.kernelName, backendName);
    const { stock } = current[BRAND];
    if (stock !== undefined) tf.registerKernel(stock);
    names.push(plan.kernelName);
  }
  return names;
}
