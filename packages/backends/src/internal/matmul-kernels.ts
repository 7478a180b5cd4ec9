import type * as tf from '@tensorflow/tfjs-core';
import {
  callKernelConfig,
  type KernelArgs,
  type KernelContext,
  transposeInfo,
  withIntermediates,
} from './kernel-calls';

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * `BatchMatMul` / `_FusedMatMul` with `transposeA` or `transposeB`, computed as an explicit
 * `Transpose` followed by the stock kernel without transposes. On wasm the transposed
 * variants fall to a scalar loop (1–2 GFLOP/s against ~25 for the plain one, docs/performance.md),
 * and every matMul backward pass uses them; a transpose costs one pass over the operand.
 *
 * Non-float32 operands and calls without a transpose go to the stock kernel unchanged.
 * @internal
 */
export function matMulWithoutTransposes(
  stock: tf.KernelConfig,
  ctx: KernelContext,
  args: KernelArgs,
): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return callKernelConfig(stock, ctx, args.inputs, args.attrs);
  }
  return withIntermediates(ctx, (temps) => {
    const plainA = transposeA ? temps.track(transposeInfo(ctx, a, swapLastTwo(a.shape.length))) : a;
    const plainB = transposeB ? temps.track(transposeInfo(ctx, b, swapLastTwo(b.shape.length))) : b;
    return callKernelConfig(
      stock,
      ctx,
      { ...args.inputs, a: plainA, b: plainB },
      { ...args.attrs, transposeA: false, transposeB: false },
    );
  });
}
