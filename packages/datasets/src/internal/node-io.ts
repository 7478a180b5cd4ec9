import { readFile } from 'node:fs/promises';
import { describeValue, fail } from '@tailwise/core';
import { failAt } from './loaders-io';

/**
 * Reads a whole file; a missing file is `NOT_FOUND` naming the path, with `expected` saying
 * what was wanted and `hint` appended (e.g. how to install it).
 */
export async function readFileBytes(
  path: string,
  functionName: string,
  parameter: string,
  { expected = 'an existing file', hint = '' }: { expected?: string; hint?: string } = {},
): Promise<Uint8Array> {
  if (typeof path !== 'string' || path.length === 0) {
    fail('INVALID_OPTION', functionName, parameter, 'a file path', describeValue(path));
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return failAt(
        'NOT_FOUND',
        functionName,
        parameter,
        undefined,
        expected,
        `${path}, which does not exist${hint}`,
        error,
      );
    }
    return failAt(
      'INVALID_VALUE',
      functionName,
      parameter,
      undefined,
      'a readable file',
      `${path} (${(error as Error).message})`,
      error,
    );
  }
}
