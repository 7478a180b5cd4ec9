// Every JavaScript/TypeScript code block of a README (and of the recipe pages in docs/) is a
// file under examples/readme/:
//   <!-- example: examples/readme/quickstart.mjs -->
//   ```js
//   …exactly the file's text…
//   ```
//   node scripts/readme-examples.mjs --check   fails on a block without a marker or one that
//                                             differs from its file
//   node scripts/readme-examples.mjs --write   copies each file's text into its block
//   node scripts/readme-examples.mjs --run     runs every file (TypeScript through esbuild);
//                                             each must exit 0 and print something
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = join(root, 'examples', 'readme');
const args = new Set(process.argv.slice(2));
const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
const MARKER = /^<!-- example: (examples\/readme\/[\w.-]+) -->$/;

function readmes() {
  // READMEs, CONTRIBUTING and the docs pages that are recipes for users.
  const files = ['README.md', 'CONTRIBUTING.md', 'docs/model-compile.md', 'docs/browser.md'];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir)).sort()) files.push(`${dir}/${name}/README.md`);
  }
  return files.filter((f) => existsSync(join(root, f)));
}

/** The fenced code blocks of a Markdown text, with the marker line above each. */
function blocks(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== '```') j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    out.push({ lang: open[1], start: i, end: j, marker: MARKER.exec(lines[k] ?? '')?.[1] });
    i = j;
  }
  return out;
}

const problems = [];
const used = new Set();
for (const file of readmes()) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let changed = false;
  for (const b of blocks(text).reverse()) {
    if (!CODE.has(b.lang)) continue;
    const where = `${file}:${b.start + 1}`;
    if (!b.marker) {
      problems.push(
        `${where}: a \`${b.lang}\` block without an <!-- example: examples/readme/… --> marker`,
      );
      continue;
    }
    used.add(b.marker);
    const examplePath = join(root, b.marker);
    if (!existsSync(examplePath)) {
      problems.push(`${where}: ${b.marker} does not exist`);
      continue;
    }
    const want = readFileSync(examplePath, 'utf8').replace(/\n$/, '').split('\n');
    const have = lines.slice(b.start + 1, b.end);
    if (have.join('\n') === want.join('\n')) continue;
    if (args.has('--write')) {
      lines.splice(b.start + 1, b.end - b.start - 1, ...want);
      changed = true;
    } else {
      problems.push(
        `${where}: the block differs from ${b.marker} (run node scripts/readme-examples.mjs --write)`,
      );
    }
  }
  if (changed) {
    writeFileSync(path, lines.join('\n'));
    console.log(`wrote ${file}`);
  }
}
const files = readdirSync(examplesDir)
  .filter((f) => /\.(mjs|ts)$/.test(f) && !f.endsWith('.d.ts'))
  .sort();
for (const f of files) {
  if (!used.has(`examples/readme/${f}`)) problems.push(`examples/readme/${f}: no README shows it`);
}
if (args.has('--check') || args.has('--run')) {
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`ok every README code block is one of the ${files.length} files in examples/readme`);
}

if (args.has('--run')) {
  // Under node_modules: ignored by git and Biome, and imports still resolve from examples/readme.
  const runDir = join(examplesDir, 'node_modules', '.readme-run');
  mkdirSync(runDir, { recursive: true });
  let failed = 0;
  for (const f of files) {
    let script = join(examplesDir, f);
    if (f.endsWith('.ts')) {
      const { code } = transformSync(readFileSync(script, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        sourcefile: f,
      });
      script = join(runDir, f.replace(/\.ts$/, '.mjs'));
      writeFileSync(script, code);
    }
    const started = Date.now();
    const r = spawnSync(process.execPath, [script], {
      cwd: examplesDir,
      encoding: 'utf8',
      timeout: 180_000,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const output = (r.stdout ?? '').trim();
    if (r.status === 0 && output.length > 0) {
      console.log(`ok   ${f} (${seconds} s): ${output.split('\n').at(-1)}`);
    } else {
      failed++;
      console.log(`FAIL ${f} (exit ${r.status ?? r.signal}, ${seconds} s)\n${output}\n${r.stderr}`);
    }
  }
  if (failed > 0) process.exit(1);
}
