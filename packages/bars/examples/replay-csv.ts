/**
 * Replay a CSV of trades (`timestamp,price,size,…` with ISO-8601 timestamps carrying an offset) into bars,
 * columnar and in one call, and print a summary per timeframe.
 * Run: `node --import tsx examples/replay-csv.ts FILE [TIMEFRAME…]` from packages/bars.
 */
import { readFileSync } from 'node:fs';
import { aggregateTicks, parseIsoTimestamp } from '@algospace/bars';

const [file, ...timeframes] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: replay-csv.ts FILE [TIMEFRAME…]   (default timeframes: 1m 5m 30m)');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean).slice(1);
const timestamps = new Float64Array(lines.length);
const prices = new Float64Array(lines.length);
const sizes = new Float64Array(lines.length);
lines.forEach((line, i) => {
  const [time, price, size] = line.split(',', 3);
  timestamps[i] = parseIsoTimestamp(time ?? '');
  prices[i] = Number(price);
  sizes[i] = Number(size);
});

const { bars, stats } = aggregateTicks(
  { timestamps, prices, sizes },
  { timeframes: timeframes.length > 0 ? timeframes : ['1m', '5m', '30m'], gapFill: 'none' },
);
console.log(`${lines.length} ticks: ${stats.accepted} accepted, ${stats.rejected} rejected`);
for (const columns of Object.values(bars)) {
  const volume = columns.volume.reduce((sum, v) => sum + v, 0);
  const first = new Date(columns.timestamp[0] ?? Number.NaN).toISOString();
  console.log(
    `${columns.timeframe.padStart(4)}: ${columns.length} bars from ${first}, total volume ${volume}`,
  );
}
