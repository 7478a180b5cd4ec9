import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Runs `fn` with a fresh staging directory beside `out` (`.<name>.partial-<pid>-<n>`) and, when
 * it succeeds, moves every entry it wrote into `out` (created if needed; entries of the same
 * name are replaced). When `fn` throws, the staging directory is removed, so `out` never holds
 * the partial files of a failed run. Without `out`, runs `fn(undefined)`.
 */
export async function withStagedDir<T>(
  out: string | undefined,
  fn: (dir: string | undefined) => Promise<T>,
): Promise<T> {
  if (out === undefined) return fn(undefined);
  let n = 0;
  let staging: string;
  do {
    staging = join(dirname(out), `.${basename(out)}.partial-${process.pid}-${n++}`);
  } while (existsSync(staging));
  mkdirSync(staging, { recursive: true });
  try {
    const result = await fn(staging);
    mkdirSync(out, { recursive: true });
    for (const entry of readdirSync(staging)) {
      const target = join(out, entry);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(staging, entry), target);
    }
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
