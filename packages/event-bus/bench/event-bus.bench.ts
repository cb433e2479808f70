/**
 * `pnpm --filter @algospace/event-bus bench`: this bus (isolation on, latency sampling at its default 1/1024)
 * against raw eventemitter3, tseep, mitt, node:events and emittery, in one process and one harness.
 *
 * Harness: every (subject, scenario) pair gets its own loop compiled from source with `new Function`, so no
 * two subjects share a call site's type feedback and each is optimised as it would be in an application.
 * Single-threaded scenarios are timed in process CPU time (the worker bridge, multi-threaded, in wall time). Rounds
 * are interleaved across subjects and the best round is reported: on a shared machine noise only ever adds
 * time, so the fastest of many short interleaved rounds is the most repeatable estimate of what the code costs
 * (the median is kept in results.json too). Ratios are to raw eventemitter3 measured in the same rounds.
 *
 * Also measured: queued-mode throughput (enqueue + drain, in rounds interleaved with its emittery baseline),
 * worker-bridge throughput (5 workers into one main bus), and the allocation check (young-generation GCs during
 * 10 million publishes; see docs/event-bus.md).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { type BridgeBenchEvents, itemCodec } from './bridge-bench-events.js';
import { eventBus } from './built-package.js';
import { type Peer, peers } from './peers.js';

const { bridgeWorker, createEventBus } = eventBus;
const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
const roundMs = quick ? 15 : 25;
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  scenario: string;
  subject: string;
  nsPerOp: number;
  medianNsPerOp: number;
  opsPerSecond: number;
  ratioToEventEmitter3: number | null;
}

type Loop = (t: unknown, P: unknown, H: unknown, n: number) => unknown;

let unique = 0;
function compileLoop(body: string, awaited: boolean): Loop {
  unique++;
  // The comment makes every source text distinct, so V8 never reuses one compiled function for two subjects.
  const source = `/* loop ${unique} */ for (let i = 0; i < n; i++) { ${body} }`;
  if (awaited) {
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Loop;
    return new AsyncFunction('t', 'P', 'H', 'n', source);
  }
  return new Function('t', 'P', 'H', 'n', source) as Loop;
}

/** Distinct handler functions (own source each), summing into an object field so the handlers allocate nothing. */
function makeHandlers(count: number, acc: { v: number }): ((p: { price: number }) => void)[] {
  return Array.from({ length: count }, (_, k) => {
    unique++;
    return new Function('acc', `/* h ${unique} */ return function h${k}(p) { acc.v += p.price + ${k}; };`)(
      acc,
    ) as (p: { price: number }) => void;
  });
}

interface Case {
  readonly peer: Peer;
  readonly target: unknown;
  readonly loop: Loop;
  readonly handler: unknown;
  n: number;
  readonly samples: number[];
}

/**
 * CPU time of this process, in nanoseconds. Single-threaded scenarios are timed in CPU time rather than wall
 * time: on a machine shared with other jobs, wall time mostly measures how long the scheduler kept us waiting.
 */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
}

async function timeOnce(c: Case, payload: unknown): Promise<number> {
  const started = cpuNow();
  const result = c.loop(c.target, payload, c.handler, c.n);
  if (c.peer.awaited) await result;
  return (cpuNow() - started) / c.n;
}

async function calibrate(c: Case, payload: unknown): Promise<void> {
  c.n = 1000;
  for (;;) {
    const ns = await timeOnce(c, payload);
    if (ns * c.n >= (roundMs * 1e6) / 4 || c.n >= 1 << 26) {
      c.n = Math.max(1000, Math.round((roundMs * 1e6) / ns));
      return;
    }
    c.n *= 4;
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function runScenario(
  scenario: string,
  subscribers: number,
  body: (peer: Peer) => string,
  subjects: readonly Peer[] = peers,
): Promise<Row[]> {
  const acc = { v: 0.5 };
  const payload = { price: 1.25 };
  const cases: Case[] = subjects.map((peer) => {
    const target = peer.create();
    for (const handler of makeHandlers(subscribers, acc)) peer.on(target, handler);
    const [handler] = makeHandlers(1, acc);
    return { peer, target, loop: compileLoop(body(peer), peer.awaited), handler, n: 0, samples: [] };
  });
  for (const c of cases) await calibrate(c, payload);
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) c.samples.push(await timeOnce(c, payload));
  }
  const base = Math.min(...(cases.find((c) => c.peer.name === 'eventemitter3')?.samples ?? []));
  return cases.map((c) => {
    const ns = Math.min(...c.samples);
    return {
      scenario,
      subject: c.peer.name,
      nsPerOp: ns,
      medianNsPerOp: median(c.samples),
      opsPerSecond: 1e9 / ns,
      ratioToEventEmitter3: ns / base,
    };
  });
}

/**
 * Queued mode (enqueue a batch as large as the queue, then await the drain), timed in rounds interleaved with
 * emittery's awaited emit, the baseline of the issue's "100× emittery" target: one subscriber of the same shape
 * and the same payload on both. Interleaving matters here: the ratio divides two timings, and emittery's varies
 * with the machine's state (775–900 ns per emit in runs minutes apart). The queued row's ratio column is to
 * eventemitter3's synchronous publish with one subscriber, like every other row's.
 *
 * With `shared`, three other queued buses with their own handlers are drained first, so the drain loop's call
 * to a handler has seen several targets, as in an application with more than one queued topic. Without it the
 * call has seen one handler and V8 inlines it, which is also how every publish row of this benchmark runs (each
 * scenario's first bus sees only its own handlers); the two rows bracket what an application gets.
 */
async function queuedThroughput(eventEmitter3PublishNs: number, shared: boolean): Promise<Row[]> {
  const batch = 1 << 16;
  const batches = quick ? 8 : 32;
  if (shared) {
    for (let other = 0; other < 3; other++) {
      const bus = createEventBus<{ tick: { price: number } }>();
      for (const h of makeHandlers(1, { v: 0.5 })) bus.subscribe('tick', h);
      for (let turn = 0; turn < 50; turn++) {
        for (let i = 0; i < 2000; i++) bus.enqueue('tick', { price: i });
        await bus.drain();
      }
    }
  }
  const bus = createEventBus<{ tick: { price: number } }>({ queue: { capacity: batch } });
  const [handler] = makeHandlers(1, { v: 0.5 });
  bus.subscribe('tick', handler as (p: { price: number }) => void);
  const fill = compileLoop(`t.enqueue('tick', P);`, false);
  const emitteryPeer = peers.find((p) => p.name === 'emittery (awaited)') as Peer;
  const emitter = emitteryPeer.create();
  for (const h of makeHandlers(1, { v: 0.5 })) emitteryPeer.on(emitter, h);
  const emitCase: Case = {
    peer: emitteryPeer,
    target: emitter,
    loop: compileLoop(`await ${emitteryPeer.emit('P')};`, true),
    handler: undefined,
    n: 0,
    samples: [],
  };
  const payload = { price: 1.25 };
  await calibrate(emitCase, payload);
  const queuedSamples: number[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const started = cpuNow();
    for (let b = 0; b < batches; b++) {
      fill(bus, payload, undefined, batch);
      await bus.drain();
    }
    const ns = (cpuNow() - started) / (batches * batch);
    const emitNs = await timeOnce(emitCase, payload);
    if (round >= 2) {
      queuedSamples.push(ns);
      emitCase.samples.push(emitNs);
    }
  }
  const row = (scenario: string, subject: string, samples: number[]): Row => {
    const ns = Math.min(...samples);
    return {
      scenario,
      subject,
      nsPerOp: ns,
      medianNsPerOp: median(samples),
      opsPerSecond: 1e9 / ns,
      ratioToEventEmitter3: ns / eventEmitter3PublishNs,
    };
  };
  const which = shared ? ', drain loop shared with 3 other handlers' : '';
  return [
    row(`queued: enqueue + drain, 1 subscriber${which}`, '@algospace/event-bus', queuedSamples),
    row(`queued-mode baseline: awaited emit, 1 subscriber${which}`, 'emittery (awaited)', emitCase.samples),
  ];
}

async function bridgeThroughput(codec: boolean): Promise<Row> {
  const producers = 5;
  const perProducer = quick ? 100_000 : 200_000;
  const entry = new URL('../src/__fixtures__/typescript-worker-entry.mjs', import.meta.url);
  const script = new URL('./bridge-producer.worker.ts', import.meta.url).href;
  const samples: number[] = [];
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    const bus = createEventBus<BridgeBenchEvents>();
    const received = { count: 0 };
    bus.subscribe('item', () => {
      received.count++;
    });
    const workers = Array.from(
      { length: producers },
      (_, producer) =>
        new Worker(entry, {
          workerData: { entry: script, producer, count: perProducer, batchSize: 4096, codec },
        }),
    );
    const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    const bridges = workers.map((worker) =>
      bridgeWorker(bus, worker, codec ? { codecs: { item: itemCodec } } : {}),
    );
    while (bus.listenerCount('go') < producers) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = process.hrtime.bigint();
    bus.publish('go', undefined);
    await Promise.all(bridges.map((bridge) => bridge.closed));
    const ns = Number(process.hrtime.bigint() - started) / (producers * perProducer);
    await Promise.all(exited);
    if (received.count !== producers * perProducer) {
      throw new Error(
        `bridge benchmark: expected ${producers * perProducer} events, received ${received.count}`,
      );
    }
    samples.push(ns);
  }
  const ns = Math.min(...samples);
  return {
    medianNsPerOp: median(samples),
    scenario: `worker bridge, ${codec ? 'NumericCodec' : 'structured clone'}: 5 workers × ${perProducer / 1000}k → 1 bus`,
    subject: '@algospace/event-bus',
    nsPerOp: ns,
    opsPerSecond: 1e9 / ns,
    ratioToEventEmitter3: null,
  };
}

interface AllocationCheck {
  subject: string;
  events: number;
  scavenges: number;
  heapGrowthBytes: number;
}

async function allocationCheck(peer: Peer): Promise<AllocationCheck | undefined> {
  if (gc === undefined) return undefined;
  const target = peer.create();
  for (const handler of makeHandlers(1, { v: 0.5 })) peer.on(target, handler);
  const loop = compileLoop(`${peer.emit('P')};`, false);
  const payload = { price: 1.25 };
  const events = 10_000_000;
  loop(target, payload, undefined, 1_000_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry.toJSON() as { detail?: { kind?: number } }).detail?.kind === 1) scavenges++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  loop(target, payload, undefined, events);
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  gc();
  return { subject: peer.name, events, scavenges, heapGrowthBytes: process.memoryUsage().heapUsed - before };
}

function printTable(rows: readonly Row[]): void {
  const header = ['scenario', 'subject', 'ns/op', 'ops/s', '× eventemitter3'];
  const lines = rows.map((r) => [
    r.scenario,
    r.subject,
    r.nsPerOp.toFixed(1),
    r.opsPerSecond >= 1e6
      ? `${(r.opsPerSecond / 1e6).toFixed(2)} M`
      : `${(r.opsPerSecond / 1e3).toFixed(1)} k`,
    r.ratioToEventEmitter3 === null ? '' : `${r.ratioToEventEmitter3.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  console.log(format(header));
  console.log(`| ${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`);
  for (const line of lines) console.log(format(line));
}

const rows: Row[] = [];
const scenarios: [string, number, (peer: Peer) => string][] = [
  ['publish, 0 subscribers', 0, (p) => `${p.awaited ? 'await ' : ''}${p.emit('P')};`],
  ['publish, 1 subscriber', 1, (p) => `${p.awaited ? 'await ' : ''}${p.emit('P')};`],
  ['publish, 5 subscribers', 5, (p) => `${p.awaited ? 'await ' : ''}${p.emit('P')};`],
  [
    'publish a fresh payload, 1 subscriber',
    1,
    (p) => `${p.awaited ? 'await ' : ''}${p.emit('{ price: i, size: 1 }')};`,
  ],
  ['subscribe + unsubscribe (1 other subscriber)', 1, (p) => p.subscribeUnsubscribe],
];
for (const [name, subscribers, body] of scenarios) {
  console.error(`running: ${name}`);
  rows.push(...(await runScenario(name, subscribers, body)));
}
// What latency sampling costs: the same bus with every event timed, the default 1 in 1024, and none.
const busPeer = peers[0] as Peer;
const eventEmitter3Peer = peers[1] as Peer;
const samplingVariants: Peer[] = [
  eventEmitter3Peer,
  ...[1, 1024, 0].map(
    (every): Peer => ({
      ...busPeer,
      name: `event-bus, latencySampleEvery: ${every}`,
      create: () => createEventBus<{ tick: { price: number } }>({ latencySampleEvery: every }),
    }),
  ),
];
console.error('running: latency sampling cost');
rows.push(
  ...(await runScenario(
    'latency sampling cost, 1 subscriber',
    1,
    (p) => `${p.emit('P')};`,
    samplingVariants,
  )),
);
console.error('running: queued mode');
const eventEmitter3Publish1 =
  rows.find((r) => r.scenario === 'publish, 1 subscriber' && r.subject === 'eventemitter3')?.nsPerOp ??
  Number.NaN;
rows.push(...(await queuedThroughput(eventEmitter3Publish1, false)));
rows.push(...(await queuedThroughput(eventEmitter3Publish1, true)));
console.error('running: worker bridge');
rows.push(await bridgeThroughput(false));
rows.push(await bridgeThroughput(true));

printTable(rows);

const allocation: AllocationCheck[] = [];
for (const peer of peers.filter((p) => p.name === '@algospace/event-bus' || p.name === 'eventemitter3')) {
  const check = await allocationCheck(peer);
  if (check !== undefined) allocation.push(check);
}
for (const check of allocation) {
  console.log(
    `allocation: ${check.subject}: ${check.scavenges} young-generation GCs during ${check.events / 1e6}M publishes, heap ${check.heapGrowthBytes >= 0 ? '+' : ''}${(check.heapGrowthBytes / 1024).toFixed(0)} KiB`,
  );
}

const find = (scenario: string, subject: string): Row | undefined =>
  rows.find((r) => r.scenario === scenario && r.subject === subject);
const bus1 = find('publish, 1 subscriber', '@algospace/event-bus');
const bus5 = find('publish, 5 subscribers', '@algospace/event-bus');
const queued = find('queued: enqueue + drain, 1 subscriber', '@algospace/event-bus');
// The baseline timed in rounds interleaved with the queued ones (same subscriber count, handler and payload).
const emitteryBaseline = find('queued-mode baseline: awaited emit, 1 subscriber', 'emittery (awaited)');
const queuedShared = find(
  'queued: enqueue + drain, 1 subscriber, drain loop shared with 3 other handlers',
  '@algospace/event-bus',
);
const emitteryBaselineShared = find(
  'queued-mode baseline: awaited emit, 1 subscriber, drain loop shared with 3 other handlers',
  'emittery (awaited)',
);
const bridge = rows.find((r) => r.scenario.startsWith('worker bridge, NumericCodec'));
const targets = {
  'publish 1 subscriber ≤ 1.3× eventemitter3':
    (bus1?.ratioToEventEmitter3 ?? Number.POSITIVE_INFINITY) <= 1.3,
  'publish 5 subscribers ≤ 1.3× eventemitter3':
    (bus5?.ratioToEventEmitter3 ?? Number.POSITIVE_INFINITY) <= 1.3,
  'queued ≥ 10M events/s': (queued?.opsPerSecond ?? 0) >= 10e6,
  'queued ≥ 100× emittery awaited emit':
    (queued?.opsPerSecond ?? 0) >= 100 * (emitteryBaseline?.opsPerSecond ?? Number.POSITIVE_INFINITY),
  'worker bridge (NumericCodec) ≥ 1M events/s': (bridge?.opsPerSecond ?? 0) >= 1e6,
  'no young-generation GC during 10M publishes': allocation.some(
    (a) => a.subject === '@algospace/event-bus' && a.scavenges === 0,
  ),
};
for (const [label, q, e] of [
  ['', queued, emitteryBaseline],
  [', drain loop shared with 3 other handlers', queuedShared, emitteryBaselineShared],
] as const) {
  if (q === undefined || e === undefined) continue;
  console.log(
    `queued vs emittery awaited emit${label} (interleaved rounds): ${(e.nsPerOp / q.nsPerOp).toFixed(1)}× (best rounds), ${(e.medianNsPerOp / q.medianNsPerOp).toFixed(1)}× (median rounds)`,
  );
}
for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      rounds,
      rows,
      allocation,
      targets,
    },
    null,
    2,
  )}\n`,
);
console.log('wrote bench/results.json');
