#!/usr/bin/env node
// PLR ablation (PLR paper 000; docs/methods/000-plr.md, "Scaling the schedule"): start from
// eq. 5 + a per-epoch prior EMA and add one component at a time — small-loss selection (with
// the η-weighted PRODEN remainder), mixup, consistency (weak/strong views), the pre-estimation
// stage with re-initialization and the epoch-0 candidate stage — next to PRODEN, RECORDS and
// PLR's paper schedule, on Fashion-MNIST-LT (γ = 100, ψ = 0.3), MLP, natural and permuted class
// order, through the CLI as a user would run it.
//
//   pnpm bench pll-ablation      (builds first; or: node bench/pll-ablation.mjs after `pnpm build`)
//
// Options: --seeds 3 --epochs 30 --batch-size 256 --lr 0.05 --orders natural,permuted
//          --rows base,+selection,... (default: all) --out /tmp/tailwise-bench-pll-ablation
//          --doc docs/benchmarks/pll-ablation.md --append (keep rows already in --out)
// Runs sequentially (one training process: start it through the machine's slot script).
// A run whose result.json already exists in --out is not run again (resumable).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { meanStd } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opts } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '30' },
    'batch-size': { type: 'string', default: '256' },
    lr: { type: 'string', default: '0.05' },
    orders: { type: 'string', default: 'natural,permuted' },
    rows: { type: 'string' },
    out: { type: 'string', default: '/tmp/tailwise-bench-pll-ablation' },
    doc: { type: 'string', default: join(root, 'docs/benchmarks/pll-ablation.md') },
    'report-only': { type: 'boolean', default: false },
  },
});

const FASHION = '/usr/share/datasets/fashion-mnist';
if (!existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'))) {
  console.error(
    `bench pll-ablation: Fashion-MNIST is missing under ${FASHION}; install dataset-fashion-mnist. This benchmark does not run without it.`,
  );
  process.exit(1);
}
const bin = join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  console.error(`bench pll-ablation: ${bin} is missing; run \`pnpm build\` first.`);
  process.exit(1);
}

// eq. 5 + prior EMA, nothing else: one stage, no candidate epoch, every sample selected, η = 1,
// plain inputs. Each later row switches one component on.
const BASE = [
  'estEpochs=0',
  'candidateStage=false',
  'selection=false',
  'mixup=false',
  'consistency=false',
  'views=none',
];
const without = (list, ...keys) => list.filter((kv) => !keys.some((k) => kv.startsWith(`${k}=`)));
const SEL = without(BASE, 'selection');
const MIX = without(SEL, 'mixup');
const CONS = [...without(MIX, 'consistency', 'views'), 'flip=true'];
const PRE = without(CONS, 'estEpochs');
const ROWS = [
  { id: 'proden', method: 'proden', opts: [], label: 'PRODEN' },
  {
    id: 'records',
    method: 'records',
    opts: [],
    label: 'RECORDS (feature-EMA bias, debiased test logits)',
  },
  { id: 'base', method: 'plr', opts: BASE, label: 'eq. 5 + prior EMA (budget μ), nothing else' },
  { id: '+selection', method: 'plr', opts: SEL, label: '+ small-loss selection (η skeleton)' },
  { id: '+mixup', method: 'plr', opts: MIX, label: '+ mixup' },
  { id: '+consistency', method: 'plr', opts: CONS, label: '+ consistency (weak/strong views)' },
  {
    id: '+pre-estimation',
    method: 'plr',
    opts: PRE,
    label: '+ pre-estimation (20%) with re-initialization',
  },
  {
    id: '+candidate-stage',
    method: 'plr',
    opts: ['flip=true'],
    label: '+ epoch-0 candidate stage (= every component, budget schedule)',
  },
  {
    id: 'paper',
    method: 'plr',
    opts: ['flip=true', 'schedule=paper'],
    label: "every component, the paper's schedule (μ = 0.1 / 0.01)",
  },
];
const rowIds = opts.rows?.split(',').map((s) => s.trim());
const rows = rowIds ? ROWS.filter((r) => rowIds.includes(r.id)) : ROWS;
// Run order: the rows that answer "does plr beat proden, and with which components" first, so
// a run cut short by the machine's time still answers it; the table keeps the ROWS order.
const RUN_FIRST = ['proden', 'base', '+candidate-stage', 'paper', 'records'];
const runOrder = [
  ...RUN_FIRST.map((id) => rows.find((r) => r.id === id)).filter(Boolean),
  ...rows.filter((r) => !RUN_FIRST.includes(r.id)),
];
const orders = opts.orders.split(',').map((s) => s.trim());
const seeds = Array.from({ length: Number(opts.seeds) }, (_, i) => i);

function argsFor(row, order, seed) {
  const args = [
    'train',
    '--method',
    row.method,
    '--dataset',
    'fashion-mnist-lt',
    '--gamma',
    '100',
    '--psi',
    '0.3',
    '--order',
    order,
    '--epochs',
    opts.epochs,
    '--batch-size',
    opts['batch-size'],
    '--lr',
    opts.lr,
    '--backend',
    'wasm',
    '--model',
    'mlp',
    '--seed',
    String(seed),
    '--no-progress',
    '--out',
    join(opts.out, `${row.id}-${order}-${seed}`),
  ];
  for (const kv of row.opts) args.push('--opt', kv);
  return args;
}

const commandOf = (row, order) => {
  const args = argsFor(row, order, '<seed>');
  args.splice(args.indexOf('--out'), 2);
  return `node packages/cli/dist/bin.js ${args.join(' ')}`;
};

function run(row, order, seed) {
  const dir = join(opts.out, `${row.id}-${order}-${seed}`);
  if (existsSync(join(dir, 'result.json'))) return Promise.resolve();
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...argsFor(row, order, seed)], { cwd: root });
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
    });
    child.stderr.on('data', (c) => {
      text += c;
    });
    child.on('close', (code) => {
      writeFileSync(join(dir, 'log.txt'), text);
      const secs = ((performance.now() - started) / 1000).toFixed(0);
      if (code !== 0)
        reject(new Error(`bench pll-ablation: ${dir} failed (exit ${code}); see its log.txt`));
      else {
        console.log(
          `[${new Date().toISOString().slice(11, 19)}] ${row.id} ${order} seed ${seed}: ${secs} s`,
        );
        resolve();
      }
    });
  });
}

if (!opts['report-only']) {
  // Seed-major order: every row gets seed 0 first, so a cut-short run still covers all rows.
  for (const seed of seeds)
    for (const order of orders) for (const row of runOrder) await run(row, order, seed);
}

const pct = (x) => (100 * x).toFixed(1);
function meanStdText(xs) {
  if (xs.length === 0) return '–';
  const { mean, std } = meanStd(xs);
  return `${pct(mean)} ± ${pct(std)}`;
}

const sections = [];
for (const order of orders) {
  const lines = [
    `### ${order} class order, ${opts.epochs} epochs`,
    '',
    '| row | method | n | overall % | many % | medium % | few % | s/epoch | command (`--seed 0..n−1`) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const results = seeds
      .map((seed) => join(opts.out, `${row.id}-${order}-${seed}`, 'result.json'))
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')));
    const get = (k) => results.map((r) => r.final[k]);
    const secs = results.flatMap((r) => r.history.map((h) => h.seconds));
    const perEpoch = secs.length ? (secs.reduce((a, b) => a + b, 0) / secs.length).toFixed(1) : '–';
    lines.push(
      `| ${row.label} | ${row.method} | ${results.length} | ${meanStdText(get('accuracy'))} | ${meanStdText(get('many'))} | ${meanStdText(get('medium'))} | ${meanStdText(get('few'))} | ${perEpoch} | \`${commandOf(row, order)}\` |`,
    );
  }
  sections.push(lines.join('\n'));
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const report = [
  '<!-- pll-ablation:start -->',
  `Generated by \`pnpm bench pll-ablation --seeds ${opts.seeds} --epochs ${opts.epochs} --orders ${opts.orders}${opts.rows ? ` --rows ${opts.rows}` : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (\`nproc\`), ${cpu}, Node ${process.version}, wasm backend. Fashion-MNIST-LT, γ = 100, ψ = 0.3, MLP (784-256-10), batch ${opts['batch-size']}, lr ${opts.lr} (SGD, momentum 0.9, cosine), mean ± std over the seeds that finished (column n). Test accuracy on the balanced test set; many / medium / few = classes 0–2 / 3–6 / 7–9 of the size order.`,
  '',
  ...sections.flatMap((s) => [s, '']),
  '<!-- pll-ablation:end -->',
].join('\n');

let doc = existsSync(opts.doc) ? readFileSync(opts.doc, 'utf8') : '# PLR ablation\n\n';
if (doc.includes('<!-- pll-ablation:start -->'))
  doc = doc.replace(/<!-- pll-ablation:start -->[\s\S]*<!-- pll-ablation:end -->/, report);
else doc += `\n${report}\n`;
mkdirSync(dirname(opts.doc), { recursive: true });
writeFileSync(opts.doc, doc);
console.log(`wrote ${opts.doc}`);
