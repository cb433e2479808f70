/**
 * Test support: run the engine in-process on a file with config overrides, discarding the terminal output.
 */
import { Writable } from 'node:stream';
import { dataSource } from '../src/cli.js';
import { loadEngineConfig } from '../src/config/engine-config.js';
import { runEngine } from '../src/engine-run.js';
import type { RunResults } from '../src/output/run-results.js';

const sink = new Writable({
  write(_chunk, _encoding, callback) {
    callback();
  },
}) as unknown as NodeJS.WriteStream;

/** Runs a backtest of `file` with `overrides` over the shipped settings and returns results.json's content. */
export async function backtest(
  file: string,
  overrides: Record<string, unknown> = {},
  outDir?: string,
): Promise<RunResults> {
  const config = loadEngineConfig({
    env: {},
    overrides: {
      ...overrides,
      data_handler: { ...(overrides.data_handler as object), file },
      output: { progress: 'off' },
      monitoring: { enabled: false },
      logging: { level: 'silent' },
    },
  });
  const outcome = await runEngine({
    mode: 'backtest',
    config,
    source: dataSource(config, 'backtest'),
    ...(outDir === undefined ? {} : { outDir }),
    stdout: sink,
    stderr: sink,
  });
  if (outcome.exitCode !== 0) throw outcome.error;
  return outcome.results;
}

/** Every finite-ness, count and containment invariant a run on real data must satisfy. */
export function consistencyProblems(results: RunResults): string[] {
  const problems: string[] = [];
  const source = results.source as { rows?: number };
  if (
    source.rows !== undefined &&
    source.rows !== results.ticks.accepted + results.ticks.rejected + results.ticks.filtered
  ) {
    problems.push(`rows ${source.rows} ≠ accepted + rejected + filtered`);
  }
  for (const timeframe of Object.keys(results.bars)) {
    if (results.bars[timeframe] === 0) continue;
    if (results.bar_details.inputs_in_bars[timeframe] !== results.ticks.accepted) {
      problems.push(
        `${timeframe}: ${results.bar_details.inputs_in_bars[timeframe]} inputs in bars, ${results.ticks.accepted} accepted`,
      );
    }
  }
  if (results.snapshots.non_finite_values !== 0)
    problems.push(`non-finite snapshot value in ${String(results.snapshots.first_non_finite_key)}`);
  for (const trade of results.trades) {
    if (trade.entryTime !== null && !Number.isFinite(trade.pnl))
      problems.push(`trade ${trade.id} has PnL ${trade.pnl}`);
  }
  return problems;
}
