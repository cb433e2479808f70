/**
 * Shared Vitest configuration for every workspace package.
 *
 * Tests import sibling packages by their public names (`@algospace/bars`); the aliases below point those
 * names at each package's `src/index.ts`, so `pnpm test` never needs a prior build. Each package writes a
 * JSON report (`.vitest-report.json`) that `.ci/run` sums into one `N passed, N failed` line.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Public package name → its source entry, used by tests and benchmarks instead of the built `dist/`. */
export const workspaceAliases: Record<string, string> = {
  '@algospace/event-bus': `${root}packages/event-bus/src/index.ts`,
  '@algospace/bars': `${root}packages/bars/src/index.ts`,
  '@algospace/indicators': `${root}packages/indicators/src/index.ts`,
  '@algospace/kernel': `${root}packages/kernel/src/index.ts`,
  '@algospace/transport-redis': `${root}packages/transport-redis/src/index.ts`,
};

/** Builds a package's Vitest config from the shared defaults plus package-specific overrides. */
export function packageTestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      resolve: { alias: workspaceAliases },
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
        testTimeout: 180_000,
        hookTimeout: 60_000,
        typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      },
    }),
    overrides,
  );
}
