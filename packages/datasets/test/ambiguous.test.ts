import type { Dataset } from '@tailwise/core';
import { createRng } from '@tailwise/core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { ambiguousMixup, ambiguousPatchMix } from '../src/index';

/** n one-hot feature vectors of length n (row k is 1 at k), labels k mod c. */
function oneHotVectors(n: number, c: number, uint8 = false): Dataset {
  const f = uint8 ? new Uint8Array(n * n) : new Float32Array(n * n);
  for (let k = 0; k < n; k++) f[k * n + k] = uint8 ? 255 : 1;
  return {
    name: 'toy',
    size: n,
    inputShape: [n],
    features: f,
    numClasses: c,
    labels: Int32Array.from({ length: n }, (_, k) => k % c),
  };
}

/** n images h×w×1 whose pixels all equal k + 1 (image k), labels k mod c. */
function flatImages(n: number, h: number, w: number, c: number): Dataset {
  const f = new Uint8Array(n * h * w);
  for (let k = 0; k < n; k++) f.fill(k + 1, k * h * w, (k + 1) * h * w);
  return {
    name: 'img',
    size: n,
    inputShape: [h, w, 1],
    features: f,
    numClasses: c,
    labels: Int32Array.from({ length: n }, (_, k) => k % c),
  };
}

const row = (a: Uint8Array | Float32Array, i: number, d: number) =>
  Array.from(a.subarray(i * d, (i + 1) * d));

describe('ambiguousMixup', () => {
  it('mixes m distinct instances with multinomial weights; soft label = Σ λ·onehot', () => {
    for (const uint8 of [false, true]) {
      const data = oneHotVectors(6, 3, uint8);
      const q = ambiguousMixup(data, { m: 2, r: 4, size: 300, rng: createRng(1) });
      expect(q.name).toBe('toy-q');
      expect(q.size).toBe(300);
      expect(q.features).toBeInstanceOf(Float32Array);
      for (let s = 0; s < q.size; s++) {
        // feature k of the mixture is λ of source k (the sources are one-hot vectors)
        const lambda = row(q.features, s, 6);
        const shown = lambda.filter((v) => v > 0);
        expect(shown.length).toBeGreaterThanOrEqual(1);
        expect(shown.length).toBeLessThanOrEqual(2);
        for (const v of lambda) expect(Math.abs(v * 4 - Math.round(v * 4))).toBeLessThan(1e-6);
        expect(lambda.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        const soft = [0, 0, 0];
        lambda.forEach((v, k) => {
          soft[k % 3]! += v;
        });
        const got = row(q.softLabels!, s, 3);
        got.forEach((v, k) => {
          expect(v).toBeCloseTo(soft[k]!, 6);
        });
        // the quantized label is a class the mixture shows
        expect(got[q.labels![s]!]!).toBeGreaterThan(0);
      }
    }
  });

  it('λ follows Multinomial(r; 1/m) and hard labels follow the soft labels', () => {
    const data = oneHotVectors(40, 4);
    const q = ambiguousMixup(data, { m: 2, r: 4, size: 4000, rng: createRng(5) });
    let half = 0;
    let single = 0;
    const hardFreq = [0, 0, 0, 0];
    const softMean = [0, 0, 0, 0];
    for (let s = 0; s < q.size; s++) {
      const shown = row(q.features, s, 40).filter((v) => v > 0);
      if (shown.length === 2 && Math.abs(shown[0]! - 0.5) < 1e-6) half++;
      if (shown.length === 1) single++;
      hardFreq[q.labels![s]!]! += 1 / q.size;
      row(q.softLabels!, s, 4).forEach((v, k) => {
        softMean[k]! += v / q.size;
      });
    }
    // P(counts = (2, 2)) = 6/16, P(one instance gets all 4 trials) = 2/16
    expect(Math.abs(half / q.size - 6 / 16)).toBeLessThan(0.03);
    expect(Math.abs(single / q.size - 2 / 16)).toBeLessThan(0.02);
    for (let k = 0; k < 4; k++) expect(Math.abs(hardFreq[k]! - softMean[k]!)).toBeLessThan(0.025);
  });

  it('is reproducible per seed and leaves the source (and any test set) untouched', () => {
    const data = oneHotVectors(8, 2);
    const before = { f: Array.from(data.features), y: Array.from(data.labels!) };
    const a = ambiguousMixup(data, { m: 3, size: 50, rng: createRng(9) });
    const b = ambiguousMixup(data, { m: 3, size: 50, rng: createRng(9) });
    const c = ambiguousMixup(data, { m: 3, size: 50, rng: createRng(10) });
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.labels!)).toEqual(Array.from(b.labels!));
    expect(Array.from(a.features)).not.toEqual(Array.from(c.features));
    expect(Array.from(data.features)).toEqual(before.f);
    expect(Array.from(data.labels!)).toEqual(before.y);
    expect(data.softLabels).toBeUndefined();
    // default size: one mixture per source sample
    expect(ambiguousMixup(data, { rng: createRng(0) }).size).toBe(8);
  });

  it('refuses m < 2, bad r, missing rng and labels out of range', () => {
    const data = oneHotVectors(6, 3);
    const rng = createRng(0);
    expectTailwiseError(
      () => ambiguousMixup(data, { m: 1, rng }),
      'INVALID_OPTION',
      /ambiguousMixup: expected `m` to be an integer >= 2, got 1/,
    );
    expectTailwiseError(() => ambiguousMixup(data, { m: 2.5, rng }), 'INVALID_OPTION', /`m`/);
    expectTailwiseError(() => ambiguousMixup(data, { m: 7, rng }), 'INVALID_OPTION', /at most/);
    expectTailwiseError(() => ambiguousMixup(data, { r: 0, rng }), 'INVALID_OPTION', /`r`/);
    expectTailwiseError(() => ambiguousMixup(data, {} as never), 'INVALID_OPTION', /`rng`/);
    const bad = { ...data, labels: Int32Array.from([0, 1, 2, 3, 0, 1]) };
    expectTailwiseError(
      () => ambiguousMixup(bad, { rng }),
      'INVALID_VALUE',
      /expected `dataset.labels` to be class indices in \[0, 2\], got 3 at index 3/,
    );
    const { labels: _drop, ...unlabeled } = data;
    expectTailwiseError(() => ambiguousMixup(unlabeled, { rng }), 'INVALID_VALUE', /labels/);
  });
});

describe('ambiguousPatchMix', () => {
  it('fills each patch from one of m instances; soft label = shares of patches', () => {
    const data = flatImages(8, 4, 4, 3);
    const q = ambiguousPatchMix(data, { m: 4, size: 200, rng: createRng(2) });
    expect(q.features).toBeInstanceOf(Uint8Array);
    expect(q.inputShape).toEqual([4, 4, 1]);
    for (let s = 0; s < q.size; s++) {
      const img = row(q.features, s, 16);
      const soft = [0, 0, 0];
      for (const [r0, c0] of [
        [0, 0],
        [0, 2],
        [2, 0],
        [2, 2],
      ] as const) {
        const v = img[r0 * 4 + c0]!;
        // the 2×2 patch is one source's
        for (const [dr, dc] of [
          [0, 1],
          [1, 0],
          [1, 1],
        ])
          expect(img[(r0 + dr!) * 4 + c0 + dc!]).toBe(v);
        soft[(v - 1) % 3]! += 0.25;
      }
      const got = row(q.softLabels!, s, 3);
      got.forEach((v, k) => {
        expect(v).toBeCloseTo(soft[k]!, 6);
      });
      expect(got[q.labels![s]!]!).toBeGreaterThan(0);
      // at most m distinct sources
      expect(new Set(img).size).toBeLessThanOrEqual(4);
    }
  });

  it('uses pixel shares when the grid does not divide the image', () => {
    // 4×4 with grid 3: borders at 0, 1, 2, 4 -> patch areas 1, 1, 2 / 1, 1, 2 / 2, 2, 4 of 16
    const data = flatImages(10, 4, 4, 5);
    const q = ambiguousPatchMix(data, { m: 3, grid: 3, size: 100, rng: createRng(4) });
    for (let s = 0; s < q.size; s++) {
      const soft = [0, 0, 0, 0, 0];
      for (const v of row(q.features, s, 16)) soft[(v - 1) % 5]! += 1 / 16;
      row(q.softLabels!, s, 5).forEach((v, k) => {
        expect(v).toBeCloseTo(soft[k]!, 6);
      });
    }
  });

  it('is reproducible per seed and leaves the source untouched', () => {
    const data = flatImages(8, 4, 4, 3);
    const before = Array.from(data.features);
    const a = ambiguousPatchMix(data, { size: 30, rng: createRng(3) });
    const b = ambiguousPatchMix(data, { size: 30, rng: createRng(3) });
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.labels!)).toEqual(Array.from(b.labels!));
    expect(Array.from(data.features)).toEqual(before);
  });

  it('refuses m < 2, r ≠ grid², a grid finer than the image and non-images', () => {
    const data = flatImages(8, 4, 4, 3);
    const rng = createRng(0);
    expectTailwiseError(
      () => ambiguousPatchMix(data, { m: 1, rng }),
      'INVALID_OPTION',
      /ambiguousPatchMix: expected `m` to be an integer >= 2, got 1/,
    );
    expectTailwiseError(
      () => ambiguousPatchMix(data, { r: 5, rng }),
      'INVALID_OPTION',
      /expected `r` to be grid² = 4 \(one multinomial trial per patch\), got 5/,
    );
    expectTailwiseError(
      () => ambiguousPatchMix(data, { grid: 5, rng }),
      'INVALID_OPTION',
      /`grid`/,
    );
    expectTailwiseError(
      () => ambiguousPatchMix(oneHotVectors(6, 3), { m: 2, rng }),
      'INVALID_VALUE',
      /images/,
    );
  });
});
