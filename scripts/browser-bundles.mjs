// Bundles the main entry of every package for the browser with esbuild, with nothing
// external but TensorFlow.js, and fails when any of them pulls in a Node module.
//   pnpm build && pnpm test:bundle
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');
const failures = [];
for (const dir of readdirSync(packagesDir).sort()) {
  const pkgDir = join(packagesDir, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  // The CLI is a Node program by purpose (a bin); it has no browser entry to check.
  if (pkg.bin) {
    console.log(`skip ${pkg.name}: a command-line program (bin), Node only`);
    continue;
  }
  try {
    const result = await build({
      stdin: { contents: `export * from '${pkg.name}';`, resolveDir: pkgDir, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Only tfjs stays outside: the page brings one copy of it for every package.
      external: ['@tensorflow/*'],
    });
    const bytes = result.outputFiles[0].contents.length;
    const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('tfjs'));
    console.log(
      `ok   ${pkg.name}: ${(bytes / 1024).toFixed(1)} KB unminified, ${inputs.length} input files`,
    );
  } catch (error) {
    const messages = (error.errors ?? [{ text: String(error) }]).map(
      (e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`,
    );
    failures.push(pkg.name);
    console.log(`FAIL ${pkg.name}:\n  ${messages.join('\n  ')}`);
  }
}
if (failures.length > 0) {
  console.error(`\nbrowser bundle failed for ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nevery package bundles for the browser');
