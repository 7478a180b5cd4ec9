import type * as tf from '@tensorflow/tfjs-core';
import { describeValue, fail } from './errors';
import type { Rng } from './rng';
import { formatShape } from './tensors';

const RNG_METHODS = ['uniform', 'int', 'choice', 'permutation', 'beta', 'split'] as const;

/**
 * Refuses anything that is not an {@link Rng} (every random choice in tailwise takes one;
 * there is no hidden global randomness). Checks the methods, so an Rng from another copy of
 * this package passes.
 *
 * @throws `INVALID_OPTION` naming `functionName` and `parameter`.
 */
export function assertRng(
  value: unknown,
  functionName: string,
  parameter = 'rng',
): asserts value is Rng {
  const r = value as Record<string, unknown> | null | undefined;
  if (typeof r !== 'object' || r === null || RNG_METHODS.some((m) => typeof r[m] !== 'function')) {
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'an Rng (createRng(seed) from @tailwise/core)',
      describeValue(value),
    );
  }
}

/** Options of {@link assertImageShape} and {@link assertImageBatch}. */
export interface ImageShapeOptions {
  /** Channel counts accepted. Default `[1, 3]` (gray or RGB). */
  channels?: readonly number[];
  /** Also accept a rank-2 `[H, W]` sample shape as one channel. Default false. */
  allowNoChannel?: boolean;
  /** Why images are needed, appended to the expectation, e.g. `'the views augment images'`. */
  reason?: string;
}

function describeImage(batch: boolean, o: ImageShapeOptions): string {
  const channels = o.channels ?? [1, 3];
  const lead = batch ? 'B, ' : '';
  const forms = channels.map((c) => `[${lead}H, W, ${c}]`);
  if (o.allowNoChannel) forms.unshift(`[${lead}H, W]`);
  const what = `${batch ? 'a batch of images' : 'images'} ${forms.join(' or ')}`;
  return o.reason === undefined ? what : `${what} (${o.reason})`;
}

function isImageShape(shape: readonly number[], o: ImageShapeOptions): boolean {
  const channels = o.channels ?? [1, 3];
  if (shape.length === 2) return o.allowNoChannel === true;
  return shape.length === 3 && channels.includes(shape[2]!);
}

/**
 * Throws `SHAPE_MISMATCH` unless a sample shape (a dataset's `inputShape`) is an image
 * `[H, W, C]` with C in `channels` (default gray or RGB).
 */
export function assertImageShape(
  shape: unknown,
  functionName: string,
  parameter: string,
  options: ImageShapeOptions = {},
): asserts shape is number[] {
  const ok = Array.isArray(shape) && isImageShape(shape as number[], options);
  if (!ok) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      describeImage(false, options),
      Array.isArray(shape) ? `inputShape ${formatShape(shape as number[])}` : describeValue(shape),
    );
  }
}

/**
 * Throws `SHAPE_MISMATCH` unless `x` is a batch of images `[B, H, W, C]` with C in `channels`
 * (default gray or RGB).
 */
export function assertImageBatch(
  x: tf.Tensor,
  functionName: string,
  parameter: string,
  options: ImageShapeOptions = {},
): void {
  if (x.rank < 3 || !isImageShape(x.shape.slice(1), options)) {
    fail(
      'SHAPE_MISMATCH',
      functionName,
      parameter,
      describeImage(true, options),
      `shape ${formatShape(x.shape)}`,
    );
  }
}
