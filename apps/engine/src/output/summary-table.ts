/**
 * The final summary table printed after a run: the headline numbers of results.json in two aligned columns.
 */
import type { RunResults } from './run-results.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Renders the summary table as text (no trailing newline).
 *
 * @example
 * ```ts
 * console.log(formatSummary(results));
 * ```
 */
export function formatSummary(results: RunResults): string {
  const t = results.timing;
  const unit = results.ticks.unit;
  const rows: [string, string][] = [
    ['source', results.source.label as string],
    [`${unit} accepted`, integer.format(results.ticks.accepted)],
    [`${unit} rejected`, integer.format(results.ticks.rejected)],
    ...(results.ticks.filtered > 0
      ? [[`rows filtered`, integer.format(results.ticks.filtered)] as [string, string]]
      : []),
    ...Object.entries(results.bars).map(
      ([timeframe, count]) =>
        [
          `bars ${timeframe}`,
          `${integer.format(count)} (${integer.format(results.bar_details.synthetic[timeframe] ?? 0)} synthetic)`,
        ] as [string, string],
    ),
    ['snapshots', integer.format(results.snapshots.total as number)],
    [
      'synergies',
      `${results.synergies.length} (${Object.entries(results.synergies_by_type)
        .map(([type, count]) => `${type.replace('TYPE_', 'T')}: ${count}`)
        .join(', ')})`,
    ],
    ['trades', `${results.performance.filled} filled of ${results.performance.trades}`],
    ['win rate', `${(results.performance.win_rate * 100).toFixed(1)} %`],
    ['PnL (net)', money.format(results.performance.pnl)],
    [
      'max drawdown',
      `${money.format(results.performance.max_drawdown)} (${(results.performance.max_drawdown_pct * 100).toFixed(2)} %)`,
    ],
    ['throughput', `${integer.format(t.records_per_second)} ${unit}/s (${(t.wall_ms / 1000).toFixed(2)} s)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const rule = `${'─'.repeat(width + 2)}┼${'─'.repeat(valueWidth + 2)}`;
  const lines = rows.map(([label, value]) => ` ${label.padEnd(width)} │ ${value}`);
  const title = results.run.simulated
    ? ' SIMULATED DATA — results of the built-in simulator'
    : ` ${results.run.mode} results`;
  return [title, rule, ...lines, rule].join('\n');
}
