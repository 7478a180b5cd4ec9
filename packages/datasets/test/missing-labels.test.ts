import type { Dataset } from '@tailwise/core';
import { createRng } from '@tailwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { missingLabels } from '../src/index';

function multi(rows: number[][]): Dataset {
  const c = rows[0]!.length;
  return {
    name: 'toy',
    size: rows.length,
    inputShape: [1],
    features: new Float32Array(rows.length),
    numClasses: c,
    multiLabels: Float32Array.from(rows.flat()),
  };
}

/** Random full 0/1 label rows, each with at least one positive when `nonEmpty`. */
const labelRows = (nonEmpty: boolean) =>
  fc.integer({ min: 1, max: 8 }).chain((c) =>
    fc.array(
      fc
        .array(fc.integer({ min: 0, max: 1 }), { minLength: c, maxLength: c })
        .map((r) => (nonEmpty && !r.includes(1) ? [1, ...r.slice(1)] : r)),
      { minLength: 1, maxLength: 25 },
    ),
  );

describe('missingLabels', () => {
  it('PAL keeps entries unchanged or unknown, PPL never keeps a negative (property)', () => {
    fc.assert(
      fc.property(
        labelRows(false),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.nat(),
        (rows, keep, seed) => {
          const y = rows.flat();
          const pal = missingLabels(multi(rows), { setting: 'PAL', keep, rng: createRng(seed) });
          const ppl = missingLabels(multi(rows), { setting: 'PPL', keep, rng: createRng(seed) });
          pal.multiLabels!.forEach((z, k) => {
            expect(z === -1 || z === y[k]).toBe(true);
          });
          ppl.multiLabels!.forEach((z, k) => {
            expect(z === -1 || z === 1).toBe(true); // no negative survives
            if (z === 1) expect(y[k]).toBe(1);
          });
          // one seed, one draw per entry: PPL keeps exactly PAL's kept positives
          ppl.multiLabels!.forEach((z, k) => {
            expect(z === 1).toBe(pal.multiLabels![k] === 1);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('SPL keeps exactly one true positive per row (property)', () => {
    fc.assert(
      fc.property(labelRows(true), fc.nat(), (rows, seed) => {
        const c = rows[0]!.length;
        const z = missingLabels(multi(rows), { setting: 'SPL', rng: createRng(seed) }).multiLabels!;
        rows.forEach((row, i) => {
          const kept = Array.from(z.subarray(i * c, (i + 1) * c));
          expect(kept.filter((v) => v === 1)).toHaveLength(1);
          expect(kept.filter((v) => v !== 1).every((v) => v === -1)).toBe(true);
          expect(row[kept.indexOf(1)]).toBe(1);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('PAL keeps about `keep` of all entries; PPL about `keep` of the positives (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.nat(), (keep, seed) => {
        const rng = createRng(seed);
        const rows = Array.from({ length: 400 }, () =>
          Array.from({ length: 10 }, () => (rng.uniform() < 0.3 ? 1 : 0)),
        );
        const n = 4000;
        const pal = missingLabels(multi(rows), { setting: 'PAL', keep, rng: createRng(seed + 1) });
        const keptPal = pal.multiLabels!.filter((v) => v !== -1).length;
        // Binomial(4000, keep): 5 standard deviations (+1 for keep = 1 exactly)
        const sd = Math.sqrt(n * keep * (1 - keep));
        expect(Math.abs(keptPal - n * keep)).toBeLessThanOrEqual(5 * sd + 1);
        const positives = rows.flat().filter((v) => v === 1).length;
        const ppl = missingLabels(multi(rows), { setting: 'PPL', keep, rng: createRng(seed + 1) });
        const keptPpl = ppl.multiLabels!.filter((v) => v === 1).length;
        const sdP = Math.sqrt(positives * keep * (1 - keep));
        expect(Math.abs(keptPpl - positives * keep)).toBeLessThanOrEqual(5 * sdP + 1);
      }),
      { numRuns: 30 },
    );
  });

  it('SPL picks each positive of a row uniformly', () => {
    const rows = Array.from({ length: 3000 }, () => [1, 0, 1, 1]);
    const z = missingLabels(multi(rows), { setting: 'SPL', rng: createRng(4) }).multiLabels!;
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < z.length; k++) if (z[k] === 1) counts[k % 4]! += 1;
    expect(counts[1]).toBe(0);
    for (const j of [0, 2, 3])
      expect(Math.abs(counts[j]! - 1000)).toBeLessThan(5 * Math.sqrt(3000 * (1 / 3) * (2 / 3)));
  });

  it('keep = 1 keeps everything (PAL) or every positive (PPL); seeds reproduce', () => {
    const rows = [
      [1, 0, 1],
      [0, 0, 1],
    ];
    expect(
      Array.from(
        missingLabels(multi(rows), { setting: 'PAL', keep: 1, rng: createRng(0) }).multiLabels!,
      ),
    ).toEqual([1, 0, 1, 0, 0, 1]);
    expect(
      Array.from(
        missingLabels(multi(rows), { setting: 'PPL', keep: 1, rng: createRng(0) }).multiLabels!,
      ),
    ).toEqual([1, -1, 1, -1, -1, 1]);
    const ds = multi(rows);
    const a = missingLabels(ds, { setting: 'PAL', keep: 0.5, rng: createRng(9) });
    const b = missingLabels(ds, { setting: 'PAL', keep: 0.5, rng: createRng(9) });
    expect(Array.from(a.multiLabels!)).toEqual(Array.from(b.multiLabels!));
    expect(a.features).toBe(ds.features); // shared, not copied
    expect(Array.from(ds.multiLabels!)).toEqual([1, 0, 1, 0, 0, 1]); // the input is untouched
  });

  it('refuses bad input with clear errors', () => {
    const d = multi([
      [1, 0],
      [0, 0],
    ]);
    for (const keep of [0, -0.1, 1.5, Number.NaN]) {
      expectTailwiseError(
        () => missingLabels(d, { setting: 'PAL', keep, rng: createRng(0) }),
        'INVALID_OPTION',
        /missingLabels: expected `keep` to be a number in \(0, 1\]/,
      );
    }
    expectTailwiseError(
      () => missingLabels(d, { setting: 'PPL', rng: createRng(0) }),
      'INVALID_OPTION',
      '`keep`',
    );
    expectTailwiseError(
      () => missingLabels(d, { setting: 'SPL', keep: 0.5, rng: createRng(0) }),
      'INVALID_OPTION',
      /`keep` to be undefined with SPL/,
    );
    expectTailwiseError(
      () => missingLabels(d, { setting: 'SPL', rng: createRng(0) }),
      'INVALID_VALUE',
      /at least one positive in every row .*got row 1 with no positive/,
    );
    expectTailwiseError(
      () => missingLabels(d, { setting: 'XYZ' as never, keep: 0.5, rng: createRng(0) }),
      'INVALID_OPTION',
      '`setting`',
    );
    expectTailwiseError(
      () => missingLabels(multi([[1, -1]]), { setting: 'PAL', keep: 0.5, rng: createRng(0) }),
      'INVALID_VALUE',
      /full labels made of 0\/1 values, got -1 at row 0, class 1/,
    );
    expectTailwiseError(
      () => missingLabels(d, { setting: 'PAL', keep: 0.5 } as never),
      'INVALID_OPTION',
      '`rng`',
    );
  });
});
