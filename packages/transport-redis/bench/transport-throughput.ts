/**
 * Throughput and latency of one producer process → one consumer process through a local Redis: the transport
 * with batching (packed entries, and with packing off), without batching (one event per round trip), and the peer, plain ioredis pipelined XADD /
 * XREADGROUP / XACK without the transport's guarantees. Prints a table with ratios and writes
 * bench/results.json. Run: `pnpm --filter @algospace/transport-redis bench` (REDIS_URL to use another server).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEventBus } from '@algospace/event-bus';
import { createRedisTransport } from '@algospace/transport-redis';
import { Redis } from 'ioredis';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const tick = () => new Promise((resolve) => setImmediate(resolve));

interface ConsumerResult {
  count: number;
  firstAt: number;
  lastAt: number;
  p50: number;
  p99: number;
  max: number;
  cpuMicrosPerEvent: number;
}

/** Microseconds Redis spent in commands whose name matches, from `INFO commandstats`. */
async function redisMicros(pattern: RegExp): Promise<number> {
  const redis = new Redis(url);
  const info = await redis.info('commandstats');
  redis.disconnect();
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=\d+,usec=(\d+)/gm)) {
    if (pattern.test(match[1] as string)) total += Number(match[2]);
  }
  return total;
}

function startConsumer(
  mode: string,
  prefix: string,
  total: number,
): { ready: Promise<void>; result: Promise<ConsumerResult>; child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bench-consumer.ts'], {
    cwd: packageDir,
    env: { ...process.env, MODE: mode, PREFIX: prefix, N: String(total), REDIS_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  let onReady: () => void = () => {};
  let onResult: (r: ConsumerResult) => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const result = new Promise<ConsumerResult>((resolve) => {
    onResult = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') onReady();
      if (line.startsWith('result ')) onResult(JSON.parse(line.slice(7)) as ConsumerResult);
    }
  });
  return { ready, result, child };
}

async function cleanup(prefix: string): Promise<void> {
  const redis = new Redis(url);
  await redis.del(`${prefix}:e`, `${prefix}:e:producers`);
  redis.disconnect();
}

/** Publishes `total` events, as fast as the buffer allows (`ratePerSecond` 0) or paced. */
async function runTransport(
  prefix: string,
  total: number,
  maxBatchSize: number,
  ratePerSecond: number,
  packBatches = true,
) {
  const bus = createEventBus<{ e: { i: number; t: number; close: number; volume: number } }>({
    latencySampleEvery: 0,
  });
  const producer = createRedisTransport({
    bus,
    redis: url,
    prefix,
    outbound: { topics: ['e'], maxBatchSize, bufferLimit: 200_000, packBatches },
  });
  await producer.start();
  const started = now();
  if (ratePerSecond === 0) {
    for (let i = 0; i < total; i++) {
      bus.publish('e', { i, t: now(), close: 4810.25 + (i % 7), volume: 100 + (i % 13) });
      // Yield to I/O every 1 000 events, and wait while 50 000 are unconfirmed: the producer's backpressure.
      if (i % 1_000 === 999) {
        await tick();
        while (producer.metrics().outbound.buffered > 50_000) await tick();
      }
    }
  } else {
    const interval = 1_000 / ratePerSecond;
    for (let i = 0; i < total; i++) {
      const due = started + i * interval;
      while (now() < due) await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now() - 0.5)));
      bus.publish('e', { i, t: now(), close: 4810.25, volume: 100 });
    }
  }
  await producer.flush();
  await producer.stop();
  return started;
}

async function runRaw(prefix: string, total: number, batch: number) {
  const redis = new Redis(url);
  const stream = `${prefix}:e`;
  const started = now();
  for (let i = 0; i < total; ) {
    const pipeline = redis.pipeline();
    for (let k = 0; k < batch && i < total; k++, i++) {
      pipeline.xadd(
        stream,
        '*',
        'd',
        JSON.stringify({ i, t: now(), close: 4810.25 + (i % 7), volume: 100 + (i % 13) }),
      );
    }
    await pipeline.exec();
  }
  redis.disconnect();
  return started;
}

interface Row {
  scenario: string;
  events: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time per event of the producer process, the consumer process and Redis (µs). */
  producerCpuUs: number;
  consumerCpuUs: number;
  redisCpuUs: number;
}

async function scenario(
  name: string,
  mode: 'transport' | 'raw',
  total: number,
  run: (prefix: string) => Promise<number>,
): Promise<Row> {
  const prefix = `algospace-bench:${process.pid}:${name.replace(/\W+/g, '-')}`;
  await cleanup(prefix);
  const consumer = startConsumer(mode, prefix, total);
  await consumer.ready;
  // Redis time of the stream commands on both sides; the shared server's other clients rarely use these.
  const streamCommands = /^(evalsha|xadd|xreadgroup|xack|exec|multi|xautoclaim|xinfo)$/;
  const redisBefore = await redisMicros(streamCommands);
  const cpuBefore = process.cpuUsage();
  const started = await run(prefix);
  const cpu = process.cpuUsage(cpuBefore);
  const result = await consumer.result;
  const redisUsed = (await redisMicros(streamCommands)) - redisBefore;
  consumer.child.kill();
  await cleanup(prefix);
  const row: Row = {
    scenario: name,
    events: total,
    eventsPerSecond: Math.round(total / ((result.lastAt - started) / 1_000)),
    p50Ms: Number(result.p50.toFixed(3)),
    p99Ms: Number(result.p99.toFixed(3)),
    producerCpuUs: Number(((cpu.user + cpu.system) / total).toFixed(2)),
    consumerCpuUs: Number(result.cpuMicrosPerEvent.toFixed(2)),
    redisCpuUs: Number((redisUsed / total).toFixed(2)),
  };
  console.log(
    `${name.padEnd(50)} ${String(row.eventsPerSecond).padStart(7)} ev/s  p50 ${row.p50Ms.toFixed(2)} ms  p99 ${row.p99Ms.toFixed(2)} ms  ` +
      `CPU µs/event: producer ${row.producerCpuUs}, consumer ${row.consumerCpuUs}, redis ${row.redisCpuUs}`,
  );
  return row;
}

const size = Number(process.env.BENCH_EVENTS ?? 200_000);
const rows: Row[] = [];
rows.push(
  await scenario('transport, batched (≤1024/round trip), flat out', 'transport', size, (p) =>
    runTransport(p, size, 1024, 0),
  ),
);
rows.push(
  await scenario('transport, batched, packing off (1 entry/event)', 'transport', size / 2, (p) =>
    runTransport(p, size / 2, 1024, 0, false),
  ),
);
rows.push(
  await scenario('peer: raw ioredis XADD pipeline 1024, flat out', 'raw', size, (p) => runRaw(p, size, 1024)),
);
rows.push(
  await scenario('transport, unbatched (1/round trip), flat out', 'transport', size / 10, (p) =>
    runTransport(p, size / 10, 1, 0),
  ),
);
rows.push(
  await scenario('transport, unbatched, paced 1 000 ev/s', 'transport', 3_000, (p) =>
    runTransport(p, 3_000, 1, 1_000),
  ),
);
rows.push(
  await scenario('transport, batched, paced 1 000 ev/s', 'transport', 3_000, (p) =>
    runTransport(p, 3_000, 1024, 1_000),
  ),
);
rows.push(
  await scenario('transport, unbatched, paced 10 000 ev/s', 'transport', 20_000, (p) =>
    runTransport(p, 20_000, 1, 10_000),
  ),
);

const [batched, unpacked, raw, unbatched] = rows;
if (batched !== undefined && unpacked !== undefined && raw !== undefined && unbatched !== undefined) {
  console.log(
    `\ntransport batched packed / packing off: ${(batched.eventsPerSecond / unpacked.eventsPerSecond).toFixed(2)}× events/s, ` +
      `${(unpacked.redisCpuUs / batched.redisCpuUs).toFixed(1)}× less Redis time per event`,
  );
  console.log(
    `transport batched / raw ioredis peer: ${(batched.eventsPerSecond / raw.eventsPerSecond).toFixed(2)}×`,
  );
  console.log(
    `transport batched / unbatched:       ${(batched.eventsPerSecond / unbatched.eventsPerSecond).toFixed(1)}×`,
  );
  // Wall-clock rates depend on what else the cores run; CPU per event does not. With a core each, the slowest
  // of the three stages bounds the rate.
  const bound = (row: Row) =>
    Math.round(1e6 / Math.max(row.producerCpuUs, row.consumerCpuUs, row.redisCpuUs));
  console.log(
    `CPU-bound capacity with a core per process: transport batched ≈ ${bound(batched)} ev/s, raw peer ≈ ${bound(raw)} ev/s, transport unbatched ≈ ${bound(unbatched)} ev/s`,
  );
}
// The targets, judged on this run: batched throughput on the wall clock, and the unbatched tail at a
// rate the consumer keeps up with (flat-out latencies measure the producer's backlog, not the transport).
const pacedUnbatched = rows.find((row) => row.scenario === 'transport, unbatched, paced 1 000 ev/s');
const targets: Record<string, boolean> = {
  'batched ≥ 100 000 events/s': (batched?.eventsPerSecond ?? 0) >= 100_000,
  'unbatched p99 publish→handler < 5 ms (paced 1 000 ev/s)':
    (pacedUnbatched?.p99Ms ?? Number.POSITIVE_INFINITY) < 5,
};
console.log('');
for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);
writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), redis: url, rows, targets }, null, 2)}\n`,
);
