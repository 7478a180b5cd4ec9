#!/usr/bin/env node
// Training throughput on a CPU: tfjs (cpu, wasm stock, wasm + tailwise kernels on 1 and 2
// threads) against PyTorch (bench/peers/throughput_torch.py, threads pinned), in one run,
// alternating configurations, plus the matMul peaks and per-kernel profiles of the same run.
//
//   pnpm bench throughput            # 15–30 min (machine load); --quick for a smoke run
//
// Options: --rounds 2 --warmup 2 --steps 7 --models mlp,cnn,resnet20[,wrn28_2] --conv-batch 128
//          --mlp-batch 256 --epoch (epoch-level rows) --python /usr/bin/python3
//          --out docs/benchmarks/throughput.json
// Each tfjs configuration runs in its own child process (`--child <config>`): the wasm
// backend picks its thread count once per process.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    child: { type: 'string' },
    report: { type: 'string' },
    doc: { type: 'string', default: join(here, '..', 'docs', 'benchmarks', 'throughput.md') },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    steps: { type: 'string', default: '7' },
    models: { type: 'string', default: 'mlp,cnn,resnet20' },
    'mlp-batch': { type: 'string', default: '256' },
    'conv-batch': { type: 'string', default: '128' },
    'epoch-samples': { type: 'string', default: 'mlp=60000,cnn=2560' },
    epoch: { type: 'string', default: 'true' },
    profile: { type: 'string', default: 'true' },
    quick: { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    out: { type: 'string', default: join(here, '..', 'docs', 'benchmarks', 'throughput.json') },
  },
});
if (opts.quick) {
  Object.assign(opts, { rounds: '1', warmup: '1', steps: '2', models: 'mlp,cnn' });
  opts['epoch-samples'] = 'mlp=2560,cnn=256';
}
const withEpoch = opts.epoch === 'true';
const withProfile = opts.profile === 'true';
const warmup = Number(opts.warmup);
const steps = Number(opts.steps);
const mlpBatch = Number(opts['mlp-batch']);
const convBatch = Number(opts['conv-batch']);
const epochSamples = Object.fromEntries(
  opts['epoch-samples']
    .split(',')
    .map((kv) => kv.split('='))
    .map(([k, v]) => [k, Number(v)]),
);
const log = (line) => writeSync(2, `${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** tfjs configurations: backend, tailwise kernels, wasm threads, and what each can afford. */
const CONFIGS = {
  'cpu-stock': { backend: 'cpu', kernels: false, threads: 1, label: 'tfjs cpu, stock' },
  'cpu-kernels': {
    backend: 'cpu',
    kernels: true,
    threads: 1,
    label: 'tfjs cpu + tailwise kernels',
  },
  'wasm-stock': { backend: 'wasm', kernels: false, threads: 1, label: 'tfjs wasm, stock' },
  'wasm-1t': {
    backend: 'wasm',
    kernels: true,
    threads: 1,
    label: 'tfjs wasm + tailwise, 1 thread',
  },
  'wasm-2t': {
    backend: 'wasm',
    kernels: true,
    threads: 2,
    label: 'tfjs wasm + tailwise, 2 threads',
  },
};

// ---------------------------------------------------------------------------------------
// Child: one tfjs configuration.
// ---------------------------------------------------------------------------------------
async function child(configName) {
  const config = CONFIGS[configName];
  const { setupBackend } = await import('@tailwise/backends/node');
  const tf = await import('@tensorflow/tfjs-core');
  const tfl = await import('@tensorflow/tfjs-layers');
  const { fromLayersModel, resNet, wideResNet } = await import('@tailwise/models');
  const { Trainer, recipes } = await import('@tailwise/trainer');
  const { timeKernels } = await import('./lib/kernel-timer.mjs');
  const setup = await setupBackend(config.backend, {
    trainingKernels: config.kernels,
    wasmThreads: config.threads,
  });

  const builders = {
    mlp: () =>
      fromLayersModel(
        tfl.sequential({
          layers: [
            tfl.layers.flatten({ inputShape: [28, 28, 1] }),
            tfl.layers.dense({ units: 256, activation: 'relu' }),
            tfl.layers.dense({ units: 10 }),
          ],
        }),
      ),
    cnn: () =>
      fromLayersModel(
        tfl.sequential({
          layers: [
            tfl.layers.conv2d({
              inputShape: [28, 28, 1],
              filters: 32,
              kernelSize: 3,
              activation: 'relu',
            }),
            tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
            tfl.layers.maxPooling2d({ poolSize: 2 }),
            tfl.layers.flatten(),
            tfl.layers.dense({ units: 10 }),
          ],
        }),
      ),
    resnet20: () => resNet({ inputShape: [32, 32, 3], numClasses: 10, depth: 20, seed: 1 }),
    wrn28_2: () => wideResNet({ inputShape: [32, 32, 3], numClasses: 10, seed: 1 }),
  };
  const shapes = {
    mlp: [28, 28, 1],
    cnn: [28, 28, 1],
    resnet20: [32, 32, 3],
    wrn28_2: [32, 32, 3],
  };
  const batchOf = (m) => (m === 'mlp' ? mlpBatch : convBatch);

  /** Multiply-adds of one forward pass per sample: convolutions and dense layers. */
  const forwardMacs = (classifier) => {
    let macs = 0;
    for (const layer of classifier.model.layers) {
      const kernel = layer.weights[0];
      if (layer.getClassName() === 'Conv2D') {
        const [, oh, ow] = layer.outputShape;
        macs += oh * ow * kernel.shape.reduce((a, b) => a * b, 1);
      } else if (layer.getClassName() === 'Dense') {
        macs += kernel.shape[0] * kernel.shape[1];
      }
    }
    return macs;
  };

  // What stock cpu can afford: a stock cpu CNN step takes minutes (docs/performance.md).
  const affordable = (m) => {
    // WRN-28-2 takes tens of seconds per step: one warm-up step.
    if (config.backend !== 'cpu')
      return { warm: m === 'wrn28_2' ? Math.min(warmup, 1) : warmup, timed: steps };
    if (m === 'mlp') return { warm: warmup, timed: steps };
    if (config.kernels && m === 'cnn') return { warm: 0, timed: 1 };
    return undefined;
  };

  const out = {
    config: configName,
    ...config,
    threadsRun: setup.threads,
    step: {},
    epoch: {},
    profile: {},
  };
  const models = opts.models.split(',');
  for (const m of models) {
    const plan = affordable(m);
    if (!plan) {
      out.step[m] = { skipped: 'too slow to measure (minutes per step)' };
      continue;
    }
    const classifier = builders[m]();
    const batch = batchOf(m);
    const optimizer = tf.train.sgd(0.01);
    const x = tf.randomUniform([batch, ...shapes[m]]);
    const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
    const step = async () => {
      const cost = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, classifier.apply(x, { training: true })),
        true,
        classifier.trainableVariables,
      );
      await cost.data();
      cost.dispose();
    };
    try {
      for (let i = 0; i < plan.warm; i++) await step();
      const tensorsBefore = tf.memory().numTensors;
      const times = [];
      for (let i = 0; i < plan.timed; i++) {
        const start = performance.now();
        await step();
        times.push(performance.now() - start);
      }
      const ms = median(times);
      const macs = forwardMacs(classifier);
      out.step[m] = {
        samplesPerSecond: batch / (ms / 1000),
        batch,
        stepsMs: times,
        // Training FLOPs: forward, input gradient and weight gradient each cost the forward's
        // multiply-adds, 2 FLOPs each: 6 · MACs per sample (the first layer's input gradient
        // is counted although nothing needs it).
        gflops: (6 * macs * batch) / (ms / 1000) / 1e9,
        forwardMacsPerSample: macs,
        tensorGrowth: tf.memory().numTensors - tensorsBefore,
        rssMB: process.memoryUsage().rss / 1e6,
      };
      if (withProfile && config.backend === 'wasm' && config.kernels && m !== 'mlp') {
        const timer = timeKernels('wasm');
        await step();
        timer.reset();
        const profiled = m === 'wrn28_2' ? 1 : 3;
        const start = performance.now();
        for (let i = 0; i < profiled; i++) await step();
        const wall = (performance.now() - start) / profiled;
        out.profile[m] = {
          wallMs: wall,
          kernels: timer
            .table()
            .map((r) => ({ ...r, ms: r.ms / profiled, calls: r.calls / profiled })),
        };
        timer.restore();
      }
    } catch (error) {
      out.step[m] = { error: String(error?.message ?? error).split('\n')[0] };
    } finally {
      tf.dispose([x, y]);
      optimizer.dispose();
      classifier.dispose();
    }
    const r = out.step[m];
    log(
      `  ${configName} ${m}: ${r.error ? `fails: ${r.error}` : `${r.samplesPerSecond.toFixed(1)} samples/s`}`,
    );
  }

  // Epoch level, as a user trains: the Trainer with the CE recipe on uint8 features (shuffle,
  // gather + uint8 → float per batch, SGD with momentum), samples/s of the second epoch.
  if (withEpoch && config.backend === 'wasm' && config.kernels) {
    for (const m of ['mlp', 'cnn'].filter((name) => models.includes(name))) {
      const samples = epochSamples[m];
      const features = new Uint8Array(samples * 784);
      let s = 12345;
      for (let i = 0; i < features.length; i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        features[i] = s >>> 24;
      }
      const labels = Int32Array.from({ length: samples }, (_, i) => i % 10);
      const train = {
        name: 'synthetic',
        size: samples,
        inputShape: [28, 28, 1],
        features,
        labels,
        numClasses: 10,
      };
      const records = [];
      const trainer = new Trainer({
        model: () => builders[m](),
        recipe: recipes.ce(),
        train,
        epochs: 2,
        batchSize: batchOf(m),
        seed: 0,
        learningRate: 0.01,
        progress: false,
        callbacks: { onEpochEnd: (record) => void records.push(record) },
      });
      await trainer.fit();
      trainer.dispose?.();
      out.epoch[m] = {
        samplesPerSecond: records.at(-1).samplesPerSecond,
        epochSeconds: records.map((r) => r.seconds),
        samples,
        batch: batchOf(m),
      };
      log(`  ${configName} epoch ${m}: ${out.epoch[m].samplesPerSecond.toFixed(1)} samples/s`);
    }
  }

  // The matMul peak of this configuration (1024², float32).
  if (config.backend === 'wasm') {
    const a = tf.randomNormal([1024, 1024]);
    const b = tf.randomNormal([1024, 1024]);
    for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
    const times = [];
    for (let i = 0; i < 9; i++) {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      times.push(performance.now() - start);
      c.dispose();
    }
    out.matMulGflops = (2 * 1024 ** 3) / (median(times) / 1000) / 1e9;
    tf.dispose([a, b]);
  }
  writeSync(1, `${JSON.stringify(out)}\n`);
}

// ---------------------------------------------------------------------------------------
// Parent: alternate the configurations and the peer, then write the results.
// ---------------------------------------------------------------------------------------
function runChild(configName, models) {
  const args = [fileURLToPath(import.meta.url), '--child', configName, '--models', models];
  for (const k of [
    'warmup',
    'steps',
    'mlp-batch',
    'conv-batch',
    'epoch-samples',
    'epoch',
    'profile',
  ])
    args.push(`--${k}`, String(opts[k]));
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0)
    throw new Error(`throughput: child ${configName} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

function runPeer(threads, mode, models, extraEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  for (const [k, v] of Object.entries(extraEnv)) if (v === undefined) delete env[k];
  const args = [
    join(here, 'peers', 'throughput_torch.py'),
    '--threads',
    String(threads),
    '--mode',
    mode,
    '--models',
    models,
  ];
  args.push(
    '--warmup',
    String(opts.warmup),
    '--steps',
    String(opts.steps),
    '--mlp-batch',
    String(mlpBatch),
  );
  args.push('--conv-batch', String(convBatch), '--epoch-samples', opts['epoch-samples']);
  const run = spawnSync(opts.python, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (run.status !== 0)
    throw new Error(`throughput: PyTorch peer failed: ${run.stderr.trim().split('\n').pop()}`);
  const out = JSON.parse(run.stdout.trim().split('\n').pop());
  const summary = out.results
    ? Object.entries(out.results)
        .map(([m, r]) => `${m} ${r.samplesPerSecond.toFixed(1)}`)
        .join(', ')
    : `${out.sgemm.gflops.toFixed(1)} GFLOP/s`;
  log(
    `  PyTorch ${threads}t ${mode}${extraEnv.OPENBLAS_CORETYPE === undefined && 'OPENBLAS_CORETYPE' in extraEnv ? ' (coretype unset)' : ''}: ${summary}`,
  );
  return out;
}

async function parent() {
  const started = Date.now();
  const readLoad = () =>
    process.platform === 'linux'
      ? String((spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout || '').trim())
      : '';
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    loadBefore: readLoad(),
    options: { ...opts },
    tfjs: [],
    peer: [],
    sgemm: [],
  };
  const all = opts.models;
  const convFree =
    all
      .split(',')
      .filter((m) => m === 'mlp')
      .join(',') || 'mlp';
  const rounds = Number(opts.rounds);
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}/${rounds} (load ${readLoad()})`);
    // WRN-28-2 is minutes per configuration: first round only.
    const models =
      round === 0
        ? all
        : all
            .split(',')
            .filter((m) => m !== 'wrn28_2')
            .join(',');
    const order = [
      ['peer', 2],
      ['wasm-1t'],
      ['peer', 1],
      ['wasm-2t'],
      ...(round === 0 ? [['wasm-stock'], ['cpu-stock'], ['cpu-kernels']] : []),
    ];
    for (const [what, threads] of order) {
      if (what === 'peer') {
        result.peer.push({ round, ...runPeer(threads, 'step', models) });
        if (withEpoch)
          result.peer.push({
            round,
            ...runPeer(
              threads,
              'epoch',
              all
                .split(',')
                .filter((m) => m === 'mlp' || m === 'cnn')
                .join(','),
            ),
          });
      } else {
        const ms =
          what.startsWith('cpu') || what === 'wasm-stock'
            ? what === 'cpu-kernels'
              ? 'mlp,cnn'
              : convFree + (what === 'wasm-stock' ? ',cnn' : '')
            : models;
        result.tfjs.push({ round, ...runChild(what, ms) });
      }
    }
  }
  // BLAS peaks: OpenBLAS with this machine's environment, and with OPENBLAS_CORETYPE and
  // OPENBLAS_L2_SIZE unset (OpenBLAS then picks its kernel from the CPU itself).
  for (const threads of [1, 2]) {
    result.sgemm.push({ env: 'as set', ...runPeer(threads, 'sgemm', 'mlp') });
    result.sgemm.push({
      env: 'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset',
      ...runPeer(threads, 'sgemm', 'mlp', {
        OPENBLAS_CORETYPE: undefined,
        OPENBLAS_L2_SIZE: undefined,
      }),
    });
  }
  // Same bits on 1 and 2 threads? (XNNPACK gives each output tile to one thread.)
  result.threadsIdentical = [1, 2].map((t) =>
    spawnSync(process.execPath, [join(here, 'lib', 'threads-identical.mjs'), String(t)], {
      encoding: 'utf8',
    }).stdout.trim(),
  );
  log(`  ${result.threadsIdentical.join(' / ')}`);
  result.loadAfter = readLoad();
  result.seconds = (Date.now() - started) / 1000;
  writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
  log(`wrote ${opts.out} (${result.seconds.toFixed(0)} s)`);
  writeReport(result);
}

// ---------------------------------------------------------------------------------------
// Report: the tables of docs/benchmarks/throughput.md, between its result markers.
// ---------------------------------------------------------------------------------------
const MODEL_LABELS = {
  mlp: () => `MLP 784-256-10, b${mlpBatch}`,
  cnn: () => `CNN, b${convBatch}`,
  resnet20: () => `ResNet-20, b${convBatch}`,
  wrn28_2: () => `WRN-28-2, b${convBatch}`,
};
const fmt = (v) =>
  v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);
const fmtRatio = (v) => (v >= 10 ? v.toFixed(1) : v.toFixed(2));

function summarise(values) {
  if (values.length === 0) return undefined;
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}
const cell = (s, range = true) =>
  s === undefined
    ? '—'
    : s.n > 1 && range
      ? `${fmt(s.median)} [${fmt(s.min)}–${fmt(s.max)}]`
      : fmt(s.median);

function tfjsValues(result, config, level, model) {
  return result.tfjs
    .filter((r) => r.config === config)
    .map((r) => r[level]?.[model]?.samplesPerSecond)
    .filter((v) => v !== undefined);
}
function tfjsNote(result, config, model) {
  const r = result.tfjs.find((t) => t.config === config);
  const m = r?.step?.[model];
  if (!m) return 'not run';
  if (m.error) return `fails: ${m.error}`;
  if (m.skipped) return m.skipped;
  return undefined;
}
function peerValues(result, threads, mode, model) {
  return result.peer
    .filter((r) => r.threads === threads && r.mode === mode)
    .map((r) => r.results?.[model]?.samplesPerSecond)
    .filter((v) => v !== undefined);
}

function writeReport(result) {
  const models = result.options.models.split(',');
  const configs = ['cpu-stock', 'cpu-kernels', 'wasm-stock', 'wasm-1t', 'wasm-2t'];
  const lines = [];
  const peer2 = Object.fromEntries(
    models.map((m) => [m, summarise(peerValues(result, 2, 'step', m))]),
  );
  lines.push(
    `Run of ${result.date.slice(0, 16).replace('T', ' ')} UTC, ${result.seconds.toFixed(0)} s; Node ${result.node}, ` +
      `${result.nproc} cores (${result.cpu}); load average before ${result.loadBefore.split(' ').slice(0, 3).join(' ')}, ` +
      `after ${result.loadAfter.split(' ').slice(0, 3).join(' ')}. Options: ${result.options.rounds} rounds, ` +
      `${result.options.warmup} warm-up + ${result.options.steps} timed steps.`,
    '',
    '### Step: samples/s (median of the timed steps; median [min–max] over runs where there are several)',
    '',
    `| configuration | ${models.map((m) => MODEL_LABELS[m]()).join(' | ')} |`,
    `|---|${models.map(() => '---').join('|')}|`,
  );
  for (const c of configs) {
    const cells = models.map((m) => {
      const v = summarise(tfjsValues(result, c, 'step', m));
      return v ? cell(v) : tfjsNote(result, c, m);
    });
    lines.push(`| ${CONFIGS[c].label} | ${cells.join(' | ')} |`);
  }
  for (const t of [1, 2]) {
    const cells = models.map((m) => cell(summarise(peerValues(result, t, 'step', m))));
    lines.push(
      `| PyTorch ${result.peer[0]?.torch ?? ''}, ${t} thread${t > 1 ? 's' : ''} | ${cells.join(' | ')} |`,
    );
  }
  lines.push(
    '',
    '### Step: ratio to PyTorch (medians): ÷ 2 threads (the goals) and ÷ 1 thread',
    '',
  );
  const goals = { mlp: 0.5, cnn: 0.5, resnet20: 0.4 };
  const peer1 = Object.fromEntries(
    models.map((m) => [m, summarise(peerValues(result, 1, 'step', m))]),
  );
  lines.push(
    `| configuration | ${models.map((m) => `${MODEL_LABELS[m]()}: ÷ 2 threads | ÷ 1 thread`).join(' | ')} |`,
    `|---|${models.map(() => '---|---').join('|')}|`,
  );
  for (const c of ['wasm-stock', 'wasm-1t', 'wasm-2t']) {
    const cells = models.map((m) => {
      const v = summarise(tfjsValues(result, c, 'step', m));
      const r = (p) => (v && p ? fmtRatio(v.median / p.median) : '—');
      return `${r(peer2[m])} | ${r(peer1[m])}`;
    });
    lines.push(`| ${CONFIGS[c].label} | ${cells.join(' | ')} |`);
  }
  lines.push(
    `| goal | ${models.map((m) => `${goals[m] ? `≥ ${goals[m]}` : '—'} | —`).join(' | ')} |`,
  );

  const epochModels = models.filter((m) => m === 'mlp' || m === 'cnn');
  if (epochModels.length && result.peer.some((r) => r.mode === 'epoch')) {
    const peerEpoch2 = Object.fromEntries(
      epochModels.map((m) => [m, summarise(peerValues(result, 2, 'epoch', m))]),
    );
    const epochGoals = { mlp: 1.0, cnn: 0.5 };
    lines.push(
      '',
      `### Epoch: samples/s of the second epoch (${epochModels.map((m) => `${m} ${result.options['epoch-samples'].match(new RegExp(`${m}=(\\d+)`))?.[1]} samples`).join(', ')}), ratio to PyTorch 2 threads`,
      '',
      `| configuration | ${epochModels.map((m) => `${MODEL_LABELS[m]()}: samples/s | ÷ PyTorch 2 threads (goal ≥ ${epochGoals[m]}) | ÷ PyTorch 1 thread`).join(' | ')} |`,
      `|---|${epochModels.map(() => '---|---|---').join('|')}|`,
    );
    for (const c of ['wasm-1t', 'wasm-2t']) {
      const cells = epochModels.map((m) => {
        const v = summarise(tfjsValues(result, c, 'epoch', m));
        const p1 = summarise(peerValues(result, 1, 'epoch', m));
        const r = (p) => (p ? fmtRatio(v.median / p.median) : '—');
        return v ? `${cell(v)} | ${r(peerEpoch2[m])} | ${r(p1)}` : '— | — | —';
      });
      lines.push(`| ${CONFIGS[c].label} | ${cells.join(' | ')} |`);
    }
    for (const t of [1, 2]) {
      const cells = epochModels.map(
        (m) => `${cell(summarise(peerValues(result, t, 'epoch', m)))} | — | —`,
      );
      lines.push(`| PyTorch, ${t} thread${t > 1 ? 's' : ''} | ${cells.join(' | ')} |`);
    }
  }

  lines.push('', '### Peaks of the same run', '', '| what | GFLOP/s |', '|---|---|');
  for (const c of ['wasm-stock', 'wasm-1t', 'wasm-2t']) {
    const v = summarise(
      result.tfjs.filter((r) => r.config === c && r.matMulGflops).map((r) => r.matMulGflops),
    );
    if (v)
      lines.push(
        `| tfjs wasm SIMD matMul 1024², ${CONFIGS[c].threads} thread${CONFIGS[c].threads > 1 ? 's' : ''} (${c}) | ${cell(v)} |`,
      );
  }
  for (const s of result.sgemm)
    lines.push(
      `| PyTorch sgemm 2048², ${s.threads} thread${s.threads > 1 ? 's' : ''}, OpenBLAS ${s.openblasCore} (${s.env}) | ${fmt(s.sgemm.gflops)} |`,
    );

  const peak2 = summarise(
    result.tfjs.filter((r) => r.config === 'wasm-2t').map((r) => r.matMulGflops),
  );
  lines.push(
    '',
    '### Effective training GFLOP/s (6 · forward multiply-adds per sample · samples/s) against the 2-thread wasm matMul peak',
    '',
    `| model | forward MACs/sample | wasm + tailwise 1 thread | 2 threads | 2 threads ÷ 2-thread matMul peak (${peak2 ? fmt(peak2.median) : '—'}) (goal ≥ 0.70) |`,
    '|---|---|---|---|---|',
  );
  for (const m of models) {
    const g = (c) =>
      summarise(
        result.tfjs
          .filter((r) => r.config === c)
          .map((r) => r.step?.[m]?.gflops)
          .filter((v) => v !== undefined),
      );
    const macs = result.tfjs.find((r) => r.step?.[m]?.forwardMacsPerSample)?.step[m]
      .forwardMacsPerSample;
    const g1 = g('wasm-1t');
    const g2 = g('wasm-2t');
    lines.push(
      `| ${MODEL_LABELS[m]()} | ${macs ? fmt(macs) : '—'} | ${g1 ? fmt(g1.median) : '—'} | ${g2 ? fmt(g2.median) : '—'} | ${g2 && peak2 ? fmtRatio(g2.median / peak2.median) : '—'} |`,
    );
  }

  lines.push(
    '',
    '### Memory',
    '',
    '| configuration | model | resident MB after the timed steps | tensors gained over the timed steps |',
    '|---|---|---|---|',
  );
  for (const r of result.tfjs.filter((t) => t.round === 0 && t.backend === 'wasm' && t.kernels)) {
    for (const m of models) {
      const s = r.step[m];
      if (s?.rssMB)
        lines.push(`| ${CONFIGS[r.config].label} | ${m} | ${fmt(s.rssMB)} | ${s.tensorGrowth} |`);
    }
  }

  for (const r of result.tfjs.filter((t) => t.round === 0 && Object.keys(t.profile ?? {}).length)) {
    for (const [m, p] of Object.entries(r.profile)) {
      const total = p.kernels.reduce((a, k) => a + k.ms, 0);
      lines.push(
        '',
        `### Profile: ${MODEL_LABELS[m]()}, ${CONFIGS[r.config].label} (self time per step; step ${fmt(p.wallMs)} ms with the timer, kernels ${fmt(total)} ms)`,
        '',
        '| kernel | ms / step | share | calls / step |',
        '|---|---|---|---|',
      );
      for (const k of p.kernels.slice(0, 12))
        lines.push(
          `| ${k.kernel} | ${fmt(k.ms)} | ${((100 * k.ms) / total).toFixed(1)} % | ${fmt(k.calls)} |`,
        );
    }
  }
  if (result.threadsIdentical) {
    const [one, two] = result.threadsIdentical.map((l) => l.split(' ').pop());
    lines.push(
      '',
      `Conv net loss + gradients + a matMul on wasm, SHA-256 of the bytes (bench/lib/threads-identical.mjs): ${result.threadsIdentical.join('; ')} — ` +
        (one === two
          ? '**bit-identical** on 1 and 2 threads.'
          : '**different** on 1 and 2 threads.'),
    );
  }
  const peerInfo = result.peer[0];
  if (peerInfo) {
    lines.push(
      '',
      `PyTorch ${peerInfo.torch}: BLAS_INFO=${peerInfo.torchBlasInfo}, oneDNN (MKL-DNN) ${peerInfo.mkldnn ? 'built in' : 'absent'}; ` +
        `libblas.so.3 is ${peerInfo.openblasConfig ?? peerInfo.openblasCore}, OpenBLAS core kernel ${peerInfo.openblasCore} ` +
        `(OPENBLAS_CORETYPE=${peerInfo.OPENBLAS_CORETYPE ?? 'unset'}, OPENBLAS_L2_SIZE=${peerInfo.OPENBLAS_L2_SIZE ?? 'unset'}); ` +
        'OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and torch.set_num_threads equal the thread count of each row ' +
        `(checked: ${[...new Set(result.peer.map((r) => `${r.threadsAsked}→${r.threads} torch, ${r.openblasThreads} OpenBLAS`))].join('; ')}).`,
    );
  }
  const text = lines.join('\n');
  const START = '<!-- results:start -->';
  const END = '<!-- results:end -->';
  let doc = `# Training throughput on a CPU\n\n${START}\n${END}\n`;
  try {
    doc = readFileSync(opts.doc, 'utf8');
  } catch {}
  if (!doc.includes(START)) doc += `\n${START}\n${END}\n`;
  const before = doc.slice(0, doc.indexOf(START) + START.length);
  const after = doc.slice(doc.indexOf(END));
  writeFileSync(opts.doc, `${before}\n${text}\n${after}`);
  log(`wrote ${opts.doc}`);
}

if (opts.child) await child(opts.child);
else if (opts.report) writeReport(JSON.parse(readFileSync(opts.report, 'utf8')));
else await parent();
