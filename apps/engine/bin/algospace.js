#!/usr/bin/env node
// The engine is a private app that always runs from its TypeScript sources: tsx transpiles on load and the
// workspace tsconfig `paths` resolve @algospace/* to their `src/`, so no build step stands between a
// checkout and a run. Transpilation costs start-up time only; the running code is plain JavaScript.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// `pnpm --filter @algospace/engine exec algospace …` runs in apps/engine, but a user types relative paths
// from the directory they are in, which pnpm passes as INIT_CWD. Relative paths are therefore resolved from
// INIT_CWD; an argument that names an existing file only relative to apps/engine still works, so both
// readings of `--data some/file.csv` find the file.
const args = process.argv.slice(2);
const typedFrom = process.env.INIT_CWD;
if (typedFrom !== undefined && existsSync(typedFrom) && resolve(typedFrom) !== process.cwd()) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const value = eq >= 0 ? arg.slice(eq + 1) : arg;
    if (value === '' || isAbsolute(value) || value.startsWith('-')) continue;
    if (existsSync(resolve(value)) && !existsSync(resolve(typedFrom, value))) {
      args[i] = eq >= 0 ? `${arg.slice(0, eq + 1)}${resolve(value)}` : resolve(value);
    }
  }
  process.chdir(typedFrom);
}

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(args);
