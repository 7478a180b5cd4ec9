// A release without publishing, on a scratch copy of the repository (the real tree is not
// touched): `changeset version` (every package to its next version, CHANGELOGs), build,
// `pnpm pack` of every package, publint --strict and attw on each tarball, then a fresh
// project that installs only the tarballs and runs the README's example.
//   pnpm release:dry-run [--keep]
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const scratch = mkdtempSync(join(tmpdir(), 'tailwise-release-'));
const repo = join(scratch, 'repo');
const tarballs = join(scratch, 'tarballs');
const consumer = join(scratch, 'consumer');

function run(cmd, args, cwd, { quiet = false } = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}   (in ${cwd.replace(scratch, '<scratch>')})`);
  const out = execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  if (!quiet && out.trim())
    console.log(
      out
        .trim()
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  return out;
}

let failed = false;
try {
  // 1. Scratch copy: tracked files plus new files that git does not ignore.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root })
    .toString()
    .split('\0')
    .filter((f) => f && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    copyFileSync(join(root, f), join(repo, f));
  }
  console.log(`copied ${files.length} files to ${repo}`);
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], repo, { quiet: true });

  // 2. Versions and CHANGELOGs from the pending changesets.
  run('pnpm', ['exec', 'changeset', 'version'], repo, { quiet: true });
  const packages = readdirSync(join(repo, 'packages'))
    .sort()
    .map((dir) => ({
      dir: join(repo, 'packages', dir),
      json: JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8')),
    }))
    .filter((p) => !p.json.private);
  for (const p of packages) {
    const changelog = existsSync(join(p.dir, 'CHANGELOG.md'));
    console.log(`  ${p.json.name}@${p.json.version}${changelog ? ', CHANGELOG.md' : ''}`);
    if (p.json.version === '0.0.0')
      throw new Error(`${p.json.name} is still 0.0.0 after changeset version`);
    if (!changelog) throw new Error(`${p.json.name} has no CHANGELOG.md after changeset version`);
  }

  // 3. Build, pack, lint the tarballs.
  run('pnpm', ['build'], repo, { quiet: true });
  mkdirSync(tarballs, { recursive: true });
  const packed = {};
  for (const p of packages) {
    run('pnpm', ['pack', '--pack-destination', tarballs], p.dir, { quiet: true });
    const base = `${p.json.name.replace('@', '').replace('/', '-')}-${p.json.version}.tgz`;
    const tgz = join(tarballs, base);
    if (!existsSync(tgz)) throw new Error(`pnpm pack did not write ${base}`);
    packed[p.json.name] = tgz;
    const listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' });
    if (!listing.includes('package/LICENSE')) throw new Error(`${base} has no LICENSE`);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }),
    );
    const workspaceRanges = Object.entries({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
    }).filter(([, v]) => String(v).startsWith('workspace:'));
    if (workspaceRanges.length > 0)
      throw new Error(`${base} still has workspace: ranges: ${workspaceRanges}`);
    run('pnpm', ['exec', 'publint', 'run', tgz, '--strict'], repo);
    run('pnpm', ['exec', 'attw', tgz, '--profile', 'node16', '--format', 'table-flipped'], repo, {
      quiet: true,
    });
    console.log(`ok   ${base}: LICENSE, no workspace: ranges, publint --strict, attw (node16)`);
  }

  // 4. A fresh project that knows tailwise only through the tarballs.
  mkdirSync(consumer, { recursive: true });
  const fileSpecs = Object.fromEntries(
    Object.entries(packed).map(([name, tgz]) => [name, `file:${tgz}`]),
  );
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify(
      {
        name: 'tailwise-consumer',
        private: true,
        type: 'module',
        dependencies: {
          ...fileSpecs,
          '@tensorflow/tfjs-core': '4.22.0',
          '@tensorflow/tfjs-layers': '4.22.0',
        },
        // The tarballs depend on each other by version (^0.1.0), which no registry has yet.
        pnpm: { overrides: fileSpecs },
      },
      null,
      2,
    )}\n`,
  );
  run('pnpm', ['install', '--prefer-offline', '--ignore-workspace'], consumer, { quiet: true });
  copyFileSync(
    join(root, 'examples', 'readme', 'quickstart.mjs'),
    join(consumer, 'quickstart.mjs'),
  );
  run('node', ['quickstart.mjs'], consumer);
  run('node', ['node_modules/@tailwise/cli/dist/bin.js', '--help'], consumer, { quiet: true });
  console.log('ok   the README example runs from the installed tarballs; the tailwise bin starts');
  console.log(`\nrelease dry run passed for ${packages.length} packages`);
} catch (error) {
  failed = true;
  console.error(`\nrelease dry run FAILED: ${error.message}`);
  if (error.stdout) console.error(String(error.stdout));
  if (error.stderr) console.error(String(error.stderr));
} finally {
  if (keep || failed) console.log(`scratch copy kept at ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
