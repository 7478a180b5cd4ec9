// End-to-end test of the browser demo in Debian's Chromium (no browser download): serves the
// built page, clicks Train, waits for epochs, checks that both charts updated and that test
// accuracy rose above chance, and saves a screenshot to docs/browser-demo.png.
//   pnpm --filter @tailwise/example-browser test     (builds first)
// Skips, exit code 0, with a message when Chromium is not installed
// (`apt-get install chromium`); CHROMIUM=/path/to/chromium picks another binary.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const exampleDir = join(here, '..');
const repoRoot = join(exampleDir, '..', '..');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const method = process.env.DEMO_METHOD ?? 'ce';
const epochs = Number(process.env.DEMO_EPOCHS ?? 3);
// DEMO_BACKEND=wasm starts the fallback chain at wasm (checks the .wasm files are served).
const startBackend = process.env.DEMO_BACKEND;
const shot = process.env.DEMO_SCREENSHOT ?? 'browser-demo.png';
const screenshot = resolve(repoRoot, 'docs', shot);

if (!existsSync(executablePath)) {
  console.log(
    `SKIP browser e2e: no Chromium at ${executablePath} (install it with \`apt-get install chromium\`, or set CHROMIUM=/path/to/chromium)`,
  );
  process.exit(0);
}
if (!existsSync(join(exampleDir, 'dist', 'index.html'))) {
  console.error('browser e2e: dist/index.html is missing; run `vite build` first');
  process.exit(1);
}

const check = (ok, message) => {
  if (!ok) throw new Error(`browser e2e: ${message}`);
  console.log(`ok ${message}`);
};

const server = await preview({
  root: exampleDir,
  logLevel: 'warn',
  preview: { port: 0, host: '127.0.0.1', strictPort: false },
});
const url = server.resolvedUrls.local[0];
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // SwiftShader gives headless Chromium a software WebGL, so the webgl path runs too.
  args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 780 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      console.log(`page ${m.type()}: ${m.text()}`);
  });
  await page.goto(startBackend ? `${url}?backend=${startBackend}` : url);
  await page.waitForSelector('#train[data-ready="true"]', { timeout: 60_000 });
  const backend = await page.getAttribute('#backend', 'data-backend');
  check(
    startBackend ? backend === startBackend : ['webgl', 'wasm', 'cpu'].includes(backend),
    `a backend initialised in the page: ${backend}`,
  );

  await page.selectOption('#method', method);
  await page.fill('#epochs', String(epochs));
  const started = Date.now();
  await page.click('#train');
  await page.waitForSelector('#status[data-epoch="1"], #status[data-done="true"]', {
    timeout: 300_000,
  });
  const afterOne = await page.evaluate(() => ({
    points: Number(document.querySelector('#loss-chart').dataset.points),
    bars: [...document.querySelectorAll('#class-chart rect')].map((r) =>
      Number(r.getAttribute('height')),
    ),
  }));
  check(afterOne.points > 0, `the loss chart has ${afterOne.points} points after epoch 1`);
  check(
    afterOne.bars.length === 10 && afterOne.bars.some((h) => h > 0),
    'the per-class accuracy chart has 10 bars with heights after epoch 1',
  );
  await page.waitForSelector('#status[data-done="true"]', { timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const result = await page.evaluate(() => {
    const s = window.tailwiseDemo;
    const last = s.epochs[s.epochs.length - 1];
    return {
      epochs: s.epochs.length,
      steps: s.losses.length,
      firstLoss: s.losses[0],
      lastLoss: s.epochs[s.epochs.length - 1].loss,
      accuracy: last.evaluation.accuracy,
      perClass: last.evaluation.perClass,
      error: s.error,
      points: Number(document.querySelector('#loss-chart').dataset.points),
    };
  });
  check(result.error === undefined, 'training finished without an error');
  check(
    result.epochs === epochs,
    `${result.epochs} epochs ran (${seconds.toFixed(1)} s on ${backend})`,
  );
  check(
    result.points === result.steps && result.points >= afterOne.points,
    `the loss chart grew to ${result.points} steps`,
  );
  check(
    result.accuracy > 0.1 + 0.1,
    `test accuracy ${(100 * result.accuracy).toFixed(1)} % is above chance (10 %) by more than 10 points`,
  );
  check(
    errors.length === 0,
    `no uncaught page errors${errors.length ? `: ${errors.join('; ')}` : ''}`,
  );
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(
    `browser e2e: ${method} on ${backend}, ${result.epochs} epochs in ${seconds.toFixed(1)} s, loss ${result.firstLoss.toFixed(3)} → ${result.lastLoss.toFixed(3)}, accuracy ${(100 * result.accuracy).toFixed(1)} %; screenshot ${screenshot}`,
  );
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
process.exit(failed ? 1 : 0);
