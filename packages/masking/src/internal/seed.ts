import { assertNumber, describeValue, fail, type Rng } from '@tailwise/core';

/** Where a random op gets its randomness: a seeded `Rng` (training) or a fixed `seed`. */
export type RandomSource = { rng: Rng; seed?: undefined } | { seed: number; rng?: undefined };

/**
 * The tfjs seed of one random op. With `rng`, a fresh `rng.nextSeed()` per call, so masks
 * differ step to step yet repeat run to run (CONTRIBUTING.md pitfall 3); with `seed`, that seed.
 * Call it last, after every other check, so a refused call does not advance the `Rng`.
 */
export function resolveSeed(options: Partial<RandomSource>, functionName: string): number {
  const { rng, seed } = options;
  if (rng !== undefined && seed !== undefined) {
    fail(
      'INVALID_OPTION',
      functionName,
      'seed',
      'absent when `rng` is given (pass one of `rng`, `seed`)',
      describeValue(seed),
    );
  }
  if (rng !== undefined) {
    if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).nextSeed !== 'function') {
      fail('INVALID_OPTION', functionName, 'rng', 'an Rng from createRng()', describeValue(rng));
    }
    return rng.nextSeed();
  }
  if (seed === undefined) {
    fail(
      'INVALID_OPTION',
      functionName,
      'rng',
      'an Rng from createRng() (or a fixed `seed`)',
      'neither `rng` nor `seed`',
    );
  }
  assertNumber(seed, { min: 0, integer: true }, functionName, 'seed');
  return seed;
}
