#!/usr/bin/env node
// Imbalanced partial-label learning benchmark (PLR paper 000; docs/methods/000-plr.md): ce (upper
// bound, sees the true labels), proden, cc, solar, records and plr on Fashion-MNIST-LT
// (γ = 100, ψ ∈ {0.3, 0.5}) and MNIST-LT (γ = 100, ψ = 0.3), class order permuted with a
// different permutation per seed, driven through the CLI as a user would run it.
//
//   pnpm bench pll                (builds first; or: node bench/pll.mjs after `pnpm build`)
//
// Options: --seeds 3 --fashion-epochs 10 --mnist-epochs 30 --batch-size 256 --lr 0.05
//          --jobs 2 (settings run in this many parallel CLI processes)
//          --methods ce,proden,cc,solar,records,plr --natural (also the natural class order)
//          --out /tmp/tailwise-bench-pll --doc docs/benchmarks/pll.md
//          --only fashion-0.3,fashion-0.5,mnist-0.3
// Writes the section between the pll markers of the doc, and one SVG chart per setting
// into docs/benchmarks/pll/.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { finite, meanStd } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opts } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    'fashion-epochs': { type: 'string', default: '10' },
    'mnist-epochs': { type: 'string', default: '30' },
    'batch-size': { type: 'string', default: '256' },
    lr: { type: 'string', default: '0.05' },
    jobs: { type: 'string', default: '2' },
    methods: { type: 'string', default: 'ce,proden,cc,solar,records,plr' },
    natural: { type: 'boolean', default: false },
    out: { type: 'string', default: '/tmp/tailwise-bench-pll' },
    doc: { type: 'string', default: join(root, 'docs/benchmarks/pll.md') },
    only: { type: 'string' },
  },
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const fashionFiles = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const missing = fashionFiles.filter((f) => !existsSync(join(FASHION, f)));
if (missing.length > 0) {
  console.error(
    `bench pll: Fashion-MNIST is missing (${missing.map((f) => join(FASHION, f)).join(', ')}).\n` +
      'Install it with `apt-get install dataset-fashion-mnist`; this benchmark does not run without it.',
  );
  process.exit(1);
}
const bin = join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  console.error(`bench pll: ${bin} is missing; run \`pnpm build\` (pnpm bench pll does).`);
  process.exit(1);
}

const seeds = Number(opts.seeds);
const methods = opts.methods.split(',').map((m) => m.trim());
const fashionEpochs = Number(opts['fashion-epochs']);
const mnistEpochs = Number(opts['mnist-epochs']);
const orders = opts.natural ? ['permuted', 'natural'] : ['permuted'];

/** The settings; `flip` only where a mirror image keeps the class (not for digits). */
const settings = orders.flatMap((order) => [
  {
    id: `fashion-0.3${order === 'natural' ? '-natural' : ''}`,
    dataset: 'fashion-mnist-lt',
    psi: 0.3,
    epochs: fashionEpochs,
    flip: true,
    order,
    title: `Fashion-MNIST-LT, γ = 100, ψ = 0.3, ${order} class order`,
  },
  {
    id: `fashion-0.5${order === 'natural' ? '-natural' : ''}`,
    dataset: 'fashion-mnist-lt',
    psi: 0.5,
    epochs: fashionEpochs,
    flip: true,
    order,
    title: `Fashion-MNIST-LT, γ = 100, ψ = 0.5, ${order} class order`,
  },
  {
    id: `mnist-0.3${order === 'natural' ? '-natural' : ''}`,
    dataset: 'mnist-lt',
    psi: 0.3,
    epochs: mnistEpochs,
    flip: false,
    order,
    title: `MNIST-LT, γ = 100, ψ = 0.3, ${order} class order`,
  },
]);
const only = opts.only?.split(',').map((s) => s.trim());
const chosen = only ? settings.filter((s) => only.includes(s.id)) : settings;

function argsFor(s) {
  const args = [
    'compare',
    '--dataset',
    s.dataset,
    '--gamma',
    '100',
    '--psi',
    String(s.psi),
    '--order',
    s.order,
    '--methods',
    methods.join(','),
    '--seeds',
    String(seeds),
    '--epochs',
    String(s.epochs),
    '--batch-size',
    opts['batch-size'],
    '--lr',
    opts.lr,
    '--backend',
    'wasm',
    '--model',
    'mlp',
    '--no-progress',
    '--out',
    join(opts.out, s.id),
    '--title',
    s.title,
  ];
  for (const m of ['plr', 'solar'])
    if (methods.includes(m)) args.push('--opt', `${m}.flip=${s.flip}`);
  return args;
}

const commandOf = (s) =>
  `node packages/cli/dist/bin.js ${argsFor(s)
    .map((a) => (/[\s,=γψ]/.test(a) && !a.startsWith('--') ? `'${a}'` : a))
    .join(' ')}`;

function runSetting(s) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    mkdirSync(join(opts.out, s.id), { recursive: true });
    const log = join(opts.out, `${s.id}.log`);
    const child = spawn(process.execPath, [bin, ...argsFor(s)], { cwd: root });
    let text = '';
    const take = (chunk) => {
      text += chunk;
      for (const line of String(chunk).split('\n'))
        if (line.startsWith('==') || line.includes('overall'))
          console.log(`[${s.id}] ${line.trim()}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => {
      writeFileSync(log, text);
      if (code !== 0)
        reject(new Error(`bench pll: setting ${s.id} failed (exit ${code}); see ${log}`));
      else resolve({ ...s, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Runs the settings in `jobs` lanes, longest (Fashion) first. */
async function runAll(list, jobs) {
  const queue = [...list];
  const done = [];
  const lane = async () => {
    while (queue.length > 0) done.push(await runSetting(queue.shift()));
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, lane));
  return chosen.map((s) => done.find((d) => d.id === s.id));
}

const t0 = performance.now();
const finished = await runAll(chosen, Number(opts.jobs));
const totalSeconds = (performance.now() - t0) / 1000;

const pct = (x) => (100 * x).toFixed(2);
function meanStdText(xs) {
  const clean = finite(xs);
  if (clean.length === 0) return '–';
  const { mean, std } = meanStd(clean);
  return `${pct(mean)} ± ${pct(std)}`;
}

const chartDir = join(dirname(opts.doc), 'pll');
mkdirSync(chartDir, { recursive: true });
const sections = [];
for (const s of finished) {
  const result = JSON.parse(readFileSync(join(opts.out, s.id, 'compare.json'), 'utf8'));
  const rows = methods.map((m) => {
    const runs = result.runs.filter((r) => r.method === m);
    const secs = runs.reduce((a, r) => a + r.secondsPerEpoch, 0) / Math.max(runs.length, 1);
    return `| ${m} | ${runs.length} | ${meanStdText(runs.map((r) => r.evaluation.accuracy))} | ${meanStdText(runs.map((r) => r.evaluation.many))} | ${meanStdText(runs.map((r) => r.evaluation.medium))} | ${meanStdText(runs.map((r) => r.evaluation.few))} | ${secs.toFixed(2)} |`;
  });
  copyFileSync(join(opts.out, s.id, 'compare.svg'), join(chartDir, `${s.id}.svg`));
  sections.push(`### ${s.title}

${s.epochs} epochs, batch ${opts['batch-size']}, ${seeds} seeds (${(s.seconds / 60).toFixed(1)} min wall). Command:

\`\`\`sh
${commandOf(s)}
\`\`\`

| method | seeds | overall % | many % | medium % | few % | s/epoch |
|---|---|---|---|---|---|---|
${rows.join('\n')}

![${s.title}](pll/${s.id}.svg)
`);
}

const section = `<!-- pll:start (written by bench/pll.mjs) -->
## Accuracy: \`pnpm bench pll\`

Command: \`pnpm bench pll${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` — ${(totalSeconds / 60).toFixed(1)} min wall time in ${Math.min(Number(opts.jobs), chosen.length)} parallel CLI processes.
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, backend wasm (tailwise's training
kernels), model \`mlp\` (784-256-C), SGD momentum 0.9, weight decay 5e-4, cosine learning rate from
${opts.lr}. Test accuracy on the balanced test set after the last epoch, mean ± sample std over seeds
0…${seeds - 1}; the seed also draws the class order (a different permutation per seed), the long tail and the
candidate sets. Many / medium / few = the first ⌊C/3⌋, the last C − ⌊2C/3⌋ and the other classes by
training count. Method options are the recipes' defaults (the papers' values) except \`flip\` (on for
Fashion-MNIST, off for digits).

${sections.join('\n')}
<!-- pll:end -->`;

let doc = existsSync(opts.doc)
  ? readFileSync(opts.doc, 'utf8')
  : '# Partial-label learning benchmarks\n';
const start = doc.indexOf('<!-- pll:start');
const end = doc.indexOf('<!-- pll:end -->');
if (start >= 0 && end > start)
  doc = doc.slice(0, start) + section + doc.slice(end + '<!-- pll:end -->'.length);
else doc = `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(opts.doc, doc);
console.log(
  `\nbench pll: ${(totalSeconds / 60).toFixed(1)} min; wrote ${opts.doc} and ${chartDir}/*.svg`,
);
