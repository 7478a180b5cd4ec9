import { createRng } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTensor,
  gradientCheck,
} from '../../../test/helpers';
import {
  cpuRisk,
  jensenShannonLoss,
  SJS_ALPHA_FLOOR,
  sampleSjsAlpha,
  scaledSjsDivergence,
} from '../src/index';

const LN2 = Math.LN2;
const LN3 = Math.log(3);

// Independent float64 implementations on the host.
const kl = (p: number[], q: number[]) =>
  p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * Math.log(pi / q[i]!)), 0);
function sjsHost(p: number[], q: number[], a: number, scaled = true): number {
  const m = p.map((pi, i) => a * pi + (1 - a) * q[i]!);
  const d = a * kl(p, m) + (1 - a) * kl(q, m);
  return scaled ? (-1 / ((1 - a) * Math.log(1 - a))) * d : d;
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Algorithm 1 on the host, with `l(g, t)` given. */
function cpuHost(
  labels: number[],
  g: number[][],
  l: (g: number, positive: boolean) => number,
  pi1: number,
  pi2: number,
): { objective: number; risk: number } {
  const c = g[0]!.length;
  let objective = 0;
  let risk = 0;
  for (let j = 0; j < c; j++) {
    const pos = labels.map((y, i) => (y === j ? i : -1)).filter((i) => i >= 0);
    const mean = (xs: number[]) =>
      xs.length === 0 ? 0 : xs.reduce((s, v) => s + v, 0) / xs.length;
    const rp = mean(pos.map((i) => l(g[i]![j]!, true)));
    const rpn = mean(pos.map((i) => l(g[i]![j]!, false)));
    const run = mean(g.map((row) => l(row[j]!, false)));
    const neg = run - pi2 * rpn;
    objective += neg >= 0 ? pi1 * rp + neg : -neg;
    risk += pi1 * rp + Math.max(neg, 0);
  }
  return { objective: objective / c, risk: risk / c };
}

describe('scaledSjsDivergence', () => {
  const P = [
    [1, 0],
    [0.2, 0.8],
    [0.5, 0.5],
  ];
  const Q = [
    [0.7, 0.3],
    [0.6, 0.4],
    [0.5, 0.5],
  ];

  it('is the scaled JS divergence at α = 0.5 (factor 2/ln 2)', () => {
    const js = P.map((p, i) => {
      const q = Q[i]!;
      const m = p.map((v, k) => (v + q[k]!) / 2);
      return (0.5 * kl(p, m) + 0.5 * kl(q, m)) * (2 / LN2);
    });
    expectTensor(() => scaledSjsDivergence(P, Q, { alpha: 0.5 }), js);
    expect(js[2]).toBe(0);
  });

  it('tends to KL(P‖Q) as α → 0', () => {
    const want = P.map((p, i) => kl(p, Q[i]!));
    expectTensor(() => scaledSjsDivergence(P, Q, { alpha: 1e-4 }), want, 2e-3);
    // and is not KL at a moderate α (the limit is a limit)
    const at05 = tf.tidy(() => Array.from(scaledSjsDivergence(P, Q, { alpha: 0.5 }).dataSync()));
    expect(Math.abs(at05[0]! - want[0]!)).toBeGreaterThan(0.015);
  });

  it('is the unscaled SJS times −1/((1 − α)·log(1 − α))', () => {
    for (const a of [0.01, 0.1, 0.25, 0.4, 0.5]) {
      const factor = -1 / ((1 - a) * Math.log(1 - a));
      const want = P.map((p, i) => sjsHost(p, Q[i]!, a, false) * factor);
      expectTensor(() => scaledSjsDivergence(P, Q, { alpha: a }), want, 1e-5);
    }
    // hand-computed: p = [1, 0], q = [.5, .5], α = .5: m = [.75, .25],
    // .5·(−ln .75) + .5·(.5·ln(.5/.75) + .5·ln(.5/.25)) = .5·.287682 + .5·(−.202733 + .346574)
    // = .215762; × 2/ln 2 = .622556
    expectTensor(() => scaledSjsDivergence([[1, 0]], [[0.5, 0.5]], { alpha: 0.5 }), [0.622556]);
  });

  it('matches the host formula on random distributions (property)', () => {
    const dist = fc
      .array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 })
      .map((v) => {
        const s = v.reduce((a, b) => a + b, 0);
        return v.map((x) => x / s);
      });
    fc.assert(
      fc.property(dist, dist, fc.double({ min: 0.01, max: 0.5, noNaN: true }), (p, q, a) => {
        const got = tf.tidy(() => scaledSjsDivergence([p], [q], { alpha: a }).dataSync()[0]!);
        expect(got).toBeGreaterThanOrEqual(-1e-6);
        expect(Math.abs(got - sjsHost(p, q, a))).toBeLessThan(1e-4 * Math.max(1, got));
      }),
      { numRuns: 40 },
    );
  });

  it('jensenShannonLoss is the same formula with π1 = α on softmax', () => {
    const logits = [
      [0.3, -1.2, 0.8],
      [1.1, 0.4, -0.5],
    ];
    tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3);
      const d = scaledSjsDivergence(tf.cast(y, 'float32'), tf.softmax(tf.tensor2d(logits)), {
        alpha: 0.3,
      });
      const js = jensenShannonLoss(tf.tensor1d([2, 0], 'int32'), logits, {
        pi1: 0.3,
        reduction: 'none',
      });
      expectClose(d, Array.from(js.dataSync()), 1e-5);
    });
  });

  it('has finite gradients that match finite differences, and leaks nothing', () => {
    const q0 = tf.tensor2d([
      [0.7, 0.3],
      [0.1, 0.9],
    ]);
    gradientCheck(
      (q) =>
        tf.sum(
          scaledSjsDivergence(
            [
              [1, 0],
              [0.3, 0.7],
            ],
            q,
            { alpha: 0.2 },
          ),
        ),
      q0,
      {
        h: 1e-3,
      },
    );
    expectNoLeak(() => scaledSjsDivergence(P, Q, { alpha: 0.2 })).dispose();
    q0.dispose();
  });

  it('refuses bad options and shapes', () => {
    expectTailwiseError(
      () => scaledSjsDivergence(P, Q, { alpha: 0 }),
      'INVALID_OPTION',
      /scaledSjsDivergence: expected `alpha` to be a number in \(0, 1\), got 0/,
    );
    expectTailwiseError(
      () => scaledSjsDivergence(P, Q, {} as { alpha: number }),
      'INVALID_OPTION',
      /`alpha`/,
    );
    expectTailwiseError(() => scaledSjsDivergence(P, [[1, 0]], { alpha: 0.2 }), 'SHAPE_MISMATCH');
  });
});

describe('sampleSjsAlpha', () => {
  it('draws α in (0, 0.5], reproducible per seed, fresh per draw', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 2000 }, () => sampleSjsAlpha(rng));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    // distinct draws, except those clipped at the floor
    const above = a.slice(0, 50).filter((v) => v > SJS_ALPHA_FLOOR);
    expect(new Set(above).size).toBe(above.length);
    expect(above.length).toBeGreaterThan(40);
    for (const v of a) {
      expect(v).toBeGreaterThanOrEqual(SJS_ALPHA_FLOOR);
      expect(v).toBeLessThanOrEqual(0.5);
    }
    // Folded Beta(.5, .5): P(min(a, 1 − a) < t) = (4/π)·asin(√t); at t = 0.1 that is 0.4097.
    const below = a.filter((v) => v < 0.1).length / a.length;
    expect(Math.abs(below - (4 / Math.PI) * Math.asin(Math.sqrt(0.1)))).toBeLessThan(0.04);
  });

  it('refuses a missing rng', () => {
    expectTailwiseError(() => sampleSjsAlpha(undefined as never), 'INVALID_OPTION', /`rng`/);
  });
});

describe('cpuRisk', () => {
  // labels [0, 1] over C = 3 classes; class 2 has no positive in the batch.
  // z = [[ln 3, 0, 0], [−ln 3, 0, 0]]: σ = [[.75, .5, .5], [.25, .5, .5]].
  const labels = () => tf.tensor1d([0, 1], 'int32');
  const Z = [
    [LN3, 0, 0],
    [-LN3, 0, 0],
  ];
  const pi = { pi1: 0.5, pi2: 0.9 };

  it('hand-computed values, both branches of the nnPU rule and an empty class (ce)', () => {
    // class 0 (P = {0}): R̂p⁺ = ln(4/3), R̂p⁻ = ln 4, R̂u⁻ = (ln 4 + ln(4/3))/2 = .836988;
    //   neg = .836988 − .9·1.386294 = −.410677 < 0 -> objective .410677, risk .5·.287682 = .143841
    // class 1 (P = {1}, all g = .5): every l = ln 2; neg = .1·ln 2 = .069315 >= 0
    //   -> objective = risk = .5·ln 2 + .069315 = .415888
    // class 2 (P empty): R̂p± = 0, neg = R̂u⁻ = ln 2 -> objective = risk = .693147
    // mean over 3: objective .506571, risk .417626
    const y = labels();
    const out = expectNoLeak(() => cpuRisk(y, Z, { ...pi, divergence: 'ce' }));
    expectClose(out.objective, 0.506571);
    expectClose(out.risk, 0.417626);
    expect(out.alpha).toBeUndefined();
    tf.dispose([out.objective, out.risk, y]);
  });

  it('hand-computed gradient: the negative branch descends on −neg only', () => {
    // class 0 is on the second branch: objective_0 = −R̂u⁻ + π2·R̂p⁻ (no positive term), so
    // d/dz00 = (−.5 + .9)·σ(ln 3)/3 = .1, d/dz10 = −.5·σ(−ln 3)/3 = −.041667;
    // class 1: d/dz11 = (.5·(−.5) + .5·.5 − .9·.5)/3 = −.15, d/dz01 = .5·.5/3 = .083333;
    // class 2: d/dz = .5·.5/3 = .083333.
    const y = labels();
    const z = tf.tensor2d(Z);
    const g = tf.grad((x: tf.Tensor) => {
      const r = cpuRisk(y, x, { ...pi, divergence: 'ce' });
      return r.objective;
    })(z);
    expectClose(g, [
      [0.1, 0.083333, 0.083333],
      [-0.041667, -0.15, 0.083333],
    ]);
    tf.dispose([y, z, g]);
  });

  it("'kl' equals 'ce' for hard Bernoulli targets", () => {
    const y = labels();
    const out = cpuRisk(y, Z, { ...pi, divergence: 'kl' });
    expectClose(out.objective, 0.506571);
    expectClose(out.risk, 0.417626);
    tf.dispose([out.objective, out.risk, y]);
  });

  it("'sjs' with a fixed α against the host implementation (sigmoid and softmax)", () => {
    const labelsHost = [0, 1, 1, 3];
    const logits = [
      [2.0, -1.0, 0.5, -0.3],
      [-0.5, 1.5, 0.2, 0.1],
      [0.3, 0.2, -2.0, 1.0],
      [-1.0, 0.4, 0.0, 2.5],
    ];
    for (const alpha of [0.05, 0.5]) {
      const l = (g: number, positive: boolean) =>
        sjsHost(positive ? [1, 0] : [0, 1], [g, 1 - g], alpha);
      const sig = logits.map((r) => r.map(sigmoid));
      const soft = logits.map((r) => {
        const e = r.map(Math.exp);
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      });
      for (const [activation, g] of [
        ['sigmoid', sig],
        ['softmax', soft],
      ] as const) {
        for (const pi2 of [0.2, 0.9]) {
          const want = cpuHost(labelsHost, g, l, 0.1, pi2);
          const y = tf.tensor1d(labelsHost, 'int32');
          const out = cpuRisk(y, logits, { pi1: 0.1, pi2, alpha, activation });
          expect(out.alpha).toBe(alpha);
          expectClose(out.objective, want.objective, 1e-5);
          expectClose(out.risk, want.risk, 1e-5);
          tf.dispose([out.objective, out.risk, y]);
        }
      }
    }
  });

  it('draws α from rng once per call: reproducible per seed, in (0, 0.5]', () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => {
        const y = labels();
        const out = cpuRisk(y, Z, { pi2: 0.2, rng });
        const v = [out.alpha!, out.objective.dataSync()[0]!];
        tf.dispose([out.objective, out.risk, y]);
        return v;
      });
    };
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(new Set(a.map((v) => v[0])).size).toBe(5);
    for (const [alpha] of a) {
      expect(alpha).toBeGreaterThan(0);
      expect(alpha).toBeLessThanOrEqual(0.5);
    }
    // the drawn α is the one sampleSjsAlpha gives on the same stream
    const rng = createRng(3);
    expect(a[0]![0]).toBe(sampleSjsAlpha(rng));
  });

  it('reported risk is never below the objective on the first branch and is >= 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
        (flat, ys) => {
          const [objective, risk] = tf.tidy(() => {
            const r = cpuRisk(tf.tensor1d(ys, 'int32'), tf.tensor2d(flat, [4, 3]), {
              pi2: 0.5,
              alpha: 0.3,
            });
            return [r.objective.dataSync()[0]!, r.risk.dataSync()[0]!];
          });
          expect(risk).toBeGreaterThanOrEqual(0);
          expect(objective).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(objective)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gradients match finite differences (sjs, ce; sigmoid, softmax) and stay finite', () => {
    const y = tf.tensor1d([0, 1, 1, 2], 'int32');
    const x0 = tf.tensor2d([
      [1.2, -0.7, 0.3],
      [-0.4, 0.9, 0.1],
      [0.2, 0.5, -1.1],
      [-0.8, 0.1, 1.4],
    ]);
    for (const activation of ['sigmoid', 'softmax'] as const) {
      for (const divergence of ['sjs', 'ce'] as const) {
        for (const pi2 of [0.2, 0.9]) {
          gradientCheck(
            (x) => cpuRisk(y, x, { pi2, divergence, activation, alpha: 0.3 }).objective,
            x0,
            { h: 1e-3 },
          );
        }
      }
    }
    const big = tf.tensor2d([
      [1e4, -1e4, 0],
      [-1e4, 1e4, 30],
      [50, -50, 0],
      [0, 0, -1e4],
    ]);
    for (const activation of ['sigmoid', 'softmax'] as const) {
      const g = tf.grad(
        (x: tf.Tensor) => cpuRisk(y, x, { pi2: 0.3, alpha: 0.2, activation }).objective,
      )(big);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      g.dispose();
    }
    tf.dispose([y, x0, big]);
  });

  it('frees every temporary, also under tf.grad', () => {
    const y = labels();
    const z = tf.tensor2d(Z);
    const r = expectNoLeak(() => cpuRisk(y, z, { pi2: 0.4, rng: createRng(1) }));
    tf.dispose([r.objective, r.risk]);
    const g = expectNoLeak(() =>
      tf.grad((x: tf.Tensor) => cpuRisk(y, x, { pi2: 0.4, alpha: 0.2 }).objective)(z),
    );
    tf.dispose([g, y, z]);
  });

  it('accepts one-hot rows and host index arrays alike', () => {
    const a = cpuRisk([0, 1], Z, { ...pi, divergence: 'ce' });
    const b = cpuRisk(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      Z,
      { ...pi, divergence: 'ce' },
    );
    expectClose(a.objective, 0.506571);
    expectClose(b.objective, 0.506571);
    tf.dispose([a.objective, a.risk, b.objective, b.risk]);
  });

  it('refuses bad priors, options and labels with clear errors', () => {
    const y = labels();
    for (const [key, value] of [
      ['pi1', 0],
      ['pi1', 1.5],
      ['pi2', 0],
      ['pi2', -0.1],
      ['pi2', 2],
    ] as const) {
      expectTailwiseError(
        () => cpuRisk(y, Z, { pi1: 0.1, pi2: 0.5, [key]: value, divergence: 'ce' }),
        'INVALID_OPTION',
        new RegExp(`cpuRisk: expected \`${key}\` to be a number in \\(0, 1\\], got ${value}`),
      );
    }
    expectTailwiseError(
      () => cpuRisk(y, Z, {} as { pi2: number }),
      'INVALID_OPTION',
      /`pi2` to be a number in \(0, 1\], got undefined/,
    );
    expectTailwiseError(
      () => cpuRisk(y, Z, { pi2: 0.2, alpha: 0.7 }),
      'INVALID_OPTION',
      /`alpha` to be a number in \(0, 0.5\], got 0.7/,
    );
    expectTailwiseError(() => cpuRisk(y, Z, { pi2: 0.2 }), 'INVALID_OPTION', /`rng`/);
    expectTailwiseError(
      () => cpuRisk(y, Z, { pi2: 0.2, divergence: 'js' as never }),
      'INVALID_OPTION',
      /`divergence` to be one of 'sjs', 'kl', 'ce', got "js"/,
    );
    expectTailwiseError(
      () => cpuRisk([0, 3], Z, { pi2: 0.2, divergence: 'ce' }),
      'INVALID_VALUE',
      /cpuRisk: expected `labels` to be class indices in \[0, 2\], got 3 at index 1/,
    );
    expectTailwiseError(
      () => cpuRisk(Int32Array.from([-1, 0]), Z, { pi2: 0.2, divergence: 'ce' }),
      'INVALID_VALUE',
      /got -1 at index 0/,
    );
    // tensors are read at the validation level in force (core's default 'values')
    const bad = tf.tensor1d([0, 3], 'int32');
    expectTailwiseError(
      () => cpuRisk(bad, Z, { pi2: 0.2, divergence: 'ce' }),
      'INVALID_VALUE',
      /cpuRisk: expected `labels` to be class indices in \[0, 2\], got 3 at index 1/,
    );
    bad.dispose();
    expectTailwiseError(
      () => cpuRisk(tf.tensor1d([0, 1], 'float32'), Z, { pi2: 0.2, divergence: 'ce' }),
      'DTYPE_MISMATCH',
    );
    expectTailwiseError(
      () => cpuRisk([0, 1, 2], Z, { pi2: 0.2, divergence: 'ce' }),
      'SHAPE_MISMATCH',
    );
    expectTailwiseError(
      () => cpuRisk(y, Z, { pi2: 0.2, alpha: 0.2, typo: 1 } as never),
      'INVALID_OPTION',
      /`typo`/,
    );
    y.dispose();
  });
});
