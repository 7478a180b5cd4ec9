// Supply-chain guarantees that can be checked offline (docs/reliability.md, "Supply chain").
// The advisory audit itself needs the registry and runs in CI (`.ci/audit`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];

/** Every package.json of the workspace (root, packages, examples, bench, test suites). */
function workspaceManifests(): string[] {
  const dirs = [root, join(root, 'bench'), join(root, 'test/reliability')];
  for (const group of ['packages', 'examples'])
    for (const d of readdirSync(join(root, group))) dirs.push(join(root, group, d));
  return dirs.map((d) => join(d, 'package.json')).filter(existsSync);
}

/**
 * Third-party runtime dependencies of the published packages. A new one must be added here on
 * purpose (and to the report of the change that adds it).
 */
const RUNTIME_DEPENDENCIES: Record<string, string[]> = {
  '@tailwise/backends': [
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgl',
    '@tensorflow/tfjs-backend-webgpu',
  ],
  '@tailwise/cli': ['commander', 'vega', 'vega-lite'],
  '@tailwise/datasets': ['fflate', 'mnist'],
  '@tailwise/trainer': ['cli-progress'],
};

describe('supply chain', () => {
  const manifests = workspaceManifests();

  it('no workspace package has an install script', () => {
    expect(manifests.length).toBeGreaterThan(12);
    for (const file of manifests) {
      const scripts = (JSON.parse(readFileSync(file, 'utf8')).scripts ?? {}) as Record<
        string,
        string
      >;
      for (const s of INSTALL_SCRIPTS)
        expect(scripts[s], `${file} has a "${s}" script`).toBeUndefined();
    }
  });

  it('only esbuild (a build tool of tsup) may run its install script', () => {
    const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
    const block = yaml.split('onlyBuiltDependencies:')[1] ?? '';
    const names = [...block.matchAll(/^\s+-\s+(\S+)/gm)].map((m) => m[1]);
    expect(names).toEqual(['esbuild']);
  });

  it('published packages depend only on the listed third-party runtime packages', () => {
    for (const file of manifests.filter((f) => f.includes('/packages/'))) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      const external = Object.keys(pkg.dependencies ?? {}).filter(
        (d) => !d.startsWith('@tailwise/'),
      );
      expect(external.sort(), pkg.name).toEqual((RUNTIME_DEPENDENCIES[pkg.name] ?? []).sort());
      // tfjs is a peer everywhere: one copy shared by every package.
      expect(pkg.dependencies?.['@tensorflow/tfjs-core'], pkg.name).toBeUndefined();
    }
  });

  it('the lockfile is committed and lists every workspace importer', () => {
    const lock = readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
    for (const file of manifests) {
      const dir = dirname(file).slice(root.length + 1) || '.';
      expect(lock, `importer ${dir}`).toContain(`\n  ${dir}:\n`);
    }
    let tracked = '';
    try {
      tracked = execFileSync('git', ['ls-files', 'pnpm-lock.yaml'], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch {
      return; // not a git checkout (e.g. a source tarball): nothing more to check
    }
    expect(tracked.trim()).toBe('pnpm-lock.yaml');
  });

  it('CI has an audit step that uses the bulk advisory endpoint', () => {
    const audit = readFileSync(join(root, '.ci/audit'), 'utf8');
    expect(audit).toMatch(/pnpm@12\.\d+\.\d+ audit --audit-level high/);
  });
});
