import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { subsampleUnknown } from '../src/index';

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('subsampleUnknown', () => {
  it('selects only unknown entries, ⌊q·n⌋ or ⌈q·n⌉ per row (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.nat(),
        (rows, cols, q, seed) => {
          const rng = createRng(seed);
          const state = Array.from({ length: rows }, () =>
            Array.from({ length: cols }, () => [1, 0, -1, -1][rng.int(4)]!),
          );
          const mask = read(subsampleUnknown(state, { q, rng }));
          state.forEach((row, i) => {
            let selected = 0;
            row.forEach((z, j) => {
              const m = mask[i * cols + j]!;
              expect(m === 0 || m === 1).toBe(true);
              if (z !== -1) expect(m).toBe(0);
              selected += m;
            });
            const n = row.filter((z) => z === -1).length;
            // float32 q·n may sit a hair above an integer: allow its ceiling
            expect(selected).toBeGreaterThanOrEqual(Math.floor(q * n - 1e-5));
            expect(selected).toBeLessThanOrEqual(Math.ceil(q * n + 1e-5));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('selects exactly q·n when it is an integer, each unknown entry equally often', () => {
    // 4000 rows, 4 unknown entries each among 6 columns: q = 0.5 -> exactly 2 per row,
    // and each unknown column is selected with probability 0.5.
    const rows = 4000;
    const row = [-1, 1, -1, 0, -1, -1];
    const state = tf.tensor2d(Array.from({ length: rows }, () => row));
    const mask = read(subsampleUnknown(state, { q: 0.5, seed: 17 }));
    const perColumn = new Array(6).fill(0);
    for (let i = 0; i < rows; i++) {
      let selected = 0;
      for (let j = 0; j < 6; j++) {
        selected += mask[i * 6 + j]!;
        perColumn[j] += mask[i * 6 + j]!;
      }
      expect(selected).toBe(2);
    }
    const sd = Math.sqrt(rows * 0.25);
    for (const j of [0, 2, 4, 5]) expect(Math.abs(perColumn[j] - rows / 2)).toBeLessThan(5 * sd);
    expect(perColumn[1]).toBe(0);
    expect(perColumn[3]).toBe(0);
    state.dispose();
  });

  it('keeps the q-fraction on average when q·n is not an integer', () => {
    // one unknown entry per row, q = 0.3: selected in ≈ 30% of the rows (stochastic rounding)
    const rows = 5000;
    const state = tf.tensor2d(Array.from({ length: rows }, () => [0, -1, 1]));
    const mask = read(subsampleUnknown(state, { q: 0.3, seed: 5 }));
    const selected = mask.reduce((a, b) => a + b, 0);
    expect(Math.abs(selected - rows * 0.3)).toBeLessThan(5 * Math.sqrt(rows * 0.3 * 0.7));
    // over a realistic state, the overall fraction is ≈ q
    const rng = createRng(8);
    const big = Array.from({ length: 1000 }, () =>
      Array.from({ length: 10 }, () => (rng.uniform() < 0.7 ? -1 : 1)),
    );
    const unknown = big.flat().filter((z) => z === -1).length;
    const picked = read(subsampleUnknown(big, { q: 0.5, rng })).reduce((a, b) => a + b, 0);
    expect(Math.abs(picked / unknown - 0.5)).toBeLessThan(0.02);
    state.dispose();
  });

  it('q = 1 selects every unknown entry; default q = 0.5', () => {
    const state = [
      [-1, 0, -1, 1],
      [1, 1, 0, 0],
    ];
    expect(read(subsampleUnknown(state, { q: 1, seed: 1 }))).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    const half = read(subsampleUnknown(state, { seed: 1 }));
    expect(half[0]! + half[2]!).toBe(1);
  });

  it('repeats per seed and changes every step with an Rng', () => {
    const state = tf.tensor2d(Array.from({ length: 32 }, () => [-1, -1, -1, -1, 0, -1]));
    expect(read(subsampleUnknown(state, { seed: 3 }))).toEqual(
      read(subsampleUnknown(state, { seed: 3 })),
    );
    const rngA = createRng(1);
    const a1 = read(subsampleUnknown(state, { rng: rngA }));
    const a2 = read(subsampleUnknown(state, { rng: rngA }));
    expect(a1).not.toEqual(a2);
    const rngB = createRng(1);
    expect(read(subsampleUnknown(state, { rng: rngB }))).toEqual(a1);
    expect(read(subsampleUnknown(state, { rng: rngB }))).toEqual(a2);
    state.dispose();
  });

  it('returns one tensor and leaks nothing', () => {
    const state = tf.tensor2d([
      [-1, 0],
      [1, -1],
    ]);
    const mask = expectNoLeak(() => subsampleUnknown(state, { q: 1, seed: 0 }));
    expect(mask.shape).toEqual([2, 2]);
    expect(mask.dtype).toBe('float32');
    tf.dispose([state, mask]);
    const empty = tf.zeros([0, 3]);
    const out = expectNoLeak(() => subsampleUnknown(empty, { seed: 0 }));
    expect(out.shape).toEqual([0, 3]);
    tf.dispose([empty, out]);
  });

  it('refuses bad input', () => {
    expectTailwiseError(
      () => subsampleUnknown([[-1, 2]], { seed: 1 }),
      'INVALID_VALUE',
      'subsampleUnknown: expected `state` to be made of 1/0/-1 values, got 2 at flat index 1',
    );
    expectTailwiseError(
      () => subsampleUnknown([[-1, 0]], { q: 1.5, seed: 1 }),
      'INVALID_OPTION',
      'expected `q` to be a number in (0, 1], got 1.5',
    );
    expectTailwiseError(
      () => subsampleUnknown([[-1, 0]], { q: 0, seed: 1 }),
      'INVALID_OPTION',
      'subsampleUnknown: expected `q` to be a number in (0, 1], got 0',
    );
    expectTailwiseError(
      () => subsampleUnknown([-1, 0], { seed: 1 }),
      'SHAPE_MISMATCH',
      'of rank 2',
    );
    expectTailwiseError(
      () => subsampleUnknown([[-1, 0]], { q: 0.5 } as never),
      'INVALID_OPTION',
      '`rng`',
    );
    expectTailwiseError(
      () => subsampleUnknown([[-1, 0]], { seed: 1, p: 0.5 } as never),
      'INVALID_OPTION',
      '`p`',
    );
  });
});
