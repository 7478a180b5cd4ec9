import { TailwiseError, type TailwiseErrorCode } from '@tailwise/core';
import { gunzipSync } from 'fflate';

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
    return gunzipSync(bytes);
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
