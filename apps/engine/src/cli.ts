/**
 * The `algospace` command line. This first version runs the built-in simulator through the bar stage and
 * writes `results.json`; the full pipeline arrives with the engine issue.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTimeframe } from '@algospace/bars';
import { SMA } from '@algospace/indicators';

const usage = `Usage: algospace backtest [--out DIR] [--days N] [--seed N]

Runs the built-in market simulator (SIMULATED data) through 5- and 30-minute bars and writes DIR/results.json.`;

/** Runs the CLI with `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(usage);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'backtest') {
    console.error(`algospace: unknown command '${command}'\n\n${usage}`);
    return 1;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      out: { type: 'string', default: 'out' },
      days: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
    },
  });
  const days = Number(values.days);
  let seed = Number(values.seed) >>> 0;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const timeframes = ['5m', '30m'].map((tf) => ({ tf, ms: parseTimeframe(tf), start: -1, count: 0 }));
  const sma = new SMA(20);
  let price = 4800;
  let time = Date.UTC(2024, 0, 2, 0, 0, 0);
  const end = time + days * 86_400_000;
  let ticks = 0;
  let lastSma = Number.NaN;
  for (;;) {
    time += 1 + Math.floor(random() * 2_000);
    if (time >= end) break;
    price = Math.max(0.25, price + (random() - 0.5) * 0.5);
    ticks++;
    for (const frame of timeframes) {
      const bucket = time - (time % frame.ms);
      if (bucket !== frame.start) {
        if (frame.start >= 0) {
          frame.count++;
          if (frame.tf === '30m') lastSma = sma.update(price);
        }
        frame.start = bucket;
      }
    }
  }
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const results = {
    source: 'SIMULATED market data (built-in simulator)',
    ticks: { accepted: ticks, rejected: 0 },
    bars: Object.fromEntries(timeframes.map((f) => [f.tf, f.count])),
    lastSma20x30m: lastSma,
    synergies: [],
    trades: [],
  };
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `SIMULATED data: ${ticks} ticks → ${results.bars['5m']} 5m bars, ${results.bars['30m']} 30m bars`,
  );
  console.log(`wrote ${join(out, 'results.json')}`);
  return 0;
}
