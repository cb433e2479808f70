/**
 * Test-only access to the real market data beside the repository (never inside it: its licences forbid
 * redistribution). Suites that need a file declare it with `describeWithMarketData`, which runs them when
 * the files exist, skips them with a visible message when they do not, and fails them when `CI` is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'vitest';

const repositoryRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The folder holding the market data: `ALGOSPACE_DATA_DIR`, or `../shared/data` beside the repository. */
export const marketDataDir = resolve(
  process.env.ALGOSPACE_DATA_DIR ?? join(repositoryRoot, '..', 'shared', 'data'),
);

/** Absolute path of one market-data file. */
export function marketDataPath(file: string): string {
  return join(marketDataDir, file);
}

/** The files of `files` that are not present in {@link marketDataDir}. */
export function missingMarketData(files: readonly string[]): string[] {
  return files.filter((file) => !existsSync(marketDataPath(file)));
}

/**
 * `describe` for suites that read real market data: runs `body` when every file exists; otherwise skips it
 * with a message naming the missing files, or, when `CI` is set, registers one failing test instead.
 */
export function describeWithMarketData(title: string, files: readonly string[], body: () => void): void {
  const missing = missingMarketData(files);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const reason = `${missing.join(', ')} not found in ${marketDataDir} (set ALGOSPACE_DATA_DIR)`;
  if (process.env.CI) {
    describe(title, () => {
      it('has the market data it needs', () => {
        throw new Error(`market data missing under CI: ${reason}`);
      });
    });
    return;
  }
  console.warn(`[market data] SKIPPING "${title}": ${reason}`);
  describe.skip(title, body);
}

/** Reads a market-data file (gunzipping `.gz`) and returns its non-empty lines without line ends. */
export function readMarketDataLines(file: string): string[] {
  const raw = readFileSync(marketDataPath(file));
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.split(/\r?\n/).filter((line) => line.length > 0);
}
