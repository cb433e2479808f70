/**
 * The consumer process of the throughput benchmark. MODE=transport reads through `createRedisTransport` into
 * a local bus; MODE=raw reads the same stream with plain ioredis `XREADGROUP`/`XACK` (the peer: what Redis and
 * the client cost without the transport). Each event carries its publish time `t`; the process records
 * publish→handler latency and its own CPU time per event, and prints one `result {...}` line after N events.
 */
import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport } from '@algospace/transport-redis';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.PREFIX ?? 'bench';
const total = Number(process.env.N ?? 100_000);
const mode = process.env.MODE ?? 'transport';
const latencies = new Float64Array(total);
let count = 0;
let firstAt = 0;
let cpuAtFirst = process.cpuUsage();

const now = () => performance.timeOrigin + performance.now();

function record(sentAt: number): boolean {
  const at = now();
  if (count === 0) {
    firstAt = at;
    cpuAtFirst = process.cpuUsage();
  }
  latencies[count++] = at - sentAt;
  return count === total;
}

function report(): void {
  const sorted = latencies.slice(0, count).sort();
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const cpu = process.cpuUsage(cpuAtFirst);
  const result = {
    count,
    firstAt,
    lastAt: now(),
    p50: pick(0.5),
    p99: pick(0.99),
    max: pick(1),
    cpuMicrosPerEvent: (cpu.user + cpu.system) / count,
  };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}

if (mode === 'transport') {
  const bus = createEventBus<{ e: { i: number; t: number; close: number; volume: number } }>({
    latencySampleEvery: 0,
  });
  const transport = createRedisTransport({
    bus,
    redis: url,
    prefix,
    inbound: { topics: ['e'], group: 'bench', consumer: 'c', readCount: 1024, metricsIntervalMs: 60_000 },
  });
  bus.subscribe('e', (event) => {
    if (record(event.t)) {
      report();
      void transport.stop().then(() => process.exit(0));
    }
  });
  await transport.start();
} else {
  const redis = new Redis(url);
  const stream = `${prefix}:e`;
  await redis.xgroup('CREATE', stream, 'bench', '0', 'MKSTREAM').catch(() => undefined);
  process.stdout.write('ready\n');
  for (;;) {
    const reply = (await redis.xreadgroup(
      'GROUP',
      'bench',
      'c',
      'COUNT',
      1024,
      'BLOCK',
      1000,
      'STREAMS',
      stream,
      '>',
    )) as [string, [string, string[]][]][] | null;
    if (reply === null) continue;
    const entries = reply[0]?.[1] ?? [];
    let done = false;
    for (const [, fields] of entries)
      done = record((JSON.parse(fields[1] as string) as { t: number }).t) || done;
    await redis.xack(stream, 'bench', ...entries.map(([id]) => id));
    if (done) {
      report();
      redis.disconnect();
      process.exit(0);
    }
  }
}
process.stdout.write('ready\n');
