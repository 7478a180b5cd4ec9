import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import { gaussianNoise, scarfCorruption } from '../src/index';

/** x[i, j] = 100·i + j: every value names its row and feature. */
const grid = (b: number, d: number, base = 0) =>
  tf.tensor2d(
    Float32Array.from({ length: b * d }, (_, k) => base + 100 * Math.floor(k / d) + (k % d)),
    [b, d],
  );

describe('gaussianNoise', () => {
  it('adds N(0, σ²) noise: mean ≈ 0, std ≈ σ, no clipping', () => {
    const x = tf.fill([400, 50], 3);
    const y = expectNoLeak(() => gaussianNoise(x, { rng: createRng(0), std: 0.5 }));
    const v = y.dataSync();
    let sum = 0;
    let sq = 0;
    for (const e of v) sum += e - 3;
    const mean = sum / v.length;
    for (const e of v) sq += (e - 3 - mean) ** 2;
    const std = Math.sqrt(sq / v.length);
    // 20,000 draws: the standard error of the mean is 0.5 / 141 ≈ 0.0035.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.015);
    expect(Math.max(...v)).toBeGreaterThan(4);
    tf.dispose([x, y]);
  });

  it('repeats per seed and differs across calls', () => {
    const x = tf.zeros([4, 3]);
    const a = gaussianNoise(x, { rng: createRng(7) });
    const b = gaussianNoise(x, { rng: createRng(7) });
    const rng = createRng(7);
    const c1 = gaussianNoise(x, { rng });
    const c2 = gaussianNoise(x, { rng });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(c1.dataSync())).not.toEqual(Array.from(c2.dataSync()));
    tf.dispose([x, a, b, c1, c2]);
  });

  it('refuses images and a negative std', () => {
    expectTailwiseError(
      () => gaussianNoise(tf.zeros([1, 2, 2, 1]), { rng: createRng(0) }),
      'SHAPE_MISMATCH',
      /gaussianNoise/,
    );
    expectTailwiseError(
      () => gaussianNoise(tf.zeros([1, 2]), { rng: createRng(0), std: -1 }),
      'INVALID_OPTION',
      /`std`/,
    );
  });
});

describe('scarfCorruption', () => {
  it('replaces exactly round(c·D) features per row by the same feature of a pool row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (b, d, rate, seed) => {
          const x = grid(b, d);
          // Pool values are >= 10,000: a replaced entry is recognisable.
          const pool = grid(5, d, 10_000);
          const y = scarfCorruption(x, { rng: createRng(seed), rate, pool });
          const v = y.dataSync();
          const k = Math.round(rate * d);
          for (let i = 0; i < b; i++) {
            let replaced = 0;
            for (let j = 0; j < d; j++) {
              const e = v[i * d + j]!;
              if (e >= 10_000) {
                replaced++;
                expect((e - 10_000) % 100).toBe(j); // same feature
                expect(Math.floor((e - 10_000) / 100)).toBeLessThan(5); // a pool row
              } else expect(e).toBe(100 * i + j); // untouched
            }
            expect(replaced).toBe(k);
          }
          tf.dispose([x, pool, y]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('draws from the batch by default; rate 0 is the identity; seeded; leak-free', () => {
    const x = grid(8, 10);
    const y = expectNoLeak(() => scarfCorruption(x, { rng: createRng(3) }));
    const v = y.dataSync();
    for (let k = 0; k < v.length; k++) expect(v[k]! % 100).toBe(k % 10);
    const again = scarfCorruption(x, { rng: createRng(3) });
    expect(Array.from(again.dataSync())).toEqual(Array.from(v));
    const same = scarfCorruption(x, { rng: createRng(3), rate: 0 });
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y, again, same]);
  });

  it('keeps each feature on its scale (never clips standardised values)', () => {
    const x = tf.tensor2d([
      [-3, 40],
      [2.5, -70],
    ]);
    const y = scarfCorruption(x, { rng: createRng(1), rate: 1 });
    const v = Array.from(y.dataSync());
    expect([-3, 2.5]).toContain(v[0]);
    expect([40, -70]).toContain(v[1]);
    expect([-3, 2.5]).toContain(v[2]);
    expect([40, -70]).toContain(v[3]);
    tf.dispose([x, y]);
  });

  it('refuses a bad rate, images and a pool with other features', () => {
    expectTailwiseError(
      () => scarfCorruption(tf.zeros([2, 3]), { rng: createRng(0), rate: 1.5 }),
      'INVALID_OPTION',
      /`rate`/,
    );
    expectTailwiseError(
      () => scarfCorruption(tf.zeros([2, 2, 2, 1]), { rng: createRng(0) }),
      'SHAPE_MISMATCH',
      /scarfCorruption/,
    );
    expectTailwiseError(
      () => scarfCorruption(tf.zeros([2, 3]), { rng: createRng(0), pool: tf.zeros([4, 2]) }),
      'SHAPE_MISMATCH',
      /scarfCorruption: expected `pool` to be rows \[N >= 1, 3\] with the batch's 3 features, got \[4, 2\]/,
    );
  });
});
