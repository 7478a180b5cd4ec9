// Node-only modules loaded on demand. The specifiers sit in variables so that a browser bundle of
// the trainer's main entry does not try to resolve them; the code that calls these only runs for
// Node-only options (`logFile`, checkpoints).

/** `node:fs`, loaded when a Node-only option needs it. */
export async function nodeFs(): Promise<typeof import('node:fs')> {
  const name = 'node:fs';
  return (await import(/* @vite-ignore */ name)) as typeof import('node:fs');
}

/** `node:path`, loaded when a Node-only option needs it. */
export async function nodePath(): Promise<typeof import('node:path')> {
  const name = 'node:path';
  return (await import(/* @vite-ignore */ name)) as typeof import('node:path');
}
