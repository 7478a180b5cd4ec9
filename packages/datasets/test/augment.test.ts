import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, expectTailwiseError } from '../../../test/helpers';
import type { StrongAugmentOp } from '../src/augment';
import { strongAugment, strongAugmentOps, weakAugment } from '../src/augment';

/** One image as a flat HWC array with a reader. */
interface Img {
  h: number;
  w: number;
  c: number;
  v: number[];
}
const at = (im: Img, y: number, x: number, ch: number) => im.v[(y * im.w + x) * im.c + ch]!;
const mapImg = (im: Img, f: (y: number, x: number, ch: number) => number): number[] => {
  const out: number[] = [];
  for (let y = 0; y < im.h; y++)
    for (let x = 0; x < im.w; x++) for (let ch = 0; ch < im.c; ch++) out.push(f(y, x, ch));
  return out;
};
const clip = (v: number) => Math.min(1, Math.max(0, v));
const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) =>
  a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol);

/** Deterministic pseudo-random pixels in [0, 1] (no rng shared with the code under test). */
function pixels(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round((s / 2147483648) * 255) / 255;
  });
}

describe('weakAugment', () => {
  it('returns a new [B, H, W, C] tensor, leak-free, values unchanged in kind', () => {
    const x = tf.tensor4d(pixels(2 * 5 * 6 * 3, 1), [2, 5, 6, 3]);
    const out = expectNoLeak(() => weakAugment(x, { rng: createRng(0) }));
    expect(out.shape).toEqual([2, 5, 6, 3]);
    expect(out.dtype).toBe('float32');
    // A pixel permutation: the multiset of values of each image is kept up to padding copies,
    // so the range stays in [0, 1].
    for (const v of out.dataSync()) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    tf.dispose([x, out]);
  });

  it('is the identity for flip = false, translate = 0', () => {
    const values = pixels(3 * 4 * 4 * 1, 2);
    const x = tf.tensor4d(values, [3, 4, 4, 1]);
    const out = weakAugment(x, { rng: createRng(1), flip: false, translate: 0 });
    expect(out).not.toBe(x);
    expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, out]);
  });

  it('flips a hand-made 2×3 image exactly, about half of the time', () => {
    // [[1, 2, 3], [4, 5, 6]] / 10 and its mirror [[3, 2, 1], [6, 5, 4]] / 10.
    // Math.fround: the tensor holds float32 values and the comparison below is exact.
    const image = [1, 2, 3, 4, 5, 6].map((v) => Math.fround(v / 10));
    const mirror = [3, 2, 1, 6, 5, 4].map((v) => Math.fround(v / 10));
    const b = 40;
    const x = tf.tensor4d(Array.from({ length: b }, () => image).flat(), [b, 2, 3, 1]);
    const out = weakAugment(x, { rng: createRng(4), translate: 0 });
    const data = out.dataSync();
    let flipped = 0;
    for (let i = 0; i < b; i++) {
      const row = data.subarray(i * 6, i * 6 + 6);
      const isImage = sameValues(row, image, 0);
      const isMirror = sameValues(row, mirror, 0);
      expect(isImage || isMirror).toBe(true);
      if (isMirror) flipped++;
    }
    // Binomial(40, 0.5): 5 standard deviations is ±15.8.
    expect(Math.abs(flipped - 20)).toBeLessThan(16);
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(b);
    tf.dispose([x, out]);
  });

  it('translates with reflect padding: every output is a crop of the padded image or its mirror', () => {
    // 4×4 image 0..15 (/16), translate 0.25 → pad 1. Reflect padding (no edge repeat),
    // written out by hand:
    const padded = [
      [5, 4, 5, 6, 7, 6],
      [1, 0, 1, 2, 3, 2],
      [5, 4, 5, 6, 7, 6],
      [9, 8, 9, 10, 11, 10],
      [13, 12, 13, 14, 15, 14],
      [9, 8, 9, 10, 11, 10],
    ];
    const crops: string[] = [];
    for (const grid of [padded, padded.map((r) => [...r].reverse())]) {
      for (let oy = 0; oy <= 2; oy++) {
        for (let ox = 0; ox <= 2; ox++) {
          crops.push(
            grid
              .slice(oy, oy + 4)
              .flatMap((r) => r.slice(ox, ox + 4))
              .join(','),
          );
        }
      }
    }
    const b = 64;
    const base = Array.from({ length: 16 }, (_, i) => i / 16);
    const x = tf.tensor4d(Array.from({ length: b }, () => base).flat(), [b, 4, 4, 1]);
    const out = weakAugment(x, { rng: createRng(9), translate: 0.25 });
    const data = out.dataSync();
    const seen = new Set<string>();
    for (let i = 0; i < b; i++) {
      const key = Array.from(data.subarray(i * 16, i * 16 + 16), (v) => Math.round(v * 16)).join(
        ',',
      );
      expect(crops).toContain(key);
      seen.add(key);
    }
    // 18 equally likely (flip, dy, dx) outcomes over 64 draws.
    expect(seen.size).toBeGreaterThanOrEqual(10);
    tf.dispose([x, out]);
  });

  it('repeats per seed and differs across calls', () => {
    const x = tf.tensor4d(pixels(8 * 6 * 6, 3), [8, 6, 6, 1]);
    const rng = createRng(5);
    const a = weakAugment(x, { rng });
    const b = weakAugment(x, { rng });
    const again = weakAugment(x, { rng: createRng(5) });
    expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b, again]);
  });

  it('handles a side of 1 pixel (nothing to translate) and plain arrays', () => {
    const out = weakAugment([[[[0.5], [0.25]]]], {
      rng: createRng(0),
      translate: 0.5,
      flip: false,
    });
    expect(out.shape).toEqual([1, 1, 2, 1]);
    // Width 2, pad round(0.5·2) = 1: columns may swap by reflection ([a b] → [b a] or stay).
    const v = Array.from(out.dataSync());
    expect([
      [0.5, 0.25],
      [0.25, 0.5],
    ]).toContainEqual(v);
    out.dispose();
  });

  it('refuses bad inputs and options', () => {
    const rng = createRng(0);
    const x = tf.zeros([1, 2, 2, 1]);
    expectTailwiseError(
      () => weakAugment(tf.zeros([2, 2, 1]), { rng }),
      'SHAPE_MISMATCH',
      'weakAugment: expected `x` to be of rank 4, got shape [2, 2, 1]',
    );
    expectTailwiseError(
      () => weakAugment(x, { rng, translate: 0.6 }),
      'INVALID_OPTION',
      'weakAugment: expected `translate` to be a number in [0, 0.5], got 0.6',
    );
    expectTailwiseError(
      () => weakAugment(x, { rng, flip: 1 as never }),
      'INVALID_OPTION',
      'expected `flip` to be a boolean',
    );
    expectTailwiseError(
      () => weakAugment(x, {} as never),
      'INVALID_OPTION',
      'expected `rng` to be an Rng',
    );
    x.dispose();
  });
});

// ---------- plain-JS references of the RandAugment operations (one image) ----------

const factor = (m: number) => 0.1 + 1.8 * m;
const gray = (im: Img, y: number, x: number) =>
  im.c === 3
    ? 0.299 * at(im, y, x, 0) + 0.587 * at(im, y, x, 1) + 0.114 * at(im, y, x, 2)
    : at(im, y, x, 0);

function refAffine(im: Img, a: number[], fill: number): number[] {
  return mapImg(im, (y, x, ch) => {
    const sx = Math.round(a[0]! * x + a[1]! * y + a[2]!);
    const sy = Math.round(a[3]! * x + a[4]! * y + a[5]!);
    return sx >= 0 && sx < im.w && sy >= 0 && sy < im.h ? at(im, sy, sx, ch) : fill;
  });
}

function refEqualize(im: Img): number[] {
  const out = im.v.slice();
  for (let ch = 0; ch < im.c; ch++) {
    const hist = new Array(256).fill(0);
    const lv = (y: number, x: number) => Math.round(at(im, y, x, ch) * 255);
    for (let y = 0; y < im.h; y++) for (let x = 0; x < im.w; x++) hist[lv(y, x)]++;
    const present = hist.filter((h) => h > 0);
    const step = Math.floor((im.h * im.w - present[present.length - 1]) / 255);
    if (step === 0) continue;
    const lut: number[] = [];
    let n = Math.floor(step / 2);
    for (let i = 0; i < 256; i++) {
      lut.push(Math.min(255, Math.floor(n / step)));
      n += hist[i];
    }
    for (let y = 0; y < im.h; y++)
      for (let x = 0; x < im.w; x++) out[(y * im.w + x) * im.c + ch] = lut[lv(y, x)]! / 255;
  }
  return out;
}

/** Expected outputs of one op at magnitude m (both signs for the signed ones). */
function reference(op: StrongAugmentOp, im: Img, m: number, fill: number): number[][] {
  const f = factor(m);
  switch (op) {
    case 'identity':
      return [im.v.slice()];
    case 'brightness':
      return [im.v.map((v) => clip(f * v))];
    case 'color':
      return [
        mapImg(im, (y, x, ch) => clip(gray(im, y, x) + f * (at(im, y, x, ch) - gray(im, y, x)))),
      ];
    case 'contrast': {
      let mean = 0;
      for (let y = 0; y < im.h; y++)
        for (let x = 0; x < im.w; x++) mean += gray(im, y, x) / (im.h * im.w);
      return [im.v.map((v) => clip(mean + f * (v - mean)))];
    }
    case 'sharpness':
      return [
        mapImg(im, (y, x, ch) => {
          if (y === 0 || x === 0 || y === im.h - 1 || x === im.w - 1) return at(im, y, x, ch);
          let s = 4 * at(im, y, x, ch);
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) s += at(im, y + dy, x + dx, ch);
          s /= 13;
          return clip(s + f * (at(im, y, x, ch) - s));
        }),
      ];
    case 'solarize': {
      const t = 256 - Math.floor(256 * m);
      return [im.v.map((v) => (Math.round(v * 255) >= t ? 1 - v : v))];
    }
    case 'posterize': {
      const step = 2 ** Math.floor(4 * m);
      return [im.v.map((v) => (Math.floor(Math.round(v * 255) / step) * step) / 255)];
    }
    case 'autoContrast': {
      const lo: number[] = [];
      const hi: number[] = [];
      for (let ch = 0; ch < im.c; ch++) {
        const vs = im.v.filter((_, i) => i % im.c === ch);
        lo.push(Math.min(...vs));
        hi.push(Math.max(...vs));
      }
      return [
        mapImg(im, (y, x, ch) =>
          hi[ch]! > lo[ch]! ? (at(im, y, x, ch) - lo[ch]!) / (hi[ch]! - lo[ch]!) : at(im, y, x, ch),
        ),
      ];
    }
    case 'equalize':
      return [refEqualize(im)];
    case 'translateX':
    case 'translateY': {
      const t = Math.round(0.3 * m * (op === 'translateX' ? im.w : im.h));
      return [t, -t].map((s) =>
        refAffine(im, op === 'translateX' ? [1, 0, s, 0, 1, 0] : [1, 0, 0, 0, 1, s], fill),
      );
    }
    case 'shearX':
    case 'shearY':
      return [0.3 * m, -0.3 * m].map((s) =>
        refAffine(im, op === 'shearX' ? [1, s, 0, 0, 1, 0] : [1, 0, 0, s, 1, 0], fill),
      );
    case 'rotate': {
      const cx = (im.w - 1) / 2;
      const cy = (im.h - 1) / 2;
      return [1, -1].map((sign) => {
        const th = (sign * 30 * m * Math.PI) / 180;
        // Output pixel → input point: inverse rotation about the centre.
        return mapImg(im, (y, x, ch) => {
          const sx = Math.round(Math.cos(th) * (x - cx) - Math.sin(th) * (y - cy) + cx);
          const sy = Math.round(Math.sin(th) * (x - cx) + Math.cos(th) * (y - cy) + cy);
          return sx >= 0 && sx < im.w && sy >= 0 && sy < im.h ? at(im, sy, sx, ch) : fill;
        });
      });
    }
  }
}

describe('strongAugment', () => {
  it('matches a plain-JS reference for every operation, on 1 and 3 channels', () => {
    const m = 0.9; // shear 0.27, rotate 27°: no rounding ties on these grids
    for (const c of [1, 3]) {
      const [b, h, w] = [3, 6, 5];
      const values = pixels(b * h * w * c, 7 + c);
      // Image 2 is constant: autoContrast/equalize must leave it alone.
      values.fill(0.4, 2 * h * w * c);
      const x = tf.tensor4d(values, [b, h, w, c]);
      for (const op of strongAugmentOps) {
        const out = expectNoLeak(() =>
          strongAugment(x, {
            rng: createRng(1),
            ops: [op],
            n: 1,
            probability: 1,
            magnitude: m,
            cutout: 0,
          }),
        );
        expect(out.shape).toEqual([b, h, w, c]);
        const data = out.dataSync();
        for (let i = 0; i < b; i++) {
          const im: Img = { h, w, c, v: values.slice(i * h * w * c, (i + 1) * h * w * c) };
          const got = data.subarray(i * h * w * c, (i + 1) * h * w * c);
          const options = reference(op, im, m, 0.5);
          const ok = options.some((e) => sameValues(got, e));
          if (!ok)
            throw new Error(
              `${op} (C = ${c}, image ${i}): got [${Array.from(got).join(', ')}], expected one of ${JSON.stringify(options)}`,
            );
        }
        out.dispose();
      }
      x.dispose();
    }
  });

  it('equalizes like PIL on images large enough for a non-trivial lookup table', () => {
    // 20×20 = 400 pixels: step = ⌊(400 − h_last)/255⌋ = 1, so the table really remaps levels
    // (the 30-pixel images above only exercise the step = 0 "leave alone" branch).
    for (const c of [1, 3]) {
      const [b, h, w] = [2, 20, 20];
      const values = pixels(b * h * w * c, 20 + c);
      const x = tf.tensor4d(values, [b, h, w, c]);
      const out = expectNoLeak(() =>
        strongAugment(x, { rng: createRng(0), ops: ['equalize'], n: 1, probability: 1, cutout: 0 }),
      );
      const data = out.dataSync();
      for (let i = 0; i < b; i++) {
        const im: Img = { h, w, c, v: values.slice(i * h * w * c, (i + 1) * h * w * c) };
        const expected = refEqualize(im);
        expect(sameValues(expected, im.v)).toBe(false);
        expectClose(Array.from(data.subarray(i * h * w * c, (i + 1) * h * w * c)), expected);
      }
      tf.dispose([x, out]);
    }
  });

  it('draws magnitudes from {0.1, …, 0.9} when none is given (brightness factors)', () => {
    const b = 60;
    const x = tf.fill([b, 2, 2, 1], 0.5);
    const out = strongAugment(x, {
      rng: createRng(2),
      ops: ['brightness'],
      probability: 1,
      cutout: 0,
      n: 1,
    });
    const data = out.dataSync();
    const allowed = Array.from({ length: 9 }, (_, k) => Math.min(1, 0.5 * factor((k + 1) / 10)));
    const seen = new Set<number>();
    for (let i = 0; i < b; i++) {
      const v = data[i * 4]!;
      const k = allowed.findIndex((a) => Math.abs(a - v) < 1e-6);
      expect(k).toBeGreaterThanOrEqual(0);
      seen.add(k);
    }
    expect(seen.size).toBeGreaterThan(4);
    tf.dispose([x, out]);
  });

  it('keeps shape and the [0, 1] range, leak-free, for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom(1, 3),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        (seed, c, b, side) => {
          const x = tf.tensor4d(pixels(b * side * side * c, seed), [b, side, side, c]);
          const out = expectNoLeak(() => strongAugment(x, { rng: createRng(seed) }));
          expect(out.shape).toEqual([b, side, side, c]);
          const data = out.dataSync();
          for (const v of data) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
          tf.dispose([x, out]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('repeats per seed, differs across calls, and is the identity with probability 0 and no Cutout', () => {
    const x = tf.tensor4d(pixels(6 * 8 * 8 * 3, 4), [6, 8, 8, 3]);
    const rng = createRng(10);
    const a = strongAugment(x, { rng });
    const b = strongAugment(x, { rng });
    const again = strongAugment(x, { rng: createRng(10) });
    expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(a.dataSync()));
    const same = strongAugment(x, { rng, probability: 0, cutout: 0, n: 3 });
    expectClose(same, Array.from(x.dataSync()));
    tf.dispose([x, a, b, again, same]);
  });

  it('cuts out one gray square of side at most cutout·side, clipped at the border', () => {
    const [b, h, w] = [40, 8, 8];
    const x = tf.zeros([b, h, w, 1]);
    const out = strongAugment(x, { rng: createRng(6), ops: ['identity'], cutout: 0.5 });
    const data = out.dataSync();
    let nonEmpty = 0;
    for (let i = 0; i < b; i++) {
      const ys: number[] = [];
      const xs: number[] = [];
      let count = 0;
      for (let y = 0; y < h; y++) {
        for (let xx = 0; xx < w; xx++) {
          const v = data[(i * h + y) * w + xx]!;
          expect(v === 0 || v === 0.5).toBe(true);
          if (v === 0.5) {
            ys.push(y);
            xs.push(xx);
            count++;
          }
        }
      }
      if (count === 0) continue;
      nonEmpty++;
      const height = Math.max(...ys) - Math.min(...ys) + 1;
      const width = Math.max(...xs) - Math.min(...xs) + 1;
      // A filled rectangle of side ≤ 0.5·8 = 4; a square unless it touches the border.
      expect(count).toBe(height * width);
      expect(Math.max(height, width)).toBeLessThanOrEqual(4);
      const touches =
        Math.min(...ys) === 0 ||
        Math.min(...xs) === 0 ||
        Math.max(...ys) === h - 1 ||
        Math.max(...xs) === w - 1;
      if (!touches) expect(height).toBe(width);
    }
    expect(nonEmpty).toBeGreaterThan(b / 2);
    tf.dispose([x, out]);
  });

  it('refuses bad inputs and options', () => {
    const rng = createRng(0);
    const x = tf.zeros([1, 3, 3, 1]);
    expectTailwiseError(
      () => strongAugment(tf.zeros([1, 3, 3, 2]), { rng }),
      'SHAPE_MISMATCH',
      'strongAugment: expected `x` to be a batch of images [B, H, W, 1] or [B, H, W, 3], got shape [1, 3, 3, 2]',
    );
    expectTailwiseError(
      () => strongAugment(tf.zeros([3, 3]), { rng }),
      'SHAPE_MISMATCH',
      'expected `x` to be of rank 4',
    );
    expectTailwiseError(
      () => strongAugment(x, { rng, ops: ['invert' as never] }),
      'INVALID_OPTION',
      "strongAugment: expected `ops` to be one of 'identity', 'autoContrast'",
    );
    expectTailwiseError(
      () => strongAugment(x, { rng, ops: [] }),
      'INVALID_OPTION',
      'expected `ops` to be a non-empty array of operation names',
    );
    expectTailwiseError(
      () => strongAugment(x, { rng, magnitude: 2 }),
      'INVALID_OPTION',
      'expected `magnitude` to be a number in [0, 1], got 2',
    );
    expectTailwiseError(
      () => strongAugment(x, { rng, n: 1.5 }),
      'INVALID_OPTION',
      'expected `n` to be an integer >= 0, got 1.5',
    );
    expectTailwiseError(
      () => strongAugment(x, { rng, cutout: -1 }),
      'INVALID_OPTION',
      'expected `cutout` to be a number in [0, 1], got -1',
    );
    expectTailwiseError(
      () => strongAugment(x, {} as never),
      'INVALID_OPTION',
      'expected `rng` to be an Rng',
    );
    x.dispose();
  });
});
