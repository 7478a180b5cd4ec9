import { TailwiseError, type TailwiseErrorCode } from '@tailwise/core';
import { Gunzip } from 'fflate';

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Throws a TailwiseError in the house wording, naming the file when there is one:
 * ``fn: expected `param` (/path/file) to be X, got Y``.
 */
export function failAt(
  code: TailwiseErrorCode,
  functionName: string,
  parameter: string,
  source: string | undefined,
  expected: string,
  got: string,
  cause?: unknown,
): never {
  const subject = source === undefined ? `\`${parameter}\`` : `\`${parameter}\` (${source})`;
  throw new TailwiseError(
    code,
    `${functionName}: expected ${subject} to be ${expected}, got ${got}`,
    {
      functionName,
      parameter,
      cause,
    },
  );
}

/** Gunzips `bytes` when they carry the gzip magic number; passes them through otherwise. */
export function maybeGunzip(
  bytes: Uint8Array,
  functionName: string,
  parameter: string,
  source?: string,
): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipChecked(bytes);
  } catch (error) {
    return failAt(
      'INVALID_FORMAT',
      functionName,
      parameter,
      source,
      'complete gzip data',
      `a gzip stream that fails to inflate (${(error as Error).message})`,
      error,
    );
  }
}

/**
 * Inflates one gzip member and checks its trailer. fflate's `gunzipSync` sizes its output from
 * the last four bytes (ISIZE) without checking them, so a cut file made it allocate gigabytes and
 * fail with a RangeError; streaming inflation allocates as it goes, and the ISIZE check refuses
 * a stream that ends early.
 */
function gunzipChecked(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 18)
    throw new Error(`${bytes.length} bytes, fewer than a gzip header and trailer`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Gunzip((chunk) => {
    chunks.push(chunk.slice());
    total += chunk.length;
  });
  inflater.push(bytes, true);
  const n = bytes.length;
  const isize =
    (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  if (isize !== total >>> 0) {
    throw new Error(`the trailer gives ${isize} bytes, the stream inflates to ${total}`);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
