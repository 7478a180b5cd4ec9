// Shared test helpers (not published). Import with a relative path from package tests.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** The backend this vitest project runs on ('cpu' or 'wasm'). */
export const backendName = (): string => tf.getBackend();

/**
 * Runs `fn` and asserts that the number of live tensors grew by exactly the number of
 * tensors it returned (CONTRIBUTING.md). Returned tensors are disposed afterwards.
 */
export function expectNoLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const result = fn();
  const returned = countTensors(result);
  expect(tf.memory().numTensors - before).toBe(returned);
  return result;
}

/** Async variant of {@link expectNoLeak}. */
export async function expectNoLeakAsync<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors - before).toBe(countTensors(result));
  return result;
}

function countTensors(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof tf.Tensor) return value.isDisposed ? 0 : 1;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += countTensors(v, seen);
  return n;
}

/** Asserts that `fn` throws a TailwiseError with `code` and a message matching `message`. */
export function expectTailwiseError(
  fn: () => unknown,
  code: string,
  message?: RegExp | string,
): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a TailwiseError to be thrown').toBeDefined();
  const e = caught as { code?: string; message: string; name?: string };
  expect(e.name).toBe('TailwiseError');
  expect(e.code).toBe(code);
  if (message !== undefined) expect(e.message).toMatch(message);
}

/** Async variant of {@link expectTailwiseError}. */
export async function expectTailwiseErrorAsync(
  fn: () => Promise<unknown>,
  code: string,
  message?: RegExp | string,
): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a TailwiseError to be thrown').toBeDefined();
  const e = caught as { code?: string; message: string; name?: string };
  expect(e.name).toBe('TailwiseError');
  expect(e.code).toBe(code);
  if (message !== undefined) expect(e.message).toMatch(message);
}

/** Element-wise closeness of a tensor (or array) to an expected nested array. */
export function expectClose(
  actual: tf.Tensor | number[] | number,
  expected: number[] | number[][] | number,
  tolerance = 1e-5,
): void {
  const a =
    actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : ([actual].flat(2) as number[]);
  const e = [expected].flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]!) > tolerance) {
      throw new Error(
        `element ${i}: expected ${e[i]} ± ${tolerance}, got ${v} (actual [${a.join(', ')}])`,
      );
    }
  });
}

/**
 * Central finite-difference gradient check of a scalar function of one tensor, in float64
 * on the host against tfjs' analytic gradient (float32), relative tolerance.
 */
export function gradientCheck(
  f: (x: tf.Tensor) => tf.Scalar,
  x0: tf.Tensor,
  options: { h?: number; tolerance?: number } = {},
): void {
  const h = options.h ?? 1e-2;
  const tol = options.tolerance ?? 2e-2;
  const analytic = tf.tidy(() => Array.from(tf.grad(f)(x0).dataSync()));
  const base = Array.from(x0.dataSync());
  base.forEach((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i]! += h;
    minus[i]! -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, x0.shape)).dataSync()[0]!);
    const fm = tf.tidy(() => f(tf.tensor(minus, x0.shape)).dataSync()[0]!);
    const numeric = (fp - fm) / (2 * h);
    const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic[i]!));
    if (Math.abs(numeric - analytic[i]!) / scale > tol) {
      throw new Error(`gradient check failed at ${i}: numeric ${numeric}, analytic ${analytic[i]}`);
    }
  });
}

/**
 * Calls `fn`, asserts it leaked nothing beyond the one tensor it returned, compares that
 * tensor with `expected`, and disposes it.
 */
export function expectTensor(
  fn: () => tf.Tensor,
  expected: number[] | number[][] | number,
  tolerance = 1e-5,
): void {
  const out = expectNoLeak(fn);
  try {
    expectClose(out, expected, tolerance);
  } finally {
    out.dispose();
  }
}
