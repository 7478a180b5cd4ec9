// Shared inputs of the reliability suite: a batch of B = 3 rows over C = 4 classes, good and bad.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export const B = 3;
export const C = 4;

/** One named row of a bad-input table: what is called, the code and the parameter expected. */
export interface BadInputRow {
  name: string;
  call: () => unknown;
  code: string;
  parameter: string;
}

/** Fixture tensors, created once per file (kept out of the leak accounting of each row). */
export interface Fixtures {
  logits: tf.Tensor2D;
  logitsNaN: tf.Tensor2D;
  logitsInf: tf.Tensor2D;
  logitsNegInf: tf.Tensor2D;
  labels: tf.Tensor1D;
  labelsTooHigh: tf.Tensor1D;
  labelsNegative: tf.Tensor1D;
  labelsFloat: tf.Tensor1D;
  labelsShort: tf.Tensor1D;
  softHalf: tf.Tensor2D;
  softNegative: tf.Tensor2D;
  softNaN: tf.Tensor2D;
  multi: tf.Tensor2D;
  multiTwo: tf.Tensor2D;
  multiMinusOne: tf.Tensor2D;
  multiNaN: tf.Tensor2D;
  candidates: tf.Tensor2D;
  candidatesEmptyRow: tf.Tensor2D;
  candidatesHalf: tf.Tensor2D;
  prior: tf.Tensor1D;
  priorNegative: tf.Tensor1D;
  priorHalf: tf.Tensor1D;
  priorNaN: tf.Tensor1D;
  priorShort: tf.Tensor1D;
  priorZero: tf.Tensor1D;
  probs: tf.Tensor2D;
  probsNaN: tf.Tensor2D;
  probsAbove: tf.Tensor2D;
  disposed: tf.Tensor2D;
  rank1: tf.Tensor1D;
  rank3: tf.Tensor3D;
  wrongWidth: tf.Tensor2D;
}

export function makeFixtures(): Fixtures {
  const row = [0.5, -1, 2, 0.25];
  const logits = [row, [1, 0, -0.5, 3], [-2, 1, 0, 0.5]];
  const withValue = (v: number) => [row, [1, v, -0.5, 3], [-2, 1, 0, 0.5]];
  const disposed = tf.tensor2d(logits);
  disposed.dispose();
  return {
    logits: tf.tensor2d(logits),
    logitsNaN: tf.tensor2d(withValue(Number.NaN)),
    logitsInf: tf.tensor2d(withValue(Number.POSITIVE_INFINITY)),
    logitsNegInf: tf.tensor2d(withValue(Number.NEGATIVE_INFINITY)),
    labels: tf.tensor1d([0, 1, 3], 'int32'),
    labelsTooHigh: tf.tensor1d([0, 4, 1], 'int32'),
    labelsNegative: tf.tensor1d([0, -1, 1], 'int32'),
    labelsFloat: tf.tensor1d([0, 1, 2], 'float32'),
    labelsShort: tf.tensor1d([0, 1], 'int32'),
    softHalf: tf.tensor2d([
      [0.25, 0.25, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ]),
    softNegative: tf.tensor2d([
      [1.5, -0.5, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ]),
    softNaN: tf.tensor2d([
      [Number.NaN, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 0],
    ]),
    multi: tf.tensor2d([
      [1, 0, 1, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
    ]),
    multiTwo: tf.tensor2d([
      [1, 0, 2, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
    ]),
    multiMinusOne: tf.tensor2d([
      [1, 0, -1, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
    ]),
    multiNaN: tf.tensor2d([
      [1, 0, Number.NaN, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
    ]),
    candidates: tf.tensor2d([
      [1, 1, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]),
    candidatesEmptyRow: tf.tensor2d([
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 1, 0],
    ]),
    candidatesHalf: tf.tensor2d([
      [1, 0.5, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]),
    prior: tf.tensor1d([0.4, 0.3, 0.2, 0.1]),
    priorNegative: tf.tensor1d([0.6, 0.5, -0.2, 0.1]),
    priorHalf: tf.tensor1d([0.2, 0.1, 0.1, 0.1]),
    priorNaN: tf.tensor1d([0.4, Number.NaN, 0.2, 0.1]),
    priorShort: tf.tensor1d([0.5, 0.5]),
    priorZero: tf.tensor1d([0.5, 0, 0.3, 0.2]),
    probs: tf.tensor2d([
      [0.1, 0.2, 0.3, 0.4],
      [0.7, 0.1, 0.1, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]),
    probsNaN: tf.tensor2d([
      [0.1, 0.2, 0.3, 0.4],
      [Number.NaN, 0.1, 0.1, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]),
    probsAbove: tf.tensor2d([
      [0.1, 0.2, 0.3, 1.5],
      [0.7, 0.1, 0.1, 0.1],
      [0.25, 0.25, 0.25, 0.25],
    ]),
    disposed,
    rank1: tf.tensor1d([1, 2, 3, 4]),
    rank3: tf.zeros([B, C, 1]) as tf.Tensor3D,
    wrongWidth: tf.zeros([B, C + 1]) as tf.Tensor2D,
  };
}

export function disposeFixtures(f: Fixtures): void {
  tf.dispose(Object.values(f).filter((t) => !(t as tf.Tensor).isDisposed) as tf.Tensor[]);
}

/**
 * Runs a row: it must throw a TailwiseError with the row's code, naming the row's parameter
 * (in `error.parameter` and in the message), and leave no tensor behind.
 */
export async function expectRow(row: BadInputRow): Promise<void> {
  const before = tf.memory().numTensors;
  let caught: unknown;
  try {
    const out = row.call();
    if (out instanceof Promise) await out;
  } catch (error) {
    caught = error;
  }
  expect(caught, `${row.name}: expected a TailwiseError`).toBeDefined();
  const e = caught as { name?: string; code?: string; parameter?: string; message: string };
  expect(e.name, `${row.name}: ${e.message}`).toBe('TailwiseError');
  expect(e.code, `${row.name}: ${e.message}`).toBe(row.code);
  expect(e.parameter, `${row.name}: ${e.message}`).toBe(row.parameter);
  expect(e.message).toContain(`\`${row.parameter}\``);
  expect(tf.memory().numTensors - before, `${row.name}: tensors left after the error`).toBe(0);
}
