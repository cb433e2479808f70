#!/usr/bin/env node
// The engine is a private app that always runs from its TypeScript sources: tsx transpiles on load and the
// workspace tsconfig `paths` resolve @algospace/* to their `src/`, so no build step stands between a
// checkout and a run. Transpilation costs start-up time only; the running code is plain JavaScript.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
