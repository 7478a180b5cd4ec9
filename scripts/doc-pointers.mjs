// Code and docs cite the repository's own notes, never files outside it. This rewrites the old
// pointers (METHODS.md §00N, METHODS.md, PERFORMANCE.md, STYLE.md, DESIGN.md) to the
// repository's pages, and with --check fails if any is left.
//   node scripts/doc-pointers.mjs --write | --check
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const NOTES = {
  0: 'docs/methods/000-plr.md',
  1: 'docs/methods/001-partial-annotations.md',
  2: 'docs/methods/002-plm.md',
  3: 'docs/methods/003-qll-cpu.md',
  4: 'docs/methods/004-udal.md',
};
/** The note a bare "METHODS.md" in this file means, from the file's subject. */
function noteFor(path) {
  if (/pll|plr|proden|solar|records|pseudo-label-cost|selected-mixup|two-stage/.test(path))
    return NOTES[0];
  if (/plm|ratio-adapter|positive-negative|class-balanced|undersample/.test(path)) return NOTES[2];
  if (/ssl|udal|fixmatch|progressive-target|distribution-alignment|la-sup/.test(path))
    return NOTES[4];
  if (/qll|cpu-semi|ambiguous/.test(path)) return NOTES[3];
  if (/multilabel|partial-annotation|assume-negative|subsample-unknown|role/.test(path))
    return NOTES[1];
  return 'docs/methods/README.md';
}

const RULES = [
  // "METHODS.md §002" (with or without a comma) → the paper's note
  [/METHODS\.md,? §00([0-4])/g, (_, n) => NOTES[n]],
  // "METHODS.md, Views …" / "METHODS.md §views"
  [/METHODS\.md,? (?:§)?[Vv]iews/g, () => 'docs/methods/views.md'],
  // any other "METHODS.md": the note of the file's subject, or the shared conventions
  [/METHODS\.md/g, (_, path) => noteFor(path)],
  [/PERFORMANCE\.md/g, () => 'docs/performance.md'],
  [/STYLE\.md/g, () => 'CONTRIBUTING.md'],
  [/DESIGN\.md/g, () => 'CONTRIBUTING.md'],
];

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|mts|cts|mjs|js|md|json)$/.test(f))
  .filter(
    (f) =>
      !f.startsWith('docs/api/') && f !== 'scripts/doc-pointers.mjs' && !f.endsWith('CHANGELOG.md'),
  );

const mode = process.argv[2];
const left = [];
let changed = 0;
for (const f of files) {
  let text;
  try {
    text = readFileSync(join(root, f), 'utf8');
  } catch {
    continue;
  }
  if (mode === '--check') {
    text.split('\n').forEach((line, i) => {
      if (
        /\b(METHODS|PERFORMANCE|STYLE|DESIGN)\.md\b|\.\.\/shared\/(DESIGN|METHODS|STYLE|PERFORMANCE)/.test(
          line,
        )
      )
        left.push(`${f}:${i + 1}: ${line.trim()}`);
    });
    continue;
  }
  let out = text;
  for (const [re, to] of RULES) out = out.replace(re, (...m) => to(m[0], ...m.slice(1, -2), f));
  if (out !== text) {
    writeFileSync(join(root, f), out);
    changed++;
  }
}
if (mode === '--check') {
  if (left.length > 0) {
    console.error(`pointers to files outside the repository:\n${left.join('\n')}`);
    process.exit(1);
  }
  console.log('ok no pointer to METHODS.md, PERFORMANCE.md, STYLE.md or DESIGN.md');
} else if (mode === '--write') {
  console.log(`rewrote ${changed} files`);
} else {
  console.error('usage: node scripts/doc-pointers.mjs --write | --check');
  process.exit(2);
}
