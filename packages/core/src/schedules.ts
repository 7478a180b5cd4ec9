import { assertNumber } from './options';

/**
 * Linear ramp-up from 0 to 1: `min(1, max(0, t / length))`; 1 when `length` is 0.
 * Used for PLR's η and ρ ramps (docs/methods/000-plr.md).
 */
export function linearRampUp(t: number, length: number): number {
  assertNumber(t, {}, 'linearRampUp', 't');
  assertNumber(length, { min: 0 }, 'linearRampUp', 'length');
  if (length === 0) return 1;
  return Math.min(1, Math.max(0, t / length));
}

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** Value after warm-up (the peak). */
  initial: number;
  /** Total number of steps (warm-up included). */
  total: number;
  /** Linear warm-up steps from 0 to `initial`. Default 0. */
  warmup?: number;
  /** Value reached at `total`. Default 0. */
  final?: number;
}

/**
 * Cosine decay with optional linear warm-up:
 * `t < w: initial·(t+1)/w`; else `final + (initial − final)·(1 + cos(π·(t − w)/(total − w)))/2`.
 * Steps past `total` stay at `final`.
 */
export function cosineDecay(t: number, options: CosineDecayOptions): number {
  const { initial, total, warmup = 0, final = 0 } = options;
  assertNumber(t, { min: 0 }, 'cosineDecay', 't');
  assertNumber(initial, {}, 'cosineDecay', 'initial');
  assertNumber(total, { min: 1 }, 'cosineDecay', 'total');
  assertNumber(warmup, { min: 0, max: total, maxExclusive: true }, 'cosineDecay', 'warmup');
  assertNumber(final, {}, 'cosineDecay', 'final');
  if (t < warmup) return (initial * (t + 1)) / warmup;
  const progress = Math.min(1, (t - warmup) / (total - warmup));
  return final + ((initial - final) * (1 + Math.cos(Math.PI * progress))) / 2;
}

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  initial: number;
  /** Steps at which the value is multiplied by `gamma`, ascending. */
  milestones: readonly number[];
  /** Factor per milestone. Default 0.1. */
  gamma?: number;
}

/** Step decay: `initial · gamma^(number of milestones ≤ t)`. */
export function stepDecay(t: number, options: StepDecayOptions): number {
  const { initial, milestones, gamma = 0.1 } = options;
  assertNumber(t, { min: 0 }, 'stepDecay', 't');
  assertNumber(initial, {}, 'stepDecay', 'initial');
  assertNumber(gamma, { min: 0 }, 'stepDecay', 'gamma');
  milestones.forEach((m, i) => {
    assertNumber(m, { min: 0 }, 'stepDecay', `milestones[${i}]`);
  });
  const passed = milestones.filter((m) => t >= m).length;
  return initial * gamma ** passed;
}
