/**
 * The bus under test, loaded from the tsup build (`dist/`), exactly as users get it. Not from `src/` through
 * tsx: tsx compiles with esbuild's `keepNames`, which wraps every function created at run time in a
 * `__name(fn, …)` call that redefines its `name` property; that made each subscribe cost ~1 µs more than the
 * published code does. The bench script runs `tsup` first.
 */
import { existsSync } from 'node:fs';

const entry = new URL('../dist/index.js', import.meta.url);
if (!existsSync(entry)) throw new Error(`expected a build at ${entry.pathname}: run \`npx tsup\` first`);

/** The built package's exports, typed as the source's. */
export const eventBus = (await import(entry.href)) as typeof import('../src/index.js');
