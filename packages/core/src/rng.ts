import { describeValue, fail } from './errors';
import { assertNumber } from './options';
import { readStateEnvelope, stateEnvelope } from './state';

/**
 * Saved state of an {@link Rng} (the state envelope of {@link stateEnvelope}): four unsigned
 * 32-bit words of xoshiro128**.
 */
export interface RngState {
  kind: 'tailwise.Rng';
  version: 1;
  algorithm: 'xoshiro128**';
  s: [number, number, number, number];
}

/**
 * A seeded, splittable random number generator (xoshiro128**, seeded with splitmix32).
 *
 * Every random choice in tailwise takes one, so a run is reproducible from one seed on any
 * backend. Use {@link Rng.split} to give a component its own stream, and
 * {@link Rng.nextSeed} to seed tfjs random ops (`tf.randomUniform(shape, 0, 1, 'float32', seed)`)
 * so masks differ per step but repeat per run (CONTRIBUTING.md pitfall 3).
 */
export interface Rng {
  /** Uniform float in [0, 1), or in [low, high) when given. */
  uniform(low?: number, high?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Normal deviate (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** Gamma(shape, scale) deviate (Marsaglia–Tsang; boosted for shape < 1). */
  gamma(shape: number, scale?: number): number;
  /** Beta(a, b) deviate, as X/(X+Y) of two gammas. */
  beta(a: number, b: number): number;
  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[];
  /** A random permutation of 0..n−1. */
  permutation(n: number): number[];
  /**
   * `size` indices drawn from 0..n−1, with replacement by default, optionally with
   * probabilities `p` (non-negative, any positive sum).
   */
  choice(n: number, size: number, options?: { replace?: boolean; p?: ArrayLike<number> }): number[];
  /** A fresh integer seed in [0, 2^31) for tfjs random ops. */
  nextSeed(): number;
  /** A new, independent generator derived from this one (advances this one). */
  split(): Rng;
  /** The state, for checkpoints. */
  toJSON(): RngState;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashString(text: string): number {
  // FNV-1a, so string seeds ("run-3") work too.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

class Xoshiro implements Rng {
  private s: Uint32Array;

  constructor(state: readonly number[]) {
    this.s = Uint32Array.from(state);
    if (this.s.every((v) => v === 0)) this.s[0] = 1; // the all-zero state is a fixed point
  }

  private nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  uniform(low = 0, high = 1): number {
    // 53 random bits -> [0, 1)
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    const u = (hi * 67108864 + lo) / 9007199254740992;
    return low + (high - low) * u;
  }

  int(n: number): number {
    assertNumber(n, { min: 1, integer: true }, 'Rng.int', 'n');
    return Math.floor(this.uniform() * n);
  }

  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  gamma(shape: number, scale = 1): number {
    assertNumber(shape, { min: 0, minExclusive: true }, 'Rng.gamma', 'shape');
    assertNumber(scale, { min: 0, minExclusive: true }, 'Rng.gamma', 'scale');
    if (shape < 1) {
      // Gamma(a) = Gamma(a + 1) · U^(1/a)
      let u = 0;
      while (u === 0) u = this.uniform();
      return this.gamma(shape + 1, scale) * u ** (1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x ** 4) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  beta(a: number, b: number): number {
    assertNumber(a, { min: 0, minExclusive: true }, 'Rng.beta', 'a');
    assertNumber(b, { min: 0, minExclusive: true }, 'Rng.beta', 'b');
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x + y === 0 ? 0.5 : x / (x + y);
  }

  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }

  permutation(n: number): number[] {
    assertNumber(n, { min: 0, integer: true }, 'Rng.permutation', 'n');
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  choice(
    n: number,
    size: number,
    options: { replace?: boolean; p?: ArrayLike<number> } = {},
  ): number[] {
    assertNumber(n, { min: 1, integer: true }, 'Rng.choice', 'n');
    assertNumber(size, { min: 0, integer: true }, 'Rng.choice', 'size');
    const replace = options.replace ?? true;
    if (!replace && size > n)
      fail(
        'INVALID_OPTION',
        'Rng.choice',
        'size',
        `at most n = ${n} without replacement`,
        String(size),
      );
    let weights: number[] | undefined;
    if (options.p !== undefined) {
      if (options.p.length !== n)
        fail('SHAPE_MISMATCH', 'Rng.choice', 'p', `${n} weights`, `${options.p.length}`);
      weights = Array.from(options.p);
      if (
        weights.some((w) => !Number.isFinite(w) || w < 0) ||
        weights.reduce((a, b) => a + b, 0) <= 0
      ) {
        fail(
          'INVALID_VALUE',
          'Rng.choice',
          'p',
          'non-negative finite weights with a positive sum',
          describeValue(weights),
        );
      }
    }
    if (weights === undefined) {
      if (replace) return Array.from({ length: size }, () => this.int(n));
      return this.permutation(n).slice(0, size);
    }
    const out: number[] = [];
    const w = weights.slice();
    for (let k = 0; k < size; k++) {
      let total = 0;
      for (const x of w) total += x;
      if (total <= 0)
        fail(
          'INVALID_VALUE',
          'Rng.choice',
          'p',
          `at least ${size} entries with positive weight`,
          describeValue(weights),
        );
      let target = this.uniform() * total;
      let pick = w.length - 1;
      for (let i = 0; i < w.length; i++) {
        target -= w[i]!;
        if (target < 0) {
          pick = i;
          break;
        }
      }
      while (w[pick] === 0) pick--; // rounding at the end of the scan
      out.push(pick);
      if (!replace) w[pick] = 0;
    }
    return out;
  }

  nextSeed(): number {
    return this.nextU32() >>> 1;
  }

  split(): Rng {
    const seed = splitmix32(this.nextU32() ^ Math.imul(this.nextU32(), 0x27d4eb2d));
    return new Xoshiro([seed(), seed(), seed(), seed()]);
  }

  toJSON(): RngState {
    return stateEnvelope('tailwise.Rng', 1, {
      algorithm: 'xoshiro128**' as const,
      s: [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!] as [number, number, number, number],
    }) as RngState;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Creates a seeded {@link Rng}. Equal seeds give equal streams on every platform.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * const order = rng.permutation(10);
 * const maskRng = rng.split();
 * ```
 */
export function createRng(seed: number | string): Rng {
  let base: number;
  if (typeof seed === 'string') base = hashString(seed);
  else {
    assertNumber(seed, { min: 0, integer: true, max: 2 ** 53 }, 'createRng', 'seed');
    base = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  }
  const next = splitmix32(base);
  return new Xoshiro([next(), next(), next(), next()]);
}

/**
 * Restores an {@link Rng} from {@link Rng.toJSON}; refuses state it does not recognise
 * (`INVALID_FORMAT`: another kind or version, another algorithm, words that are not u32).
 */
export function rngFromJSON(state: unknown): Rng {
  const fn = 'rngFromJSON';
  const p = readStateEnvelope(state, 'tailwise.Rng', 1, fn, ['algorithm', 's']);
  const s = p.s;
  if (
    p.algorithm !== 'xoshiro128**' ||
    !Array.isArray(s) ||
    s.length !== 4 ||
    s.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)
  ) {
    fail(
      'INVALID_FORMAT',
      fn,
      'json',
      'a tailwise.Rng version 1 state with algorithm xoshiro128** and four u32 words',
      `algorithm ${describeValue(p.algorithm)}, s ${describeValue(s)}`,
    );
  }
  return new Xoshiro(s as [number, number, number, number]);
}
