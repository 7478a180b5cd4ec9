// Small synthetic datasets for the trainer's reliability tests and the long-run benchmark: 8×8
// gray images over C classes, with every label field a recipe may need.
import { createRng, type Dataset } from '@tailwise/core';
import { mlp } from '@tailwise/models';

export const SHAPE = [8, 8, 1] as const;

export interface SyntheticOptions {
  size: number;
  numClasses: number;
  seed: number;
  name?: string;
}

/**
 * Images whose mean brightness depends on the class (so losses fall), with `labels`,
 * `candidates` (the true class plus each other class with probability 0.3) and `multiLabels`
 * (the true class plus each other with probability 0.2).
 */
export function synthetic(o: SyntheticOptions): Dataset {
  const rng = createRng(o.seed);
  const c = o.numClasses;
  const pixels = SHAPE[0] * SHAPE[1];
  const features = new Uint8Array(o.size * pixels);
  const labels = new Int32Array(o.size);
  const candidates = new Uint8Array(o.size * c);
  const multiLabels = new Float32Array(o.size * c);
  for (let i = 0; i < o.size; i++) {
    const y = i % c;
    labels[i] = y;
    for (let p = 0; p < pixels; p++) {
      const base = p % c === y ? 200 : 40;
      features[i * pixels + p] = Math.max(0, Math.min(255, Math.round(base + rng.normal(0, 20))));
    }
    for (let k = 0; k < c; k++) {
      candidates[i * c + k] = k === y || rng.uniform() < 0.3 ? 1 : 0;
      multiLabels[i * c + k] = k === y || rng.uniform() < 0.2 ? 1 : 0;
    }
  }
  return {
    name: o.name ?? 'synthetic',
    size: o.size,
    inputShape: [...SHAPE],
    features,
    numClasses: c,
    labels,
    candidates,
    multiLabels,
  };
}

/** A small seeded MLP factory for the synthetic images. */
export const smallModel =
  (numClasses: number, inputShape: readonly number[] = SHAPE) =>
  (seed: number) =>
    mlp({ inputShape: [...inputShape], numClasses, hidden: [16], seed });
