#!/usr/bin/env node
// Proves every publishable package installs and works on its own, the way a user gets it from npm:
//   1. publint --strict and arethetypeswrong (attw --pack) on each package;
//   2. `pnpm pack` each package (workspace ranges become real versions);
//   3. install all tarballs into a fresh temporary project with npm (no workspace links);
//   4. import each package from an ESM script and require it from a CJS script, and call one real function
//      (the snippets live in scripts/package-smoke/<name>.cjs).
// Expects `pnpm build` to have run (the `check:packages` root script does that first).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir)
  .map((dir) => ({ dir: join(packagesDir, dir), short: dir }))
  .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) }))
  .filter((p) => p.manifest.private !== true);

const bin = (name) => join(root, 'node_modules', '.bin', name);
const pnpm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : ['npx', ['-y', 'pnpm@10.34.8']];

function run(label, command, args, options = {}) {
  process.stdout.write(`› ${label}\n`);
  try {
    return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  } catch (error) {
    process.stderr.write(
      `${error.stdout ?? ''}${error.stderr ?? ''}\n✗ ${label} failed (exit ${error.status})\n`,
    );
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'algospace-check-packages-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
try {
  for (const p of packages) {
    run(`publint --strict ${p.manifest.name}`, bin('publint'), ['--strict', '--pack', 'pnpm'], {
      cwd: p.dir,
    });
    run(`attw --pack ${p.manifest.name}`, bin('attw'), ['--pack', '.', '--format', 'table-flipped'], {
      cwd: p.dir,
    });
    run(`pnpm pack ${p.manifest.name}`, pnpm[0], [...pnpm[1], 'pack', '--pack-destination', tarballs], {
      cwd: p.dir,
    });
  }

  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, version: '0.0.0' }),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  run(
    `npm install ${files.length} tarballs into ${project}`,
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files],
    { cwd: project },
  );

  const smokeDir = join(root, 'scripts', 'package-smoke');
  const esm = packages
    .map(
      (p) =>
        `import * as m${p.short.replace(/\W/g, '_')} from '${p.manifest.name}';\nconsole.log('esm ${p.manifest.name}:', smoke['${p.short}'](m${p.short.replace(/\W/g, '_')}));`,
    )
    .join('\n');
  writeFileSync(
    join(project, 'smoke.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst smoke = {${packages.map((p) => `'${p.short}': require(${JSON.stringify(join(smokeDir, `${p.short}.cjs`))})`).join(', ')}};\n${esm}\n`,
  );
  writeFileSync(
    join(project, 'smoke.cjs'),
    packages
      .map(
        (p) =>
          `console.log('cjs ${p.manifest.name}:', require(${JSON.stringify(join(smokeDir, `${p.short}.cjs`))})(require('${p.manifest.name}')));`,
      )
      .join('\n'),
  );
  process.stdout.write(
    run('import every package from ESM', process.execPath, ['smoke.mjs'], { cwd: project }),
  );
  process.stdout.write(
    run('require every package from CJS', process.execPath, ['smoke.cjs'], { cwd: project }),
  );
  process.stdout.write(`✓ ${packages.length} packages pass publint, attw and the npm smoke install\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
