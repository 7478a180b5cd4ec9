import { describeValue, fail, TailwiseError } from '@tailwise/core';
import { nodeFs, nodePath } from './node-modules';

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');

async function node(): Promise<{ fs: Fs; path: Path }> {
  return { fs: await nodeFs(), path: await nodePath() };
}

/** Options of {@link ensureWritableDirectory}. */
export interface WritableDirectoryOptions {
  /**
   * Create the folder (default). With `false` nothing is left behind: the first missing level
   * is made and removed again (or, for an existing folder, a probe file is written and deleted),
   * for callers that write their output only when they succeed.
   */
  create?: boolean;
}

/**
 * Creates `dir` (and missing parents) and proves it writable, or throws `INVALID_OPTION` naming
 * `parameter` at once. Each level is made with a plain `mkdirSync`: Node's recursive mkdir does
 * not return on some paths it cannot create (`/proc/forbidden` loops forever), which made
 * `tailwise train --out /proc/forbidden` hang.
 */
export function ensureWritableDirectorySync(
  fs: Fs,
  path: Path,
  dir: string,
  functionName: string,
  parameter: string,
  options: WritableDirectoryOptions = {},
): void {
  const create = options.create ?? true;
  if (typeof dir !== 'string' || dir.length === 0) {
    fail('INVALID_OPTION', functionName, parameter, 'a folder path', describeValue(dir));
  }
  const refuse = (why: string): never =>
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'a folder that can be created and written',
      `${dir} (${why})`,
    );
  const absolute = path.resolve(dir);
  const levels: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    levels.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of levels) {
    let stat: import('node:fs').Stats | undefined;
    try {
      stat = fs.statSync(level);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') refuse(`${code ?? 'error'} on ${level}`);
    }
    if (stat) {
      if (!stat.isDirectory()) refuse(`${level} is not a folder`);
      continue;
    }
    try {
      fs.mkdirSync(level);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') refuse(`cannot create ${level}: ${code ?? (error as Error).message}`);
    }
    if (!create) {
      // The first missing level could be made: the rest can be made inside it. Leave nothing.
      try {
        fs.rmdirSync(level);
      } catch {
        // made by someone else meanwhile: theirs to keep
      }
      return;
    }
  }
  const probe = path.join(absolute, `.tailwise-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.unlinkSync(probe);
  } catch (error) {
    if (TailwiseError.isInstance(error)) throw error;
    refuse(
      `cannot write in it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Async form of `ensureWritableDirectorySync` that loads `node:fs` itself. */
export async function ensureWritableDirectory(
  dir: string,
  functionName: string,
  parameter: string,
  options: WritableDirectoryOptions = {},
): Promise<void> {
  const { fs, path } = await node();
  ensureWritableDirectorySync(fs, path, dir, functionName, parameter, options);
}

/** The folder of a file path (for `logFile`). */
export async function parentOf(file: string): Promise<string> {
  const { path } = await node();
  return path.dirname(path.resolve(file));
}
