import type { Dataset } from '@tailwise/core';
import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { superimpose } from '../src/superimpose';

function images(
  h: number,
  w: number,
  pixels: number[][],
  labels: number[],
  numClasses: number,
): Dataset {
  return {
    name: 'toy',
    size: labels.length,
    inputShape: [h, w, 1],
    features: Uint8Array.from(pixels.flat()),
    numClasses,
    labels: Int32Array.from(labels),
  };
}

const sample = (d: Dataset, i: number) => {
  const area = d.inputShape[0]! * d.inputShape[1]!;
  return Array.from(d.features.subarray(i * area, (i + 1) * area));
};
const labelsOf = (d: Dataset, i: number) =>
  Array.from(d.multiLabels!.subarray(i * d.numClasses, (i + 1) * d.numClasses));

describe('superimpose', () => {
  it('labels each sample with the union of the labels of the sources it shows', () => {
    // Six 3×3 images; image k is black except pixel k, which holds 10 + k. Labels k mod 3.
    // With canvas 3 and shift 0 the sources sit where they are, so pixel k of an output is
    // lit iff image k was drawn, and its label set is known from the pixels alone.
    const pix = Array.from({ length: 6 }, (_, k) =>
      Array.from({ length: 9 }, (_, p) => (p === k ? 10 + k : 0)),
    );
    const data = images(3, 3, pix, [0, 1, 2, 0, 1, 2], 3);
    const out = superimpose(data, { rng: createRng(1), count: 3, shift: 0, canvas: 3, size: 300 });
    expect(out.size).toBe(300);
    expect(out.inputShape).toEqual([3, 3, 1]);
    expect(out.features).toBeInstanceOf(Uint8Array);
    expect(out.features.length).toBe(300 * 9);
    expect(out.labels).toBeUndefined();
    let withRepeat = 0;
    for (let i = 0; i < out.size; i++) {
      const canvas = sample(out, i);
      const shown = [0, 1, 2, 3, 4, 5].filter((k) => canvas[k] === 10 + k);
      // Nothing else is lit: pixels 6..8 stay black, lit pixels hold their image's value.
      canvas.forEach((v, p) => {
        expect(v === 0 || (p < 6 && v === 10 + p)).toBe(true);
      });
      expect(shown.length).toBeGreaterThanOrEqual(1);
      expect(shown.length).toBeLessThanOrEqual(3);
      const union = [0, 0, 0];
      for (const k of shown) union[k % 3] = 1;
      expect(labelsOf(out, i)).toEqual(union);
      if (union.reduce((a, b) => a + b, 0) < 3) withRepeat++;
    }
    // Classes are drawn with replacement by default, so some samples repeat a class.
    expect(withRepeat).toBeGreaterThan(0);
  });

  it('takes the pixel-wise maximum where sources overlap', () => {
    // 1×1 images 100 (class 0) and 200 (class 1); two sources per sample on a 1×1 canvas.
    const data = images(1, 1, [[100], [200]], [0, 1], 2);
    const out = superimpose(data, { rng: createRng(2), count: 2, shift: 0, canvas: 1, size: 50 });
    let both = 0;
    for (let i = 0; i < out.size; i++) {
      const [has100, has200] = labelsOf(out, i);
      expect(out.features[i]).toBe(has200 === 1 ? 200 : 100);
      expect(has100 === 1 || has200 === 1).toBe(true);
      if (has100 === 1 && has200 === 1) both++;
    }
    // Overlaps of the two values happen (P = 1/2 per sample), so max(100, 200) was taken.
    expect(both).toBeGreaterThan(0);
  });

  it('centres each source on the canvas and shifts it by at most `shift`, cutting what falls off', () => {
    const data = images(2, 2, [[1, 2, 3, 4]], [0], 1);
    // Canvas 6, shift 0: the image sits at rows/cols 2..3.
    const still = superimpose(data, { rng: createRng(0), count: 1, shift: 0, canvas: 6, size: 1 });
    // biome-ignore format: a 6×6 canvas
    expect(sample(still, 0)).toEqual([
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 1, 2, 0, 0,
      0, 0, 3, 4, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
    ]);
    // Canvas 2, shift 1: every output is the image moved by (dy, dx) ∈ {−1, 0, 1}², clipped.
    const place = (dy: number, dx: number) =>
      [0, 1, 2, 3].map((p) => {
        const r = Math.floor(p / 2) - dy;
        const c = (p % 2) - dx;
        return r >= 0 && r < 2 && c >= 0 && c < 2 ? [1, 2, 3, 4][r * 2 + c]! : 0;
      });
    const options = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => place(dy, dx).join(',')));
    const moved = superimpose(data, {
      rng: createRng(3),
      count: 1,
      shift: 1,
      canvas: 2,
      size: 200,
    });
    const seen = new Set<string>();
    for (let i = 0; i < moved.size; i++) {
      const key = sample(moved, i).join(',');
      expect(options).toContain(key);
      seen.add(key);
    }
    expect(seen.size).toBe(9);
  });

  it('draws source classes in proportion to classWeights, uniformly without them', () => {
    // Class 0 has 8 images, class 1 has 1, class 2 has 3.
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2];
    const data = images(
      1,
      1,
      labels.map(() => [1]),
      labels,
      3,
    );
    const n = 6000;
    const check = (weights: number[], got: Dataset) => {
      const counts = [0, 0, 0];
      for (let i = 0; i < n; i++)
        labelsOf(got, i).forEach((v, k) => {
          counts[k]! += v;
        });
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, k) => {
        const p = w / total;
        // One source per sample: class counts are multinomial; 5 standard errors.
        expect(Math.abs(counts[k]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
      });
    };
    check(
      [0.7, 0.2, 0.1],
      superimpose(data, {
        rng: createRng(4),
        count: 1,
        shift: 0,
        canvas: 1,
        size: n,
        classWeights: [0.7, 0.2, 0.1],
      }),
    );
    check(
      [1, 1, 1],
      superimpose(data, { rng: createRng(5), count: 1, shift: 0, canvas: 1, size: n }),
    );
    // The source's own counts as weights: images drawn uniformly (paper 002's training set).
    check(
      [8, 1, 3],
      superimpose(data, {
        rng: createRng(6),
        count: 1,
        shift: 0,
        canvas: 1,
        size: n,
        classWeights: [8, 1, 3],
      }),
    );
    // A zero weight never appears.
    const none = superimpose(data, {
      rng: createRng(7),
      count: 2,
      shift: 0,
      canvas: 1,
      size: 500,
      classWeights: [1, 0, 1],
    });
    for (let i = 0; i < none.size; i++) expect(labelsOf(none, i)[1]).toBe(0);
  });

  it('gives every sample `count` different labels with `distinct` (paper 002 test set)', () => {
    const labels = [0, 1, 2, 3, 0, 1, 2, 3];
    const data = images(
      1,
      1,
      labels.map((_, i) => [i + 1]),
      labels,
      4,
    );
    const out = superimpose(data, {
      rng: createRng(8),
      count: 3,
      distinct: true,
      shift: 0,
      canvas: 1,
      size: 400,
    });
    for (let i = 0; i < out.size; i++) expect(labelsOf(out, i).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('is reproducible per seed, differs across seeds, uses the paper defaults and makes no tensors', () => {
    const pix = Array.from({ length: 10 }, (_, k) =>
      Array.from({ length: 28 * 28 }, (_, p) => (p * 7 + k * 13) % 256),
    );
    const data = images(28, 28, pix, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10);
    const before = tf.memory().numTensors;
    const a = superimpose(data, { rng: createRng(9) });
    const b = superimpose(data, { rng: createRng(9) });
    const c = superimpose(data, { rng: createRng(10) });
    expect(tf.memory().numTensors).toBe(before);
    // Defaults: count 2, shift 6, canvas 32, size = dataset.size.
    expect(a.inputShape).toEqual([32, 32, 1]);
    expect(a.size).toBe(10);
    expect(a.name).toBe('multi-toy');
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.multiLabels!)).toEqual(Array.from(b.multiLabels!));
    expect(Array.from(a.features)).not.toEqual(Array.from(c.features));
    for (let i = 0; i < a.size; i++) {
      const k = labelsOf(a, i).reduce((s, v) => s + v, 0);
      expect(k === 1 || k === 2).toBe(true);
    }
  });

  it('keeps float features as float32', () => {
    const data: Dataset = {
      ...images(1, 2, [[0, 0]], [0], 1),
      features: Float32Array.from([0.25, 0.75]),
    };
    const out = superimpose(data, { rng: createRng(0), count: 2, shift: 0, canvas: 2, size: 1 });
    expect(out.features).toBeInstanceOf(Float32Array);
    // A 1×2 image on a 2×2 canvas: top margin ⌊(2 − 1)/2⌋ = 0, so it fills row 0.
    expect(Array.from(out.features)).toEqual([0.25, 0.75, 0, 0]);
  });

  it('refuses bad datasets and options', () => {
    const rng = createRng(0);
    const data = images(1, 1, [[1], [2]], [0, 1], 2);
    const { labels: _unused, ...unlabeled } = data;
    expectTailwiseError(
      () => superimpose(unlabeled, { rng }),
      'INVALID_VALUE',
      'superimpose: expected `dataset.labels` to be present',
    );
    expectTailwiseError(
      () => superimpose({ ...data, inputShape: [1, 1, 3] }, { rng }),
      'SHAPE_MISMATCH',
      'expected `dataset.inputShape` to be images [H, W] or [H, W, 1], got inputShape [1, 1, 3]',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, classWeights: [1] }),
      'SHAPE_MISMATCH',
      'expected `classWeights` to be an array of 2 numbers (one per class), got 1 entries',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, classWeights: [1, -1] }),
      'INVALID_OPTION',
      'non-negative finite weights, got -1 at class 1',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, classWeights: [0, 0] }),
      'INVALID_OPTION',
      'positive for at least one class',
    );
    expectTailwiseError(
      () => superimpose(images(1, 1, [[1]], [0], 2), { rng, classWeights: [1, 1] }),
      'INVALID_OPTION',
      '1 for class 1, which has no image',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, count: 3, distinct: true }),
      'INVALID_OPTION',
      'expected `count` to be at most 2 (classes with positive weight) when `distinct`, got 3',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, count: 0 }),
      'INVALID_OPTION',
      'expected `count` to be an integer >= 1, got 0',
    );
    expectTailwiseError(
      () => superimpose(data, { rng, shift: 1.5 }),
      'INVALID_OPTION',
      'expected `shift` to be an integer >= 0, got 1.5',
    );
    expectTailwiseError(
      () => superimpose(data, {} as never),
      'INVALID_OPTION',
      'expected `rng` to be an Rng',
    );
    expectTailwiseError(
      () => superimpose({ ...data, features: new Uint8Array(3) }, { rng }),
      'INVALID_VALUE',
      'expected `dataset.features` to be 2 × 1 pixel values',
    );
    expectTailwiseError(
      () => superimpose({ ...data, features: Float32Array.from([0, Number.NaN]) }, { rng }),
      'NON_FINITE',
      'expected `dataset.features` to be finite everywhere, got NaN at flat index 1',
    );
  });
});
