import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  gradientCheck,
} from '../../../test/helpers';
import { mixup } from '../src/mixup';

/** Plain-JS mixup of row-major rows: λ·a[i] + (1 − λ)·a[perm[i]]. */
function mixRows(a: number[][], lambda: number, perm: number[]): number[][] {
  return a.map((row, i) => row.map((v, j) => lambda * v + (1 - lambda) * a[perm[i]!]![j]!));
}

/**
 * Independent host version of the selected-subset pairing: key = rng permutation value, plus B
 * for unselected rows; order = argsort(key), twice; partner[i] = order2[position of i in order1].
 */
function hostSelectedPartners(selected: number[], rng: ReturnType<typeof createRng>): number[] {
  const b = selected.length;
  const order = () => {
    const keys = rng.permutation(b).map((k, i) => k + (selected[i] ? 0 : b));
    return keys.map((_, i) => i).sort((p, q) => keys[p]! - keys[q]!);
  };
  const first = order();
  const second = order();
  const position = new Array<number>(b);
  first.forEach((row, pos) => {
    position[row] = pos;
  });
  return position.map((pos) => second[pos]!);
}

describe('mixup', () => {
  it('draws λ = max(l, 1 − l) with l ~ Beta(α, α), then a permutation, from the rng', () => {
    for (const seed of [0, 1, 2, 3, 99]) {
      const ref = createRng(seed);
      const l = ref.beta(4, 4);
      const expectedLambda = Math.max(l, 1 - l);
      const expectedPerm = ref.permutation(5);
      const out = mixup(tf.zeros([5, 2]), tf.zeros([5, 3]), { rng: createRng(seed) });
      expect(out.lambda).toBe(expectedLambda);
      expect(out.permutation).toEqual(expectedPerm);
      tf.dispose([out.x, out.targets]);
    }
  });

  it('keeps λ in [0.5, 1] for any α (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0.05, max: 20, noNaN: true }), (seed, alpha) => {
        const out = mixup(
          [[1], [2]],
          [
            [1, 0],
            [0, 1],
          ],
          { alpha, rng: createRng(seed) },
        );
        expect(out.lambda).toBeGreaterThanOrEqual(0.5);
        expect(out.lambda).toBeLessThanOrEqual(1);
        tf.dispose([out.x, out.targets]);
      }),
      { numRuns: 40 },
    );
  });

  it('equals λ·a + (1 − λ)·a[π] for inputs and targets, computed independently, without leaks', () => {
    // 4 images of 2×2×1 with distinct pixels, one-hot targets over 3 classes.
    const images = Array.from({ length: 4 }, (_, i) => [i, i + 0.25, i + 0.5, i + 0.75]);
    const targets = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0.5, 0.5, 0],
    ];
    const x = tf.tensor4d(images.flat(), [4, 2, 2, 1]);
    const t = tf.tensor2d(targets);
    const out = expectNoLeak(() => mixup(x, t, { rng: createRng(5) }));
    expect(out.x.shape).toEqual([4, 2, 2, 1]);
    expect(out.targets.shape).toEqual([4, 3]);
    expect([...out.permutation].sort()).toEqual([0, 1, 2, 3]);
    expectClose(out.x, mixRows(images, out.lambda, out.permutation));
    expectClose(out.targets, mixRows(targets, out.lambda, out.permutation));
    tf.dispose([x, t, out.x, out.targets]);
  });

  it('keeps target rows summing to 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(
          fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
          { minLength: 1, maxLength: 6 },
        ),
        (seed, raw) => {
          const targets = raw.map((row) => {
            const s = row.reduce((a, b) => a + b, 0);
            return row.map((v) => v / s);
          });
          const out = mixup(
            targets.map((_, i) => [i]),
            targets,
            { rng: createRng(seed) },
          );
          const sums = tf.sum(out.targets, 1);
          expectClose(sums, new Array(targets.length).fill(1), 1e-5);
          tf.dispose([sums, out.x, out.targets]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('differs across calls, repeats per seed', () => {
    const x = tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i]));
    const t = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
    const rng = createRng(8);
    const first = mixup(x, t, { rng });
    const second = mixup(x, t, { rng });
    expect(second.lambda).not.toBe(first.lambda);
    const again = mixup(x, t, { rng: createRng(8) });
    expect(again.lambda).toBe(first.lambda);
    expect(again.permutation).toEqual(first.permutation);
    expect(Array.from(again.x.dataSync())).toEqual(Array.from(first.x.dataSync()));
    tf.dispose([x, t, first.x, first.targets, second.x, second.targets, again.x, again.targets]);
  });

  it('is differentiable in x (gradient check)', () => {
    const t = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const weights = tf.tensor2d([
      [0.3, -1.2],
      [2.0, 0.7],
      [-0.4, 1.1],
    ]);
    const x0 = tf.tensor2d([
      [0.1, 0.9],
      [0.5, -0.3],
      [1.5, 0.2],
    ]);
    // A fresh rng per evaluation: the same λ and permutation every time. Seed 3 gives the
    // 3-cycle [2, 0, 1], which is not its own inverse, so a gradient routed through the
    // permutation instead of its inverse would fail the check.
    const probe = mixup(x0, t, { rng: createRng(3) });
    expect(probe.permutation).toEqual([2, 0, 1]);
    tf.dispose([probe.x, probe.targets]);
    gradientCheck(
      (x) => tf.sum(tf.mul(mixup(x, t, { rng: createRng(3) }).x, weights)) as tf.Scalar,
      x0,
    );
    tf.dispose([t, weights, x0]);
  });

  it('with `selected`: λ, then two permutations from the rng; partners as an independent host sort', () => {
    for (const seed of [0, 1, 7, 42]) {
      const selected = [1, 0, 1, 1, 0, 1, 0, 1];
      const ref = createRng(seed);
      const l = ref.beta(4, 4);
      const expectedLambda = Math.max(l, 1 - l);
      const expectedPartners = hostSelectedPartners(selected, ref);
      const rows = Array.from({ length: 8 }, (_, i) => [i, 10 * i]);
      const targets = Array.from({ length: 8 }, (_, i) => [i % 2, 1 - (i % 2)]);
      const x = tf.tensor2d(rows);
      const t = tf.tensor2d(targets);
      const sel = tf.tensor1d(selected);
      const out = expectNoLeak(() => mixup(x, t, { rng: createRng(seed), selected: sel }));
      expect(out.lambda).toBe(expectedLambda);
      expect(out.partners.dtype).toBe('int32');
      const partners = Array.from(out.partners.dataSync());
      expect(partners).toEqual(expectedPartners);
      expectClose(out.x, mixRows(rows, out.lambda, partners));
      expectClose(out.targets, mixRows(targets, out.lambda, partners));
      // the rng advanced exactly as the reference: next draws agree
      tf.dispose([x, t, sel, out.x, out.targets, out.partners]);
    }
  });

  it('with `selected`: a permutation that keeps selected rows among themselves (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        (seed, bits) => {
          const selected = bits.map((v) => (v ? 1 : 0));
          const b = selected.length;
          const out = mixup(
            Array.from({ length: b }, (_, i) => [i]),
            Array.from({ length: b }, () => [1]),
            { rng: createRng(seed), selected },
          );
          const partners = Array.from(out.partners.dataSync());
          expect([...partners].sort((p, q) => p - q)).toEqual(partners.map((_, i) => i));
          partners.forEach((p, i) => {
            expect(selected[p]).toBe(selected[i]);
          });
          tf.dispose([out.x, out.targets, out.partners]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('with `selected`: differentiable in x through the inverse permutation (gradient check)', () => {
    const t = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const weights = tf.tensor2d([
      [0.3, -1.2],
      [2.0, 0.7],
      [-0.4, 1.1],
      [0.9, 0.2],
    ]);
    const x0 = tf.tensor2d([
      [0.1, 0.9],
      [0.5, -0.3],
      [1.5, 0.2],
      [-0.7, 0.4],
    ]);
    const selected = [1, 1, 1, 0];
    // find a seed whose pairing of the 3 selected rows is a 3-cycle (not its own inverse)
    let seed = 0;
    for (; seed < 100; seed++) {
      const p = hostSelectedPartners(
        selected,
        (() => {
          const r = createRng(seed);
          r.beta(4, 4);
          return r;
        })(),
      );
      if (p[p[0]!] !== 0) break;
    }
    expect(seed).toBeLessThan(100);
    gradientCheck(
      (x) =>
        tf.sum(tf.mul(mixup(x, t, { rng: createRng(seed), selected }).x, weights)) as tf.Scalar,
      x0,
    );
    tf.dispose([t, weights, x0]);
  });

  it('refuses bad options and shapes', () => {
    const rng = createRng(0);
    const x = [[1], [2]];
    const t = [
      [1, 0],
      [0, 1],
    ];
    expectTailwiseError(
      () => mixup(x, t, { rng, alpha: 0 }),
      'INVALID_OPTION',
      'mixup: expected `alpha` to be a number > 0, got 0',
    );
    expectTailwiseError(
      () => mixup(x, t, {} as never),
      'INVALID_OPTION',
      'mixup: expected `rng` to be an Rng',
    );
    expectTailwiseError(
      () => mixup(x, [[1, 0]], { rng }),
      'SHAPE_MISMATCH',
      'mixup: expected `targets` to be of shape [2, *] (one row per input in `x`), got shape [1, 2]',
    );
    expectTailwiseError(
      () => mixup(x, [1, 0], { rng }),
      'SHAPE_MISMATCH',
      'expected `targets` to be of rank 2, got shape [2]',
    );
    expectTailwiseError(
      () => mixup(x, t, { rng, selected: [1, 0, 1] }),
      'SHAPE_MISMATCH',
      'mixup: expected `selected` to be',
    );
    expectTailwiseError(
      () => mixup(x, t, { rng, beta: 2 } as never),
      'INVALID_OPTION',
      'expected `beta` to be one of the known options',
    );
  });
});
