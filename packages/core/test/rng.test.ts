import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { createRng, rngFromJSON } from '../src/index';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('Rng', () => {
  it('is reproducible per seed and differs across seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        const xs = Array.from({ length: 5 }, () => a.uniform());
        expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
        const c = createRng(seed + 1);
        expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
      }),
      { numRuns: 50 },
    );
  });

  it('uniform stays in [low, high)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        (seed, low, width) => {
          const rng = createRng(Math.abs(seed));
          for (let i = 0; i < 20; i++) {
            const u = rng.uniform(low, low + width);
            expect(u).toBeGreaterThanOrEqual(low);
            expect(u).toBeLessThan(low + width);
          }
        },
      ),
    );
  });

  it('has the right moments: uniform, normal, gamma, beta', () => {
    const rng = createRng(7);
    const n = 40_000;
    const u = Array.from({ length: n }, () => rng.uniform());
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(variance(u)).toBeCloseTo(1 / 12, 2);
    const z = Array.from({ length: n }, () => rng.normal(2, 3));
    expect(Math.abs(mean(z) - 2)).toBeLessThan(0.06);
    expect(Math.abs(Math.sqrt(variance(z)) - 3)).toBeLessThan(0.06);
    for (const [k, theta] of [
      [0.5, 1],
      [2, 1.5],
      [9, 0.5],
    ] as const) {
      const g = Array.from({ length: n }, () => rng.gamma(k, theta));
      // mean kθ, variance kθ²; 5 standard errors
      expect(Math.abs(mean(g) - k * theta)).toBeLessThan(5 * Math.sqrt((k * theta * theta) / n));
      expect(Math.abs(variance(g) / (k * theta * theta) - 1)).toBeLessThan(0.08);
      expect(g.every((x) => x > 0)).toBe(true);
    }
    for (const [a, b] of [
      [4, 4],
      [0.5, 0.5],
      [2, 5],
    ] as const) {
      const x = Array.from({ length: n }, () => rng.beta(a, b));
      const m = a / (a + b);
      const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(Math.abs(mean(x) - m)).toBeLessThan(5 * Math.sqrt(v / n));
      expect(Math.abs(variance(x) / v - 1)).toBeLessThan(0.08);
      expect(x.every((y) => y >= 0 && y <= 1)).toBe(true);
    }
  });

  it('permutation is a permutation; shuffle keeps the multiset', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 200 }), (seed, n) => {
        const p = createRng(seed).permutation(n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer()), (seed, xs) => {
        const copy = xs.slice();
        createRng(seed).shuffle(copy);
        expect(copy.slice().sort((a, b) => a - b)).toEqual(xs.slice().sort((a, b) => a - b));
      }),
    );
  });

  it('choice respects weights and replacement', () => {
    const rng = createRng(3);
    const picks = rng.choice(3, 30_000, { p: [1, 0, 3] });
    const counts = [0, 0, 0];
    for (const p of picks) counts[p]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 30_000).toBeCloseTo(0.25, 1);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const k = Math.floor(n / 2);
        const c = createRng(seed).choice(n, k, { replace: false });
        expect(new Set(c).size).toBe(k);
        expect(c.every((i) => i >= 0 && i < n)).toBe(true);
      }),
    );
    expectTailwiseError(
      () => rng.choice(3, 4, { replace: false }),
      'INVALID_OPTION',
      'at most n = 3',
    );
    expectTailwiseError(() => rng.choice(2, 1, { p: [-1, 2] }), 'INVALID_VALUE');
  });

  it('split streams are independent of later parent draws and reproducible', () => {
    const a = createRng(11);
    const childA = a.split();
    const b = createRng(11);
    const childB = b.split();
    b.uniform();
    expect(childA.uniform()).toBe(childB.uniform());
    expect(childA.nextSeed()).not.toBe(a.nextSeed());
    const s = a.nextSeed();
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });

  it('round-trips through JSON and refuses foreign state', () => {
    const a = createRng('run-1');
    a.uniform();
    const b = rngFromJSON(JSON.parse(JSON.stringify(a)));
    expect(b.uniform()).toBe(a.uniform());
    expect(a.toJSON()).toMatchObject({
      kind: 'tailwise.Rng',
      version: 1,
      algorithm: 'xoshiro128**',
    });
    expectTailwiseError(
      () => rngFromJSON({ kind: 'mt19937', s: [1, 2, 3, 4] }),
      'INVALID_FORMAT',
      'rngFromJSON: expected `json` to be a tailwise.Rng version 1 state, got kind "mt19937"',
    );
    // the pre-envelope spelling is refused too, naming what it found
    expectTailwiseError(
      () => rngFromJSON({ kind: 'xoshiro128**', s: [1, 2, 3, 4] }),
      'INVALID_FORMAT',
      'got kind "xoshiro128**"',
    );
    const saved = a.toJSON();
    expectTailwiseError(
      () => rngFromJSON({ ...saved, s: [1, 2, 3, -4] }),
      'INVALID_FORMAT',
      'four u32 words',
    );
    expectTailwiseError(() => rngFromJSON({ ...saved, version: 2 }), 'INVALID_FORMAT', 'version 2');
    expectTailwiseError(() => createRng(-1), 'INVALID_OPTION', 'createRng: expected `seed`');
  });
});
