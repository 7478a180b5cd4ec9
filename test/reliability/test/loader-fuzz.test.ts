// Fuzz test of every file loader (docs/reliability.md): random bytes, and valid files with bytes
// flipped, cut or appended, raw and gzipped. Each input must either load into a consistent
// Dataset or be refused with a TailwiseError — never another error, never a hang.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Dataset } from '@tailwise/core';
import { readIdx } from '@tailwise/datasets';
import { loadCsv, loadFashionMnist, loadMultiLabelCsv, readIdxFile } from '@tailwise/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

/** Inputs per loader per strategy; the totals are reported in docs/reliability.md. */
export const FUZZ_RUNS = 150;

const root = mkdtempSync(join(tmpdir(), 'tailwise-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function idxBytes(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    new DataView(out.buffer).setUint32(4 + 4 * i, d, false);
  });
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const validIdx = idxBytes([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const validCsv = new TextEncoder().encode('a,b,label\n1,2,0\n3.5,4,1\n-1,0,2\n');
const validMultiCsv = new TextEncoder().encode('l1,l2,f1,f2\n1,0,0.5,1\n0,1,2,3\n-1,1,4,5\n');

/** A mutation of `base`: flip bytes, cut, append, or any combination; optionally gzipped. */
const rarely = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const mutated = (base: Uint8Array) =>
  fc
    .record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      cut: rarely(fc.nat()),
      tail: rarely(fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
        (t) => t ?? new Uint8Array(),
      ),
      gzip: fc.boolean(),
      gzipCut: rarely(fc.nat()),
    })
    .map(({ flips, cut, tail, gzip, gzipCut }) => {
      let b = Uint8Array.from(base);
      for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
      if (cut !== undefined) b = b.slice(0, cut % (b.length + 1));
      const joined = new Uint8Array(b.length + tail.length);
      joined.set(b);
      joined.set(tail, b.length);
      if (!gzip) return joined;
      const z = gzipSync(joined);
      return gzipCut === undefined ? z : z.slice(0, gzipCut % (z.length + 1));
    });

const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => gzipSync(b)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
);

/** Load-or-refuse: returns 'loaded' or 'refused'; any other outcome fails the property. */
async function outcome(load: () => unknown): Promise<'loaded' | 'refused'> {
  try {
    const result = await load();
    checkLoaded(result);
    return 'loaded';
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    if (e.name !== 'TailwiseError') throw new Error(`not a TailwiseError: ${e.name}: ${e.message}`);
    expect(typeof e.code).toBe('string');
    return 'refused';
  }
}

function checkDataset(d: Dataset): void {
  const perSample = d.inputShape.reduce((a, b) => a * b, 1);
  expect(d.features.length).toBe(d.size * perSample);
  if (d.labels) {
    expect(d.labels.length).toBe(d.size);
    for (const y of d.labels) expect(y >= 0 && y < d.numClasses).toBe(true);
  }
  if (d.multiLabels) {
    expect(d.multiLabels.length).toBe(d.size * d.numClasses);
    for (const v of d.multiLabels) expect(v === 1 || v === 0 || v === -1).toBe(true);
  }
  if (d.features instanceof Float32Array)
    for (const v of d.features) expect(Number.isFinite(v)).toBe(true);
}

function checkLoaded(result: unknown): void {
  if (result === null || typeof result !== 'object') return;
  const r = result as Record<string, unknown>;
  if ('train' in r && 'test' in r) {
    checkDataset(r.train as Dataset);
    checkDataset(r.test as Dataset);
  } else if ('features' in r) {
    checkDataset(r as unknown as Dataset);
  } else if ('dims' in r && 'data' in r) {
    const idx = r as { dims: number[]; data: ArrayLike<number> };
    expect(idx.data.length).toBe(idx.dims.reduce((a, b) => a * b, 1));
  }
}

let fileCounter = 0;
function writeTemp(bytes: Uint8Array, suffix = ''): string {
  const path = join(root, `f${fileCounter++}${suffix}`);
  writeFileSync(path, bytes);
  return path;
}

const tally: Record<string, { loaded: number; refused: number }> = {};
function count(loader: string, o: 'loaded' | 'refused'): void {
  tally[loader] ??= { loaded: 0, refused: 0 };
  tally[loader]![o] += 1;
}

type Loader = [string, (bytes: Uint8Array) => unknown, Uint8Array];
const loaders: Loader[] = [
  ['readIdx', (b) => readIdx(b), validIdx],
  ['readIdxFile', (b) => readIdxFile(writeTemp(b)), validIdx],
  ['loadCsv (bytes)', (b) => loadCsv(b, { labelColumn: 'label' }), validCsv],
  ['loadCsv (file)', (b) => loadCsv(writeTemp(b, '.csv'), { labelColumn: 2 }), validCsv],
  [
    'loadMultiLabelCsv (bytes)',
    (b) => loadMultiLabelCsv(b, { labelColumns: { first: 2 } }),
    validMultiCsv,
  ],
  [
    'loadMultiLabelCsv (file)',
    (b) => loadMultiLabelCsv(writeTemp(b, '.csv.gz'), { labelColumns: ['l1', 'l2'] }),
    validMultiCsv,
  ],
];

// The loaders run no tensor op: fuzzing them once (on the cpu project) is enough, and keeps the
// suite under a minute.
describe.skipIf(tf.getBackend() !== 'cpu')(
  'file loaders: load or refuse with a TailwiseError',
  () => {
    for (const [name, load, valid] of loaders) {
      it(`${name}: the valid file loads`, async () => {
        expect(await outcome(() => load(valid))).toBe('loaded');
      });
      it(`${name}: ${FUZZ_RUNS} mutated files`, async () => {
        await fc.assert(
          fc.asyncProperty(mutated(valid), async (bytes) => {
            count(name, await outcome(() => load(bytes)));
          }),
          { numRuns: FUZZ_RUNS, seed: 21 },
        );
      });
      it(`${name}: ${FUZZ_RUNS} random byte strings`, async () => {
        await fc.assert(
          fc.asyncProperty(randomBytes, async (bytes) => {
            count(name, await outcome(() => load(bytes)));
          }),
          { numRuns: FUZZ_RUNS, seed: 22 },
        );
      });
    }

    it(`loadFashionMnist: ${FUZZ_RUNS} folders with one mutated file`, async () => {
      const side = 28;
      const files = {
        'train-images-idx3-ubyte.gz': gzipSync(
          idxBytes([2, side, side], new Array(2 * side * side).fill(7)),
        ),
        'train-labels-idx1-ubyte.gz': gzipSync(idxBytes([2], [3, 9])),
        't10k-images-idx3-ubyte.gz': gzipSync(
          idxBytes([1, side, side], new Array(side * side).fill(1)),
        ),
        't10k-labels-idx1-ubyte.gz': gzipSync(idxBytes([1], [0])),
      };
      const names = Object.keys(files) as (keyof typeof files)[];
      const base = join(root, 'fashion');
      mkdirSync(base);
      for (const [file, bytes] of Object.entries(files)) writeFileSync(join(base, file), bytes);
      expect(await outcome(() => loadFashionMnist({ dir: base }))).toBe('loaded');
      let folder = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: names.length - 1 }),
          fc.oneof(
            mutated(idxBytes([2, side, side], new Array(2 * side * side).fill(7))),
            randomBytes,
          ),
          async (which, bytes) => {
            const dir = join(root, `fashion-${folder++}`);
            mkdirSync(dir);
            for (const [file, b] of Object.entries(files))
              writeFileSync(join(dir, file), file === names[which] ? bytes : b);
            count('loadFashionMnist', await outcome(() => loadFashionMnist({ dir })));
          },
        ),
        { numRuns: FUZZ_RUNS, seed: 23 },
      );
    });

    it('tallies every fuzz input', () => {
      const total = Object.values(tally).reduce((a, t) => a + t.loaded + t.refused, 0);
      expect(total).toBe(FUZZ_RUNS * (2 * loaders.length + 1));
      console.info(`loader fuzz: ${total} inputs`, JSON.stringify(tally));
    });
  },
);
