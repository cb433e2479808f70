/**
 * Benchmark: ticks → [5m, 30m] bars, four implementations in one process, on 10 million synthetic ticks and
 * on the 1.9 million real SPY trades (parsed before timing):
 *
 * - floor: a bare typed-array loop (no validation, no gap fill, no callbacks): the physical limit;
 * - batch: `aggregateTicks` on the same columns;
 * - streaming: `createBarAggregator().push` on pre-built tick objects, a counting `onBar`;
 * - naive: a straightforward object-per-bar implementation (floor division per tick, one object per bar).
 *
 * Prints ticks/s per CPU second and per wall second (medians of interleaved rounds) and the CPU-time ratio to
 * the floor (CPU time of this process, so other processes on a shared machine distort it less), checks the batch path's
 * allocation (GC events and heap growth during a 10M-tick run), and writes bench/results.json.
 * Run: `pnpm --filter @algospace/bars bench` (= `node --expose-gc --import tsx bench/aggregation.ts`).
 */
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { aggregateTicks, type Bar, createBarAggregator, parseIsoTimestamp, type Tick } from '@algospace/bars';
import { marketDataPath, missingMarketData, readMarketDataLines } from '../../../test-support/market-data.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const timeframes = ['5m', '30m'] as const;
const lengths = [300_000, 1_800_000];

interface Dataset {
  readonly name: string;
  readonly timestamps: Float64Array;
  readonly prices: Float64Array;
  readonly sizes: Float64Array;
  readonly ticks: Tick[];
}

function syntheticDataset(n: number): Dataset {
  const timestamps = new Float64Array(n);
  const prices = new Float64Array(n);
  const sizes = new Float64Array(n);
  // A fixed LCG so every run sees the same ticks: bursts of equal timestamps, mean gap ~100 ms.
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let time = Date.UTC(2024, 0, 2);
  let price = 4800;
  for (let i = 0; i < n; i++) {
    time += random() < 0.3 ? 0 : Math.floor(random() * 285);
    price = Math.max(1, price + Math.round((random() - 0.5) * 2) * 0.25);
    timestamps[i] = time;
    prices[i] = price;
    sizes[i] = 1 + Math.floor(random() * 10);
  }
  return {
    name: `synthetic ${(n / 1e6).toFixed(0)}M ticks`,
    timestamps,
    prices,
    sizes,
    ticks: toTicks(timestamps, prices, sizes),
  };
}

function toTicks(timestamps: Float64Array, prices: Float64Array, sizes: Float64Array): Tick[] {
  return Array.from(timestamps, (timestamp, i) => ({ timestamp, price: prices[i]!, size: sizes[i]! }));
}

function spyDataset(): Dataset | undefined {
  const file = 'spy_trades_lean_20131007-20131011.csv.gz';
  if (missingMarketData([file]).length > 0) {
    console.warn(
      `[market data] ${marketDataPath(file)} not found: skipping the SPY dataset (set ALGOSPACE_DATA_DIR)`,
    );
    return undefined;
  }
  const lines = readMarketDataLines(file).slice(1);
  const timestamps = new Float64Array(lines.length);
  const prices = new Float64Array(lines.length);
  const sizes = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const [time, price, size] = line.split(',', 3) as [string, string, string];
    timestamps[i] = parseIsoTimestamp(time);
    prices[i] = Number(price);
    sizes[i] = Number(size);
  });
  return {
    name: `SPY trades ${(lines.length / 1e6).toFixed(2)}M`,
    timestamps,
    prices,
    sizes,
    ticks: toTicks(timestamps, prices, sizes),
  };
}

/** The physical limit: two timeframes, one comparison per tick and timeframe, columns preallocated. */
function floorLoop(d: Dataset): number {
  const { timestamps, prices, sizes } = d;
  const n = timestamps.length;
  const capacity = Math.ceil((timestamps[n - 1]! - timestamps[0]!) / lengths[0]!) + 2;
  const outClose = new Float64Array(capacity * 2);
  const outVolume = new Float64Array(capacity * 2);
  let emitted = 0;
  let end0 = Number.NEGATIVE_INFINITY;
  let high0 = 0;
  let low0 = 0;
  let close0 = 0;
  let volume0 = 0;
  let end1 = Number.NEGATIVE_INFINITY;
  let high1 = 0;
  let low1 = 0;
  let close1 = 0;
  let volume1 = 0;
  for (let i = 0; i < n; i++) {
    const t = timestamps[i]!;
    const p = prices[i]!;
    const v = sizes[i]!;
    if (t < end0) {
      if (p > high0) high0 = p;
      else if (p < low0) low0 = p;
      close0 = p;
      volume0 += v;
    } else {
      if (end0 !== Number.NEGATIVE_INFINITY) {
        outClose[emitted] = close0 + high0 * 0 + low0 * 0;
        outVolume[emitted++] = volume0;
      }
      end0 = t - (t % 300_000) + 300_000;
      high0 = low0 = close0 = p;
      volume0 = v;
    }
    if (t < end1) {
      if (p > high1) high1 = p;
      else if (p < low1) low1 = p;
      close1 = p;
      volume1 += v;
    } else {
      if (end1 !== Number.NEGATIVE_INFINITY) {
        outClose[emitted] = close1 + high1 * 0 + low1 * 0;
        outVolume[emitted++] = volume1;
      }
      end1 = t - (t % 1_800_000) + 1_800_000;
      high1 = low1 = close1 = p;
      volume1 = v;
    }
  }
  return emitted + 2;
}

function batch(d: Dataset): number {
  const { bars } = aggregateTicks(d, { timeframes });
  return bars['5m'].length + bars['30m'].length;
}

function streaming(d: Dataset): number {
  let count = 0;
  const aggregator = createBarAggregator({ timeframes: [...timeframes], onBar: () => void count++ });
  const ticks = d.ticks;
  for (let i = 0; i < ticks.length; i++) aggregator.push(ticks[i]!);
  aggregator.flush();
  return count;
}

/** What a first implementation usually looks like: floor division per tick and a fresh object per bar. */
function naive(d: Dataset): number {
  const closed: Bar[] = [];
  const current = new Map<
    string,
    {
      timestamp: number;
      open: number;
      high: number;
      low: number;
      close: number;
      volume: number;
      tickCount: number;
    }
  >();
  for (const tick of d.ticks) {
    for (let k = 0; k < timeframes.length; k++) {
      const timeframe = timeframes[k]!;
      const ms = lengths[k]!;
      const start = Math.floor(tick.timestamp / ms) * ms;
      const bar = current.get(timeframe);
      if (bar === undefined || bar.timestamp !== start) {
        if (bar !== undefined) closed.push({ ...bar, timeframe, synthetic: false });
        current.set(timeframe, {
          timestamp: start,
          open: tick.price,
          high: tick.price,
          low: tick.price,
          close: tick.price,
          volume: tick.size,
          tickCount: 1,
        });
      } else {
        bar.high = Math.max(bar.high, tick.price);
        bar.low = Math.min(bar.low, tick.price);
        bar.close = tick.price;
        bar.volume += tick.size;
        bar.tickCount++;
      }
    }
  }
  return closed.length + current.size;
}

const implementations = { floor: floorLoop, batch, streaming, naive } as const;
type Name = keyof typeof implementations;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU time of this process in ms: unlike wall time it does not count the time other processes run. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function measure(d: Dataset) {
  const wall: Record<Name, number[]> = { floor: [], batch: [], streaming: [], naive: [] };
  const cpu: Record<Name, number[]> = { floor: [], batch: [], streaming: [], naive: [] };
  const bars: Partial<Record<Name, number>> = {};
  for (const name of Object.keys(implementations) as Name[]) implementations[name](d); // warm-up
  // One collection before timing, none between rounds: on a loaded 2-core machine the concurrent GC work a
  // forced collection leaves behind slowed whichever implementation ran next.
  gc();
  for (let r = 0; r < rounds; r++) {
    for (const name of Object.keys(implementations) as Name[]) {
      const startCpu = cpuMs();
      const start = performance.now();
      bars[name] = implementations[name](d);
      wall[name].push(performance.now() - start);
      cpu[name].push(cpuMs() - startCpu);
    }
  }
  const n = d.timestamps.length;
  const floorCpu = median(cpu.floor);
  return (Object.keys(implementations) as Name[]).map((name) => {
    const cpuMedian = median(cpu[name]);
    const wallMedian = median(wall[name]);
    return {
      implementation: name,
      ticksPerCpuSecond: Math.round((n / cpuMedian) * 1000),
      ticksPerWallSecond: Math.round((n / wallMedian) * 1000),
      cpuMsMedian: Number(cpuMedian.toFixed(1)),
      wallMsMedian: Number(wallMedian.toFixed(1)),
      ratioToFloor: Number((cpuMedian / floorCpu).toFixed(2)),
      bars: bars[name]!,
    };
  });
}

/** GC events and heap growth during one batch run: zero per-tick allocation means no scavenge at all. */
async function allocationCheck(d: Dataset, name: string, run: (d: Dataset) => number) {
  let gcEvents = 0;
  const observer = new PerformanceObserver((list) => {
    gcEvents += list.getEntries().length;
  });
  gc();
  gc();
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage();
  run(d);
  const after = process.memoryUsage();
  // GC entries are queued from a task after each collection: let the event loop run before counting.
  await new Promise((resolve) => setTimeout(resolve, 100));
  gcEvents += observer.takeRecords().length;
  observer.disconnect();
  const heapGrowth = after.heapUsed - before.heapUsed;
  return {
    implementation: name,
    gcEventsDuringRun: gcEvents,
    heapGrowthBytes: heapGrowth,
    heapBytesPerTick: Number((heapGrowth / d.timestamps.length).toFixed(4)),
  };
}

const datasets = [syntheticDataset(Number(process.env.BENCH_TICKS ?? 10_000_000)), spyDataset()].filter(
  (d): d is Dataset => d !== undefined,
);
const results: Record<string, unknown> = {
  node: process.version,
  timeframes,
  rounds,
  date: new Date().toISOString(),
  datasets: {},
};
for (const d of datasets) {
  const rows = measure(d);
  console.log(`\n${d.name}, timeframes [${timeframes.join(', ')}], median of ${rounds} rounds`);
  console.table(
    rows.map((r) => ({
      implementation: r.implementation,
      'Mticks/s (CPU)': (r.ticksPerCpuSecond / 1e6).toFixed(1),
      'Mticks/s (wall)': (r.ticksPerWallSecond / 1e6).toFixed(1),
      'CPU ms': r.cpuMsMedian,
      'CPU time / floor': r.ratioToFloor,
      bars: r.bars,
    })),
  );
  (results.datasets as Record<string, unknown>)[d.name] = rows;
}
const big = datasets[0]!;
/** Control that must allocate per tick: each tick object escapes into a ring, so it cannot be optimised away. */
function streamingWithEscapingTicks(d: Dataset): number {
  let count = 0;
  const aggregator = createBarAggregator({ timeframes: [...timeframes], onBar: () => void count++ });
  const ring: Tick[] = new Array(1024);
  const { timestamps, prices, sizes } = d;
  for (let i = 0; i < timestamps.length; i++) {
    const tick = { timestamp: timestamps[i]!, price: prices[i]!, size: sizes[i]! };
    ring[i & 1023] = tick;
    aggregator.push(tick);
  }
  aggregator.flush();
  return count + ring.length * 0;
}

const tenth = big.timestamps.length / 10;
const small: Dataset = {
  name: `${big.name} (first tenth)`,
  timestamps: big.timestamps.subarray(0, tenth),
  prices: big.prices.subarray(0, tenth),
  sizes: big.sizes.subarray(0, tenth),
  ticks: big.ticks.slice(0, tenth),
};
const allocation = [
  { ...(await allocationCheck(small, 'batch', batch)), ticks: tenth },
  { ...(await allocationCheck(big, 'batch', batch)), ticks: big.timestamps.length },
  { ...(await allocationCheck(big, 'streaming (pre-built ticks)', streaming)), ticks: big.timestamps.length },
  {
    ...(await allocationCheck(big, 'control: a tick object per tick', streamingWithEscapingTicks)),
    ticks: big.timestamps.length,
  },
];
console.log(`\nallocation during one run over ${big.name} (after gc(); GC events observed while it ran)`);
console.table(allocation);
results.allocation = allocation;
const url = new URL('results.json', import.meta.url);
writeFileSync(url, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${url.pathname}`);
