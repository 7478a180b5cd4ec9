import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Dataset } from '@tailwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTailwiseErrorAsync } from '../../../test/helpers';
import { loadCsv, loadMultiLabelCsv } from '../src/node';

// shared/ sits beside the repository (here /work/shared, in CI beside the fresh clone).
const YEAST = [
  fileURLToPath(new URL('../../../../shared/data/yeast.csv.gz', import.meta.url)),
  '/work/shared/data/yeast.csv.gz',
].find((p) => existsSync(p));
const noYeast = YEAST === undefined;
// Buffer.equals: vitest's deep equality walks typed arrays element by element (slow).
const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const dir = mkdtempSync(join(tmpdir(), 'tailwise-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(noYeast)('loadMultiLabelCsv on yeast (needs shared/data/yeast.csv.gz)', () => {
  let yeast: Dataset;
  let lines: string[];
  beforeAll(async () => {
    yeast = await loadMultiLabelCsv(YEAST!, { labelColumns: { first: 14 } });
    lines = gunzipSync(readFileSync(YEAST!)).toString('utf8').trim().split('\n');
  });

  it('loads 2417 rows × 103 features with 14 labels', () => {
    expect(yeast.name).toBe('yeast');
    expect(yeast.size).toBe(2417);
    expect(yeast.inputShape).toEqual([103]);
    expect(yeast.features).toBeInstanceOf(Float32Array);
    expect(yeast.features.length).toBe(2417 * 103);
    expect(yeast.numClasses).toBe(14);
    expect(yeast.multiLabels!.length).toBe(2417 * 14);
    expect(yeast.classNames).toEqual(Array.from({ length: 14 }, (_, k) => `label${k + 1}`));
    expect(new Set(yeast.multiLabels)).toEqual(new Set([0, 1]));
    expect(yeast.labels).toBeUndefined();
  });

  it('matches the file cell by cell (independent split on commas)', () => {
    for (const r of [0, 1, 1000, 2416]) {
      const cells = lines[r + 1]!.split(',');
      const labels = cells.slice(0, 14).map((c) => (c === 'TRUE' ? 1 : 0));
      expect(Array.from(yeast.multiLabels!.subarray(r * 14, (r + 1) * 14))).toEqual(labels);
      const features = cells.slice(14).map((c) => Math.fround(Number(c)));
      expect(Array.from(yeast.features.subarray(r * 103, (r + 1) * 103))).toEqual(features);
    }
    // row 0 by hand: FALSE,FALSE,TRUE,TRUE,FALSE… and x1 = 0.0937
    expect(Array.from(yeast.multiLabels!.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(yeast.features[0]).toBeCloseTo(0.0937, 6);
  });

  it('selects the same labels by pattern, by name and from the bytes', async () => {
    const byPattern = await loadMultiLabelCsv(YEAST!, { labelColumns: /^label\d+$/g });
    expect(bytesOf(byPattern.multiLabels!).equals(bytesOf(yeast.multiLabels!))).toBe(true);
    const byName = await loadMultiLabelCsv(readFileSync(YEAST!), {
      labelColumns: Array.from({ length: 14 }, (_, k) => `label${k + 1}`),
      name: 'yeast-bytes',
    });
    expect(byName.name).toBe('yeast-bytes');
    expect(bytesOf(byName.features).equals(bytesOf(yeast.features))).toBe(true);
    expect(bytesOf(byName.multiLabels!).equals(bytesOf(yeast.multiLabels!))).toBe(true);
  });
});

describe('loadMultiLabelCsv on text', () => {
  it('parses quotes, CRLF, blank lines and 1/0/true/false/-1 labels; features in file order', async () => {
    // columns: f1, a (label), "f,2" (quoted name with a comma), b (label)
    const text = 'f1,a,"f,2",b\r\n1.5,TRUE,"-2",0\r\n\r\n3,false,4e1,-1\r\n';
    const ds = await loadMultiLabelCsv(text, { labelColumns: ['a', 3] });
    expect(ds.name).toBe('csv');
    expect(ds.size).toBe(2);
    expect(ds.inputShape).toEqual([2]);
    expect(Array.from(ds.features)).toEqual([1.5, -2, 3, 40]);
    expect(Array.from(ds.multiLabels!)).toEqual([1, 0, 0, -1]);
    expect(ds.classNames).toEqual(['a', 'b']);
    const last = await loadMultiLabelCsv('f1,a,"f,2",b\n1,1,2,0', { labelColumns: { last: 1 } });
    expect(last.classNames).toEqual(['b']);
    expect(Array.from(last.features)).toEqual([1, 1, 2]);
  });

  it('reads a gzipped file without a header', async () => {
    const path = join(dir, 'tiny.csv.gz');
    writeFileSync(path, gzipSync('1,0,0.5\n0,1,0.25\n'));
    const ds = await loadMultiLabelCsv(path, { labelColumns: [0, 1], header: false });
    expect(ds.name).toBe('tiny');
    expect(Array.from(ds.multiLabels!)).toEqual([1, 0, 0, 1]);
    expect(Array.from(ds.features)).toEqual([0.5, 0.25]);
    expect(ds.classNames).toEqual(['column 0', 'column 1']);
  });

  it('says NON_FINITE naming the column, row and line', async () => {
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x1,x2\n1,0.5,1\n0,NaN,2\n', { labelColumns: ['y'] }),
      'NON_FINITE',
      /loadMultiLabelCsv: expected `x1` to be a finite number in every row, got "NaN" in row 1 \(line 3\)/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,-inf\n', { labelColumns: ['y'] }),
      'NON_FINITE',
      /`x`.*"-inf" in row 0/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,1e39\n', { labelColumns: ['y'] }),
      'NON_FINITE',
      /"1e39"/,
    );
  });

  it('says INVALID_FORMAT for text, empty cells, ragged rows and unclosed quotes', async () => {
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,abc\n', { labelColumns: ['y'] }),
      'INVALID_FORMAT',
      /`x` to be a number in every row, got "abc" in row 0 \(line 2\)/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,\n', { labelColumns: ['y'] }),
      'INVALID_FORMAT',
      /got an empty cell in row 0/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,2\n0,1,5\n', { labelColumns: ['y'] }),
      'INVALID_FORMAT',
      /2 cells in every row \(as many as the header\), got 3 cells in row 1 \(line 3\)/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n1,"2\n', { labelColumns: ['y'] }),
      'INVALID_FORMAT',
      /quote opened on line 2 and never closed/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n', { labelColumns: ['y'] }),
      'INVALID_FORMAT',
      /at least one data row, got only a header/,
    );
  });

  it('says INVALID_VALUE for a label that is not 1/0/true/false/-1', async () => {
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv('y,x\n2,1\n', { labelColumns: ['y'] }),
      'INVALID_VALUE',
      /`y` to be a label of 1\/true, 0\/false or -1 \(unknown\) in every row, got "2" in row 0/,
    );
  });

  it('refuses bad label column selections', async () => {
    const text = 'a,b,c\n1,0,1\n';
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, {} as never),
      'INVALID_OPTION',
      /`labelColumns`.*got undefined/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: ['z'] }),
      'INVALID_OPTION',
      /`labelColumns\[0\]` to be a column name \(one of "a", "b", "c"\) or 0-based index, got "z", which is not a column/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: [3] }),
      'INVALID_OPTION',
      /column index in \[0, 2\] \(or -1 … -3 from the end\), got 3 \(the data has 3 columns\)/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: { first: 3 } }),
      'INVALID_OPTION',
      /count in \[1, 2\], got 3/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: ['a', 0] }),
      'INVALID_OPTION',
      /distinct columns/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: /^q/ }),
      'INVALID_OPTION',
      /at least one column/,
    );
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(text, { labelColumns: ['a'], delimiter: ';;' }),
      'INVALID_OPTION',
      /`delimiter`/,
    );
  });

  it('says NOT_FOUND for a missing file', async () => {
    await expectTailwiseErrorAsync(
      () => loadMultiLabelCsv(join(dir, 'none.csv'), { labelColumns: [0] }),
      'NOT_FOUND',
      /none\.csv, which does not exist/,
    );
  });
});

describe('loadCsv', () => {
  it('remaps integer labels to 0..C−1 and names the classes', async () => {
    const ds = await loadCsv('x1;label;x2\n0.5;2;1\n1;0;-1\n', {
      labelColumn: 'label',
      delimiter: ';',
    });
    expect(Array.from(ds.labels!)).toEqual([1, 0]);
    expect(ds.numClasses).toBe(2);
    expect(ds.classNames).toEqual(['0', '2']);
    expect(Array.from(ds.features)).toEqual([0.5, 1, 1, -1]);
    expect(ds.inputShape).toEqual([2]);
    expect(ds.featureNames).toEqual(['x1', 'x2']);
  });

  it('maps text labels to sorted class names', async () => {
    const ds = await loadCsv('a,b,species\n1,2,virginica\n3,4,setosa\n5,6,virginica\n', {
      labelColumn: 'species',
    });
    expect(ds.classNames).toEqual(['setosa', 'virginica']);
    expect(Array.from(ds.labels!)).toEqual([1, 0, 1]);
    expect(ds.numClasses).toBe(2);
  });

  it('refuses empty labels, a missing labelColumn and a name without a header', async () => {
    await expectTailwiseErrorAsync(
      () => loadCsv('x,y\n1, \n', { labelColumn: 'y' }),
      'INVALID_FORMAT',
      /`y` to be a label in every row, got an empty cell in row 0/,
    );
    await expectTailwiseErrorAsync(
      () => loadCsv('x,y\n1,2\n', {} as never),
      'INVALID_OPTION',
      /`labelColumn`/,
    );
    await expectTailwiseErrorAsync(
      () => loadCsv('1,2\n3,4\n', { labelColumn: 'y' }),
      'INVALID_OPTION',
      /0-based column index \(the CSV has no header\), got "y"/,
    );
    await expectTailwiseErrorAsync(
      () => loadCsv(42 as never, { labelColumn: 0 }),
      'INVALID_VALUE',
      /`source` to be text, a file path or bytes, got 42/,
    );
  });
});
