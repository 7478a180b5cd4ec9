import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { RatioAdapter } from '../src/index';

const EPS = 1e-7;

// 2 classes, 4 samples, τ = 2 (bins [0, 0.5), [0.5, 1]):
//   sample  labels  probs
//   s0      [1, 0]  [0.9, 0.2]
//   s1      [1, 1]  [0.8, 0.8]
//   s2      [0, 0]  [0.2, 0.1]
//   s3      [0, 1]  [0.7, 0.4]
// class 0: positives 0.9, 0.8 -> bins 1, 1 -> P̂⁺ = [0, 1];   P⁺ = [1e-7, 1] -> D⁺₀ = 1·ln(1/1) = 0
//          negatives 0.2, 0.7 -> bins 0, 1 -> P̂⁻ = [.5, .5]; P⁻ = [1, 1e-7]
//          -> D⁻₀ = 0.5·ln(0.5/1) + 0.5·ln(0.5/1e-7) = 0.5·(−0.693147) + 0.5·15.424948 = 7.365901 (= a)
// class 1: positives 0.8, 0.4 -> bins 1, 0 -> D⁺₁ = a;  negatives 0.2, 0.1 -> bins 0, 0 -> D⁻₁ = 0
// z-scores (population std): D⁺ = [0, a]: mean a/2, std a/2 -> [−s, s], s = (a/2)/(a/2 + 1e-7) = 0.99999997
//                            D⁻ = [a, 0] -> [s, −s]
// D = D̃⁺ − D̃⁻ = [−2s, 2s]; λ = 0.5, r̄ = [1, 2] -> [1·e^(−s), 2·e^(s)] = [0.367879, 5.436564]
const LABELS = [
  [1, 0],
  [1, 1],
  [0, 0],
  [0, 1],
];
const PROBS = [
  [0.9, 0.2],
  [0.8, 0.8],
  [0.2, 0.1],
  [0.7, 0.4],
];
const A = 0.5 * Math.log(0.5) + 0.5 * Math.log(0.5 / EPS);
const S = A / 2 / (A / 2 + EPS);

describe('RatioAdapter', () => {
  it('updates the ratios from hand-computed histograms and KL values (τ = 2)', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 0.5, tau: 2 });
    adapter.observe(LABELS, PROBS);
    const result = await adapter.step();
    expect(A).toBeCloseTo(7.365901, 6);
    expect(result.positiveDivergence[0]).toBeCloseTo(0, 10);
    expect(result.positiveDivergence[1]).toBeCloseTo(A, 5);
    expect(result.negativeDivergence[0]).toBeCloseTo(A, 5);
    expect(result.negativeDivergence[1]).toBeCloseTo(0, 10);
    expect(result.divergence[0]).toBeCloseTo(-2 * S, 6);
    expect(result.divergence[1]).toBeCloseTo(2 * S, 6);
    expect(result.excluded).toEqual([]);
    expect(result.value[0]).toBeCloseTo(0.367879, 5);
    expect(result.value[1]).toBeCloseTo(5.436564, 5);
    expect(adapter.value).toEqual(result.value);
    expect(adapter.history).toEqual([[1, 2], result.value]);
    adapter.dispose();
  });

  it('bins the paper toy example with τ = 4 (Appendix B)', async () => {
    // class 0 is the paper's example; class 1 is perfectly predicted (D⁺ = D⁻ = 0).
    // positives 0.2, 0.6, 0.95, 0.99, 0.45 -> bins 0, 2, 3, 3, 1 -> P̂⁺ = [.2, .2, .2, .4]
    //   D⁺₀ = 3·0.2·ln(0.2/1e-7) + 0.4·ln(0.4/1) = 0.6·14.508658 − 0.366516 = 8.338678
    // negatives 0.1, 0.15, 0.8, 0.4, 0.3 -> bins 0, 0, 3, 1, 1 -> P̂⁻ = [.4, .4, 0, .2]
    //   D⁻₀ = 0.4·ln(0.4) + 0.4·ln(0.4/1e-7) + 0.2·ln(0.2/1e-7) = −0.366516 + 6.080722 + 2.901732 = 8.615937
    const y0 = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const p0 = [0.2, 0.6, 0.95, 0.99, 0.45, 0.1, 0.15, 0.8, 0.4, 0.3];
    const y1 = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const p1 = [0.05, 0.05, 0.05, 0.05, 0.05, 0.97, 0.97, 0.97, 0.97, 1.0];
    const labels = tf.tensor2d(y0.map((v, i) => [v, y1[i]!]));
    const probs = tf.tensor2d(p0.map((v, i) => [v, p1[i]!]));
    const adapter = new RatioAdapter({ initial: [1, 1], tau: 4 });
    adapter.observe(labels, probs);
    const result = await adapter.step();
    expect(result.positiveDivergence[0]).toBeCloseTo(8.338678, 5);
    expect(result.negativeDivergence[0]).toBeCloseTo(8.615937, 5);
    // 1.0 falls in the last bin: class 1's positives are all in the ideal bin
    expect(result.positiveDivergence[1]).toBeCloseTo(0, 10);
    expect(result.negativeDivergence[1]).toBeCloseTo(0, 10);
    tf.dispose([labels, probs]);
  });

  it('accumulates batches and resets after step', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 0.5, tau: 2 });
    adapter.observe(LABELS.slice(0, 2), PROBS.slice(0, 2));
    adapter.observe(LABELS.slice(2), PROBS.slice(2));
    expect(adapter.pendingBatches).toBe(2);
    const first = await adapter.step();
    expect(first.value[0]).toBeCloseTo(0.367879, 5);
    expect(first.value[1]).toBeCloseTo(5.436564, 5);
    expect(adapter.pendingBatches).toBe(0);
    // Second epoch sees only a batch where both classes are perfect: every D is 0, ratios stay.
    adapter.observe(
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    );
    const second = await adapter.step();
    expect(second.positiveDivergence).toEqual([0, 0]);
    expect(second.negativeDivergence).toEqual([0, 0]);
    expect(second.value[0]).toBeCloseTo(first.value[0]!, 10);
    expect(adapter.history.length).toBe(3);
    adapter.dispose();
  });

  it('leaves a class with no positives out of the z-scores; every ratio stays finite', async () => {
    // Classes 0 and 1 as in the τ = 2 example; class 2 has no positive sample, class 3 no negative.
    const labels = LABELS.map((row) => [...row, 0, 1]);
    const probs = PROBS.map((row) => [...row, 0.3, 0.6]);
    const adapter = new RatioAdapter({ initial: [1, 2, 0.5, 3], lambda: 0.5, tau: 2 });
    adapter.observe(labels, probs);
    const result = await adapter.step();
    expect(result.excluded).toEqual([2, 3]);
    expect(result.positiveDivergence[2]).toBeNull();
    expect(result.negativeDivergence[3]).toBeNull();
    expect(result.divergence[2]).toBe(0);
    expect(result.divergence[3]).toBe(0);
    // The other two are z-scored among themselves only: the same ±2s as without classes 2, 3.
    expect(result.divergence[0]).toBeCloseTo(-2 * S, 6);
    expect(result.divergence[1]).toBeCloseTo(2 * S, 6);
    expect(result.value[2]).toBe(0.5);
    expect(result.value[3]).toBe(3);
    for (const v of result.value) expect(Number.isFinite(v)).toBe(true);
    adapter.dispose();
  });

  it('keeps all ratios when every class is excluded or only one is left', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 1, tau: 2 });
    adapter.observe(
      [
        [1, 0],
        [1, 1],
      ],
      [
        [0.1, 0.9],
        [0.2, 0.3],
      ],
    ); // class 0 has no negatives
    const result = await adapter.step();
    expect(result.excluded).toEqual([0]);
    // one included class: x − mean = 0, so D = 0 (never 0/0)
    expect(result.divergence).toEqual([0, 0]);
    expect(result.value).toEqual([1, 2]);
    adapter.dispose();
  });

  it('clips the updated ratios', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 5, tau: 2, clip: [0.5, 3] });
    adapter.observe(LABELS, PROBS);
    const result = await adapter.step();
    // unclipped: 1·e^(−5·2s) ≈ 4.5e-5 and 2·e^(5·2s) ≈ 44053
    expect(result.value).toEqual([0.5, 3]);
    adapter.dispose();
  });

  it('starts from the mean, min or max of a given ratio', () => {
    const ratio = [1, 2, 6];
    expect(new RatioAdapter({ initial: 'mean', ratio }).value).toEqual([3, 3, 3]);
    expect(new RatioAdapter({ initial: 'min', ratio }).value).toEqual([1, 1, 1]);
    expect(new RatioAdapter({ initial: 'max', ratio: Float32Array.from(ratio) }).value).toEqual([
      6, 6, 6,
    ]);
    expect(new RatioAdapter({ initial: Float32Array.from([0.5, 0.25]) }).value).toEqual([
      0.5, 0.25,
    ]);
  });

  it('matches a plain-JS implementation of eq. 4–7 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (numClasses, tau, rows, seed) => {
          const rng = createRng(seed);
          // probabilities away from bin edges, so float32 and float64 agree on the bin
          const labels = Array.from({ length: rows }, () =>
            Array.from({ length: numClasses }, () => (rng.uniform() < 0.4 ? 1 : 0)),
          );
          const probs = labels.map((row) =>
            row.map(() => (rng.int(tau) + rng.uniform(0.1, 0.9)) / tau),
          );
          const initial = Array.from({ length: numClasses }, () => rng.uniform(0.1, 2));
          const lambda = 0.3;
          // reference
          const kl = (counts: number[], ideal: number) => {
            const total = counts.reduce((a, b) => a + b, 0);
            if (total === 0) return null;
            return counts.reduce(
              (acc, n, b) =>
                n === 0 ? acc : acc + (n / total) * Math.log(n / total / (b === ideal ? 1 : EPS)),
              0,
            );
          };
          const dPos: (number | null)[] = [];
          const dNeg: (number | null)[] = [];
          for (let c = 0; c < numClasses; c++) {
            const pos = new Array(tau).fill(0);
            const neg = new Array(tau).fill(0);
            labels.forEach((row, i) => {
              const bin = Math.min(Math.floor(probs[i]![c]! * tau), tau - 1);
              if (row[c] === 1) pos[bin] += 1;
              else neg[bin] += 1;
            });
            dPos.push(kl(pos, tau - 1));
            dNeg.push(kl(neg, 0));
          }
          const inc = dPos.map((d, c) => d !== null && dNeg[c] !== null);
          const z = (d: (number | null)[]) => {
            const xs = d.filter((_, c) => inc[c]) as number[];
            const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
            const std = Math.sqrt(
              xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(xs.length, 1),
            );
            return d.map((v, c) => (inc[c] ? (v! - mean) / (std + EPS) : 0));
          };
          const zp = z(dPos);
          const zn = z(dNeg);
          const expected = initial.map((r, c) => r * Math.exp(lambda * (zp[c]! - zn[c]!)));

          const adapter = new RatioAdapter({ initial, lambda, tau });
          adapter.observe(labels, probs);
          const result = await adapter.step();
          result.value.forEach((v, c) => {
            expect(Number.isFinite(v)).toBe(true);
            expect(v).toBeCloseTo(expected[c]!, 5);
          });
          adapter.dispose();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('holds two [C, τ] count tensors while an epoch is open, none after step or dispose', async () => {
    const before = tf.memory().numTensors;
    const adapter = new RatioAdapter({ initial: [1, 2], tau: 2 });
    expect(tf.memory().numTensors).toBe(before);
    adapter.observe(LABELS, PROBS);
    adapter.observe(LABELS, PROBS);
    expect(tf.memory().numTensors).toBe(before + 2);
    await adapter.step();
    expect(tf.memory().numTensors).toBe(before);
    const labels = tf.tensor2d(LABELS);
    const probs = tf.tensor2d(PROBS);
    const wrong = tf.zeros([4, 3]);
    tf.tidy(() => adapter.observe(labels, probs)); // the counts survive an enclosing tidy
    expect(tf.memory().numTensors).toBe(before + 5);
    expect(() => adapter.observe(labels, wrong)).toThrow(); // a refused batch leaks nothing
    expect(tf.memory().numTensors).toBe(before + 5);
    adapter.dispose();
    tf.dispose([labels, probs, wrong]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('toJSONAsync keeps the histograms of an unfinished epoch (mid-epoch checkpoints)', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 0.5, tau: 2 });
    adapter.observe(LABELS, PROBS);
    const json = JSON.parse(JSON.stringify(await adapter.toJSONAsync()));
    expect(json.pending.batches).toBe(1);
    const restored = RatioAdapter.fromJSON(json);
    // a second batch, then the epoch's step: the same ratios as without the round trip
    adapter.observe(LABELS, PROBS);
    restored.observe(LABELS, PROBS);
    expect((await restored.step()).value).toEqual((await adapter.step()).value);
    // without pending counts the restored adapter would have seen one batch only
    const fresh = RatioAdapter.fromJSON({ ...json, pending: null });
    await expect(fresh.step()).rejects.toThrow(/at least one training batch/);
    expect((await new RatioAdapter({ initial: [1, 2] }).toJSONAsync()).pending).toBeNull();
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...json, pending: { ...json.pending, positive: [1] } }),
      'INVALID_FORMAT',
      'pending',
    );
    adapter.dispose();
    restored.dispose();
  });

  it('round-trips through JSON and refuses unknown data', async () => {
    const adapter = new RatioAdapter({ initial: [1, 2], lambda: 0.5, tau: 2, clip: [0.1, 10] });
    adapter.observe(LABELS, PROBS);
    await adapter.step();
    const json = JSON.parse(JSON.stringify(adapter));
    const restored = RatioAdapter.fromJSON(json);
    expect(restored.toJSON()).toEqual(adapter.toJSON());
    expect(restored.tau).toBe(2);
    expect(restored.clip).toEqual([0.1, 10]);
    // restored and original continue identically
    adapter.observe(LABELS, PROBS);
    restored.observe(LABELS, PROBS);
    expect((await restored.step()).value).toEqual((await adapter.step()).value);

    const good = adapter.toJSON();
    expectTailwiseError(
      () => RatioAdapter.fromJSON('x'),
      'INVALID_FORMAT',
      'RatioAdapter.fromJSON: expected `json` to be a tailwise.RatioAdapter version 1 state, got "x"',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, kind: 'tailwise.EmaPrior' }),
      'INVALID_FORMAT',
      'kind',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, version: 3 }),
      'INVALID_FORMAT',
      'version 3',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, histograms: [] }),
      'INVALID_FORMAT',
      'unknown key "histograms"',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, value: [1, 0] }),
      'INVALID_FORMAT',
      'value',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, value: [1, Number.NaN] }),
      'INVALID_FORMAT',
      'value',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, history: [[1, 2, 3]] }),
      'INVALID_FORMAT',
      'history',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, tau: 1 }),
      'INVALID_FORMAT',
      '`tau`',
    );
    expectTailwiseError(
      () => RatioAdapter.fromJSON({ ...good, clip: 'no' }),
      'INVALID_FORMAT',
      'clip',
    );
  });

  it('refuses bad options and inputs', async () => {
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1, 2], tau: 1 }),
      'INVALID_OPTION',
      'RatioAdapter: expected `tau` to be an integer >= 2, got 1',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1, 2], tau: 2.5 }),
      'INVALID_OPTION',
      '`tau`',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1, 2], lambda: -1 }),
      'INVALID_OPTION',
      '`lambda`',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1, 0] }),
      'INVALID_VALUE',
      'RatioAdapter: expected `initial` to be positive ratios (> 0), got 0 at index 1',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1, Number.POSITIVE_INFINITY] }),
      'NON_FINITE',
      '`initial`',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [] }),
      'INVALID_OPTION',
      '`initial` to be a non-empty array',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: 'median' as never, ratio: [1] }),
      'INVALID_OPTION',
      "expected `initial` to be one of 'mean', 'min', 'max'",
    );
    expectTailwiseError(() => new RatioAdapter({ initial: 'mean' }), 'INVALID_OPTION', '`ratio`');
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1], ratio: [1] }),
      'INVALID_OPTION',
      '`ratio` to be absent',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1], clip: [2, 1] }),
      'INVALID_OPTION',
      '`clip[1]`',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1], clip: [1] as never }),
      'INVALID_OPTION',
      '`clip`',
    );
    expectTailwiseError(
      () => new RatioAdapter({ initial: [1], mu: 1 } as never),
      'INVALID_OPTION',
      '`mu`',
    );
    const adapter = new RatioAdapter({ initial: [1, 2] });
    expectTailwiseError(
      () => adapter.observe([[1, 0, 1]], [[0.5, 0.5, 0.5]]),
      'SHAPE_MISMATCH',
      'RatioAdapter.observe: expected `labels` to be of shape [*, 2], got shape [1, 3]',
    );
    expectTailwiseError(
      () => adapter.observe([[1, 0]], [[0.5, 0.5, 0.5]]),
      'SHAPE_MISMATCH',
      '`probs`',
    );
    expectTailwiseError(
      () => adapter.observe([[1, 0.5]], [[0.5, 0.5]]),
      'INVALID_VALUE',
      'expected `labels` to be made of 0/1 values, got 0.5',
    );
    expectTailwiseError(
      () => adapter.observe([[1, 0]], [[0.5, 1.5]]),
      'INVALID_VALUE',
      'probabilities in [0, 1]',
    );
    expectTailwiseError(
      () => adapter.observe([[1, 0]], [[0.5, Number.NaN]]),
      'NON_FINITE',
      '`probs`',
    );
    expect(adapter.pendingBatches).toBe(0);
    await expectTailwiseErrorAsync(
      () => adapter.step(),
      'INVALID_STATE',
      'RatioAdapter.step: expected `observe` to be called with at least one training batch',
    );
    adapter.dispose();
  });
});
