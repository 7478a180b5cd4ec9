/**
 * `node:fs` and `node:path`, loaded when a Node-only feature (checkpoints, the JSONL log) is
 * used. Specifiers in variables keep bundlers from resolving Node modules for a browser build.
 */
export async function nodeModules(): Promise<{
  fs: typeof import('node:fs');
  path: typeof import('node:path');
}> {
  const fsName = 'node:fs';
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  return { fs, path };
}
