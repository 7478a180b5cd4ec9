#!/usr/bin/env node
// Learning from ambiguous data with quantized labels (QLL, paper 003;
// docs/methods/003-qll-cpu.md): CPU against CE, GCE, SCE, Bootstrap and JS on Fashion-MNIST-Q
// and MNIST-Q, each made with Mixup (m = 2) and PatchMix (m = 4), driven through the CLI.
// Reports the best and the last-epoch clean test accuracy (the paper's regime: CE overfits its
// quantized labels, so its last epoch falls below its best) and per-epoch test-accuracy curves.
//
//   pnpm bench qll                 (builds first; or: node bench/qll.mjs after `pnpm build`)
//
// Options: --seeds 3 --epochs 40 --train-size 400 --test-size 1000 --batch-size 64 --lr 0.1
//          --model cnn-small --methods ce,gce,sce,bootstrap,js,cpu --jobs 1
//          --only fashion-mixup,fashion-patchmix,mnist-mixup,mnist-patchmix
//          --report-only (skip training; rebuild the doc from the runs under --out)
//          --out /tmp/tailwise-bench-qll --doc docs/benchmarks/qll.md
// Writes the section between the qll markers of the doc and one SVG chart per setting into
// docs/benchmarks/qll/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lineChartSvg } from '@tailwise/cli';
import { finite, meanStd } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opts } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '40' },
    'train-size': { type: 'string', default: '400' },
    'test-size': { type: 'string', default: '1000' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.1' },
    model: { type: 'string', default: 'cnn-small' },
    methods: { type: 'string', default: 'ce,gce,sce,bootstrap,js,cpu' },
    jobs: { type: 'string', default: '1' },
    only: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    out: { type: 'string', default: '/tmp/tailwise-bench-qll' },
    doc: { type: 'string', default: join(root, 'docs/benchmarks/qll.md') },
  },
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const missing = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
].filter((f) => !existsSync(join(FASHION, f)));
if (missing.length > 0) {
  console.error(
    `bench qll: Fashion-MNIST is missing (${missing.map((f) => join(FASHION, f)).join(', ')}).\n` +
      'Install it with `apt-get install dataset-fashion-mnist`; this benchmark does not run without it.',
  );
  process.exit(1);
}
const bin = join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  console.error(`bench qll: ${bin} is missing; run \`pnpm build\` (pnpm bench qll does).`);
  process.exit(1);
}

const seeds = Number(opts.seeds);
const epochs = Number(opts.epochs);
const methods = opts.methods.split(',').map((m) => m.trim());
const settings = [
  { id: 'fashion-mixup', dataset: 'fashion-mnist-q', mix: 'mixup', m: 2, beta: 0.4 },
  { id: 'fashion-patchmix', dataset: 'fashion-mnist-q', mix: 'patchmix', m: 4, beta: 0.6 },
  { id: 'mnist-mixup', dataset: 'mnist-q', mix: 'mixup', m: 2, beta: 0.4 },
  { id: 'mnist-patchmix', dataset: 'mnist-q', mix: 'patchmix', m: 4, beta: 0.6 },
].map((s) => ({
  ...s,
  title: `${s.dataset === 'mnist-q' ? 'MNIST-Q' : 'Fashion-MNIST-Q'}, ${s.mix === 'mixup' ? 'Mixup' : 'PatchMix'} m = ${s.m}`,
}));
const only = opts.only?.split(',').map((s) => s.trim());
const chosen = only ? settings.filter((s) => only.includes(s.id)) : settings;

function argsFor(s) {
  const args = [
    'compare',
    '--dataset',
    s.dataset,
    '--mix',
    s.mix,
    '--m',
    String(s.m),
    '--train-size',
    opts['train-size'],
    '--test-size',
    opts['test-size'],
    '--methods',
    methods.join(','),
    '--seeds',
    String(seeds),
    '--epochs',
    String(epochs),
    '--batch-size',
    opts['batch-size'],
    '--lr',
    opts.lr,
    '--backend',
    'wasm',
    '--model',
    opts.model,
    '--no-progress',
    '--out',
    join(opts.out, s.id),
    '--title',
    s.title,
  ];
  // Bootstrap's β as tuned in paper 003, Table IV (0.4 on Mixup, 0.6 on PatchMix data).
  if (methods.includes('bootstrap')) args.push('--opt', `bootstrap.beta=${s.beta}`);
  return args;
}

const commandOf = (s) =>
  `node packages/cli/dist/bin.js ${argsFor(s)
    .map((a) => (/[\s,=]/.test(a) && !a.startsWith('--') ? `'${a}'` : a))
    .join(' ')}`;

function runSetting(s) {
  return new Promise((resolve, reject) => {
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
        reject(new Error(`bench qll: setting ${s.id} failed (exit ${code}); see ${log}`));
      else resolve();
    });
  });
}

const t0 = performance.now();
if (!opts['report-only']) {
  const queue = [...chosen];
  const lane = async () => {
    while (queue.length > 0) await runSetting(queue.shift());
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(opts.jobs)) }, lane));
}
const totalMinutes = (performance.now() - t0) / 60000;

const pct = (x) => (100 * x).toFixed(2);
function stats(xs) {
  const clean = finite(xs);
  if (clean.length === 0) return { mean: Number.NaN, std: Number.NaN, text: '–' };
  const { mean, std } = meanStd(clean);
  return { mean, std, text: `${pct(mean)} ± ${pct(std)}` };
}

/** Per-epoch test accuracies of one run, from the CLI's result.json. */
function curveOf(s, method, seed) {
  const file = join(opts.out, s.id, 'runs', `${method}-seed${seed}`, 'result.json');
  if (!existsSync(file)) return undefined;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  return {
    accuracies: result.history.map((h) => h.evaluation?.accuracy ?? Number.NaN),
    seconds: result.history.reduce((a, h) => a + h.seconds, 0) / result.history.length,
    description: result.data,
  };
}

const chartDir = join(dirname(opts.doc), 'qll');
mkdirSync(chartDir, { recursive: true });
const sections = [];
const summary = new Map(); // method -> setting id -> {best, last}
let description = '';
for (const s of chosen) {
  const rows = [];
  const points = [];
  for (const m of methods) {
    const runs = Array.from({ length: seeds }, (_, k) => curveOf(s, m, k)).filter(Boolean);
    if (runs.length === 0) continue;
    description = runs[0].description;
    const best = stats(runs.map((r) => Math.max(...r.accuracies.filter(Number.isFinite))));
    const last = stats(runs.map((r) => r.accuracies.at(-1)));
    const drop = stats(
      runs.map((r) => Math.max(...r.accuracies.filter(Number.isFinite)) - r.accuracies.at(-1)),
    );
    const bestEpoch = stats(
      runs.map((r) => (r.accuracies.indexOf(Math.max(...r.accuracies)) + 1) / 100),
    );
    const secs = runs.reduce((a, r) => a + r.seconds, 0) / runs.length;
    rows.push(
      `| ${m} | ${runs.length} | ${best.text} | ${last.text} | ${drop.text} | ${(100 * bestEpoch.mean).toFixed(1)} | ${secs.toFixed(1)} |`,
    );
    if (!summary.has(m)) summary.set(m, {});
    summary.get(m)[s.id] = { best, last };
    const length = Math.max(...runs.map((r) => r.accuracies.length));
    for (let e = 0; e < length; e++) {
      const at = stats(runs.map((r) => r.accuracies[e]));
      if (Number.isFinite(at.mean)) points.push({ x: e + 1, y: 100 * at.mean, series: m });
    }
  }
  if (rows.length === 0) continue;
  writeFileSync(
    join(chartDir, `${s.id}.svg`),
    await lineChartSvg(points, {
      title: `${s.title}: clean test accuracy per epoch (mean over seeds)`,
      xTitle: 'epoch',
      yTitle: 'test accuracy %',
    }),
  );
  sections.push(`### ${s.title}

Data: ${description}. Command:

\`\`\`sh
${commandOf(s)}
\`\`\`

| method | seeds | best % | last epoch % | best − last (points) | epoch of best (mean) | s/epoch |
|---|---|---|---|---|---|---|
${rows.join('\n')}

![${s.title}](qll/${s.id}.svg)
`);
}

const ids = chosen.map((s) => s.id);
const summaryRows = [...summary.entries()].map(
  ([m, by]) =>
    `| ${m} | ${ids.map((id) => (by[id] ? `${by[id].best.text} / ${by[id].last.text}` : '–')).join(' | ')} |`,
);
const args = process.argv.slice(2);
const section = `<!-- qll:start (written by bench/qll.mjs) -->
## Accuracy: \`pnpm bench qll\`

Command: \`pnpm bench qll${args.length ? ` ${args.join(' ')}` : ''}\`${opts['report-only'] ? ' (report rebuilt from finished runs)' : ` — ${totalMinutes.toFixed(1)} min wall time`}.
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, date ${new Date().toISOString().slice(0, 10)}, backend
wasm (tailwise's training kernels), model \`${opts.model}\`, SGD momentum 0.9, weight decay 5e-4, cosine
learning rate from ${opts.lr}, batch ${opts['batch-size']}, ${epochs} epochs, ${opts['train-size']} ambiguous training mixtures
(a fresh draw per seed), ${opts['test-size']} clean test images (a seeded random subset, evaluated after every epoch).
Mean ± sample std over seeds 0…${seeds - 1}. "best" is the best epoch's clean test accuracy (what
the paper's Table I reports), "last" the last epoch's. Method options: the recipes' defaults (the
paper's values: CPU π1 = 0.1, π2 = m/C, SJS with α drawn per step; GCE q = 0.7; SCE α = 0.1, β = 1;
JS π1 = 0.1), Bootstrap β = 0.4 (Mixup) / 0.6 (PatchMix).

### Summary: best / last-epoch test accuracy %

| method | ${chosen.map((s) => s.title).join(' | ')} |
|---|${chosen.map(() => '---|').join('')}
${summaryRows.join('\n')}

${sections.join('\n')}
<!-- qll:end -->`;

let doc = existsSync(opts.doc)
  ? readFileSync(opts.doc, 'utf8')
  : '# Ambiguous data with quantized labels (QLL, paper 003)\n';
const start = doc.indexOf('<!-- qll:start');
const end = doc.indexOf('<!-- qll:end -->');
if (start >= 0 && end > start)
  doc = doc.slice(0, start) + section + doc.slice(end + '<!-- qll:end -->'.length);
else doc = `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(opts.doc, doc);
console.log(`\nbench qll: wrote ${opts.doc} and ${chartDir}/*.svg`);
