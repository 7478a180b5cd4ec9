import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { readIdx } from '../src/index';
import { readIdxFile } from '../src/node';

const u8 = (...bytes: number[]) => Uint8Array.from(bytes);

// uint8 array of dims [2, 3]: magic 00 00 08 02, dims 2 and 3 (big-endian uint32), data 1..6.
const UINT8_2x3 = u8(0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6);

const dir = mkdtempSync(join(tmpdir(), 'tailwise-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readIdx', () => {
  it('decodes a hand-made uint8 array, raw and gzipped', () => {
    for (const bytes of [UINT8_2x3, gzipSync(UINT8_2x3)]) {
      const out = readIdx(bytes);
      expect(out.dtype).toBe('uint8');
      expect(out.dims).toEqual([2, 3]);
      expect(out.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(out.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('returns a copy, not a view of the input', () => {
    const bytes = UINT8_2x3.slice();
    const out = readIdx(bytes);
    bytes[12] = 99;
    expect(out.data[0]).toBe(1);
    expect(out.data.buffer).not.toBe(bytes.buffer);
  });

  it('decodes every element type big-endian', () => {
    // int8 [2]: 0xff = -1, 0x7f = 127
    expect(Array.from(readIdx(u8(0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 0x7f)).data)).toEqual([-1, 127]);
    // int16 [2]: 0xfffe = -2, 0x0102 = 258
    const i16 = readIdx(u8(0, 0, 0x0b, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x01, 0x02));
    expect(i16.dtype).toBe('int16');
    expect(Array.from(i16.data)).toEqual([-2, 258]);
    // int32 [2]: 0xffffffff = -1, 0x01020304 = 16909060
    const i32 = readIdx(u8(0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4));
    expect(i32.data).toBeInstanceOf(Int32Array);
    expect(Array.from(i32.data)).toEqual([-1, 16909060]);
    // float32 [1]: 0x3fc00000 = 1.5
    const f32 = readIdx(u8(0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0));
    expect(f32.dtype).toBe('float32');
    expect(Array.from(f32.data)).toEqual([1.5]);
    // float64 [1, 1]: 0xc002000000000000 = -2.25
    const f64 = readIdx(u8(0, 0, 0x0e, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0xc0, 0x02, 0, 0, 0, 0, 0, 0));
    expect(f64.dims).toEqual([1, 1]);
    expect(Array.from(f64.data)).toEqual([-2.25]);
  });

  it('decodes a float32 array at an odd byte offset (a view into a larger buffer)', () => {
    const big = new Uint8Array(13);
    big.set(u8(0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0), 1);
    expect(Array.from(readIdx(big.subarray(1)).data)).toEqual([1.5]);
  });

  it('refuses a bad magic number', () => {
    expectTailwiseError(
      () => readIdx(u8(1, 0, 0x08, 1, 0, 0, 0, 1, 7)),
      'INVALID_FORMAT',
      /readIdx: expected `data` to be IDX data whose magic number starts with 0x00 0x00, got 0x01 0x00/,
    );
  });

  it('refuses an unknown type byte', () => {
    expectTailwiseError(
      () => readIdx(u8(0, 0, 0x0a, 1, 0, 0, 0, 1, 7)),
      'INVALID_FORMAT',
      /type byte .* got 0x0a/,
    );
  });

  it('refuses zero dimensions, a short header and a file shorter than the magic number', () => {
    expectTailwiseError(
      () => readIdx(u8(0, 0, 0x08, 0)),
      'INVALID_FORMAT',
      /at least 1 dimension, got 0 dimensions/,
    );
    expectTailwiseError(
      () => readIdx(u8(0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0)),
      'INVALID_FORMAT',
      /16-byte header for 3 dimensions, got 10 bytes in all/,
    );
    expectTailwiseError(
      () => readIdx(u8(0, 0)),
      'INVALID_FORMAT',
      /4-byte magic number, got 2 bytes/,
    );
  });

  it('refuses truncated data and trailing data, naming the expected length and dims', () => {
    // dims [2, 3] of uint8 need 6 data bytes; 5 came.
    expectTailwiseError(
      () => readIdx(UINT8_2x3.subarray(0, 17)),
      'INVALID_FORMAT',
      /expected `data` to be IDX data with 6 bytes of data for dims \[2, 3\] of uint8, got 5 bytes/,
    );
    const longer = new Uint8Array(19);
    longer.set(UINT8_2x3);
    expectTailwiseError(
      () => readIdx(longer),
      'INVALID_FORMAT',
      /6 bytes of data for dims \[2, 3\] of uint8, got 7 bytes/,
    );
    // wrong dims: [60000, 28, 28] of uint8 = 47040000 bytes; 1000 came.
    const header = u8(0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28);
    const bytes = new Uint8Array(header.length + 1000);
    bytes.set(header);
    expectTailwiseError(
      () => readIdx(bytes),
      'INVALID_FORMAT',
      /47040000 bytes of data for dims \[60000, 28, 28\] of uint8, got 1000 bytes/,
    );
    // int16 [2] needs 4 bytes
    expectTailwiseError(
      () => readIdx(u8(0, 0, 0x0b, 1, 0, 0, 0, 2, 0, 1, 0)),
      'INVALID_FORMAT',
      /4 bytes of data for dims \[2\] of int16, got 3 bytes/,
    );
  });

  it('refuses a truncated gzip stream', () => {
    const gz = gzipSync(UINT8_2x3);
    expectTailwiseError(
      () => readIdx(gz.subarray(0, gz.length - 6)),
      'INVALID_FORMAT',
      /complete gzip data, got a gzip stream that fails to inflate/,
    );
  });

  it('refuses input that is not bytes', () => {
    expectTailwiseError(
      () => readIdx([0, 0, 8, 1] as unknown as Uint8Array),
      'INVALID_VALUE',
      /readIdx: expected `data` to be a Uint8Array/,
    );
  });
});

describe('readIdxFile', () => {
  it('reads raw and gzipped files', async () => {
    writeFileSync(join(dir, 'a.idx'), UINT8_2x3);
    writeFileSync(join(dir, 'a.idx.gz'), gzipSync(UINT8_2x3));
    for (const name of ['a.idx', 'a.idx.gz']) {
      const out = await readIdxFile(join(dir, name));
      expect(out.dims).toEqual([2, 3]);
      expect(Array.from(out.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('names the file in format errors and says NOT_FOUND for a missing file', async () => {
    const path = join(dir, 'short.idx');
    writeFileSync(path, UINT8_2x3.subarray(0, 14));
    await expectTailwiseErrorAsync(
      () => readIdxFile(path),
      'INVALID_FORMAT',
      new RegExp(`readIdxFile: expected \`path\` \\(${path}\\) to be .*got 2 bytes`),
    );
    await expectTailwiseErrorAsync(
      () => readIdxFile(join(dir, 'nope.idx')),
      'NOT_FOUND',
      /nope\.idx, which does not exist/,
    );
  });
});
