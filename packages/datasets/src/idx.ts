import { describeValue, fail } from '@tailwise/core';
import { failAt, maybeGunzip } from './internal/loaders-io';

/** Element types of the IDX format, by their type byte (0x08 … 0x0E). */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/**
 * A decoded IDX array: `dims` as in the header, `data` row-major in host byte order.
 * The union is discriminated by `dtype`, so `data`'s type follows from it.
 */
export type IdxArray =
  | { readonly dtype: 'uint8'; readonly dims: number[]; readonly data: Uint8Array }
  | { readonly dtype: 'int8'; readonly dims: number[]; readonly data: Int8Array }
  | { readonly dtype: 'int16'; readonly dims: number[]; readonly data: Int16Array }
  | { readonly dtype: 'int32'; readonly dims: number[]; readonly data: Int32Array }
  | { readonly dtype: 'float32'; readonly dims: number[]; readonly data: Float32Array }
  | { readonly dtype: 'float64'; readonly dims: number[]; readonly data: Float64Array };

const TYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/** @internal Decodes IDX bytes (gzipped or raw); errors name `parameter` and `source`. */
export function parseIdx(
  input: Uint8Array,
  functionName: string,
  parameter: string,
  source?: string,
): IdxArray {
  const bytes = maybeGunzip(input, functionName, parameter, source);
  const bad = (expected: string, got: string): never =>
    failAt('INVALID_FORMAT', functionName, parameter, source, expected, got);
  if (bytes.length < 4)
    bad('IDX data starting with a 4-byte magic number', `${bytes.length} bytes`);
  const [z0, z1, typeByte, ndim] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (z0 !== 0 || z1 !== 0) {
    bad('IDX data whose magic number starts with 0x00 0x00', `${hex(z0)} ${hex(z1)}`);
  }
  const type = TYPES[typeByte];
  if (type === undefined) {
    bad('IDX data with a type byte of 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e', hex(typeByte));
  }
  if (ndim === 0) bad('IDX data with at least 1 dimension', '0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    bad(
      `IDX data with a ${headerBytes}-byte header for ${ndim} dimensions`,
      `${bytes.length} bytes in all`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const dataBytes = bytes.length - headerBytes;
  const expectedBytes = count * type!.bytes;
  if (dataBytes !== expectedBytes) {
    bad(
      `IDX data with ${expectedBytes} bytes of data for dims [${dims.join(', ')}] of ${type!.dtype}`,
      `${dataBytes} bytes`,
    );
  }
  // IDX stores multi-byte values big-endian; DataView reads them in any host order.
  switch (type!.dtype) {
    case 'uint8': {
      const data = new Uint8Array(count);
      data.set(bytes.subarray(headerBytes));
      return { dtype: 'uint8', dims, data };
    }
    case 'int8': {
      const data = new Int8Array(count);
      data.set(new Int8Array(bytes.buffer, bytes.byteOffset + headerBytes, count));
      return { dtype: 'int8', dims, data };
    }
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(headerBytes + 2 * i, false);
      return { dtype: 'int16', dims, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(headerBytes + 4 * i, false);
      return { dtype: 'int32', dims, data };
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(headerBytes + 4 * i, false);
      return { dtype: 'float32', dims, data };
    }
    default: {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(headerBytes + 8 * i, false);
      return { dtype: 'float64', dims, data };
    }
  }
}

/**
 * Decodes an IDX array (the MNIST file format: LeCun et al., "The MNIST database").
 *
 * Layout: magic number `0x00 0x00 <type> <ndim>`, then `ndim` big-endian uint32 sizes, then
 * `prod(dims)` big-endian values of the type (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
 * 0x0D float32, 0x0E float64). Data starting with the gzip magic `1f 8b` is gunzipped first
 * (with fflate, so it works in a browser too), so the `.gz` files of Debian's `dataset-fashion-mnist` read as they are.
 *
 * Throws `INVALID_FORMAT` when the magic number, the type byte, the header or the data
 * length is wrong (the message says which and what came), or when the gzip stream is broken.
 *
 * @example
 * ```ts
 * const { dtype, dims, data } = readIdx(bytes); // 'uint8', [60000, 28, 28], Uint8Array(47040000)
 * ```
 * @returns plain typed arrays (no tensors); `data` is a fresh copy owned by the caller.
 */
export function readIdx(data: Uint8Array): IdxArray {
  if (!(data instanceof Uint8Array))
    fail('INVALID_VALUE', 'readIdx', 'data', 'a Uint8Array', describeValue(data));
  return parseIdx(data, 'readIdx', 'data');
}
