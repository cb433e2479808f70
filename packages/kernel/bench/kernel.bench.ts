/**
 * `pnpm --filter @algospace/kernel bench`:
 *   1. lifecycle: create + init + start + stop of a kernel with 11 trivial components (a dependency chain),
 *      with a bus supplied by the caller (the kernel's own cost), with the kernel creating its own bus (adds
 *      `createEventBus()`), and with the monitoring server on a free port; against the floor of calling the
 *      same 11 init/start/stop functions directly, and against the seed system's claim (under 2 s);
 *   2. metrics overhead: a bus publish with one handler subscribed through a component context, on a kernel
 *      with metrics (latency sampled 1 call in 64, the default) against one without, and against the bare bus.
 * Rounds are interleaved across subjects and the median round is reported. Times are CPU time of this process
 * (`process.cpuUsage`, user + system) next to wall time: on a shared machine the wall clock also counts the
 * time other processes held the cores, the CPU time does not. Writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createEventBus } from '@algospace/event-bus';
import { type Component, createKernel, type Kernel } from '../src/index.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const gc = (globalThis as { gc?: () => void }).gc;

type Events = { tick: { price: number } };

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianOf = (samples: readonly Sample[], key: keyof Sample) =>
  median(samples.map((sample) => sample[key]));

/** CPU milliseconds (user + system) used by this process since `since`. */
function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

// The publish measurement runs first: thousands of kernel cycles leave the bus's shared code with
// megamorphic type feedback, which would slow whichever bus is measured after them.
// --- 2. metrics overhead on publish ---------------------------------------------------------------------
type Publisher = (count: number) => void;
let unique = 0;
function publishLoop(bus: { publish(topic: 'tick', payload: { price: number }): void }): Publisher {
  unique++;
  // One compiled loop per subject so no two subjects share a call site's type feedback.
  const loop = new Function(
    'bus',
    'payload',
    'n',
    `/* ${unique} */ for (let i = 0; i < n; i++) bus.publish('tick', payload);`,
  ) as (bus: unknown, payload: unknown, n: number) => void;
  const payload = { price: 4800.25 };
  return (count) => loop(bus, payload, count);
}

const sink = { total: 0 };
async function kernelPublisher(metrics: boolean): Promise<{ publish: Publisher; kernel: Kernel<Events> }> {
  const kernel = createKernel<Events>({
    mode: 'backtest',
    monitoring: metrics ? { port: 0 } : false,
    logger: { level: 'silent' },
  });
  kernel.register({
    name: 'consumer',
    init(context) {
      context.bus.subscribe('tick', (tick) => {
        sink.total += tick.price;
      });
    },
  });
  await kernel.start();
  return { publish: publishLoop(kernel.bus), kernel };
}

const bareBus = createEventBus<Events>();
bareBus.subscribe('tick', (tick) => {
  sink.total += tick.price;
});
const withoutMetrics = await kernelPublisher(false);
const withMetrics = await kernelPublisher(true);
const publishSubjects: [string, Publisher][] = [
  ['bare bus', publishLoop(bareBus)],
  ['kernel bus, metrics off', withoutMetrics.publish],
  ['kernel bus, metrics on (1/64 sampled)', withMetrics.publish],
];
// Many short rounds rather than a few long ones: a burst of load from elsewhere spoils one round, not the median.
const events = 200_000;
const publishRounds = quick ? 5 : 31;
const publishSamples = new Map<string, Sample[]>(publishSubjects.map(([name]) => [name, []]));
for (const [, publish] of publishSubjects) publish(events); // warm-up
for (let round = 0; round < publishRounds; round++) {
  for (const [name, publish] of publishSubjects) {
    gc?.();
    const cpu = process.cpuUsage();
    const began = performance.now();
    publish(events);
    // Nanoseconds per publish.
    publishSamples.get(name)!.push({
      wall: ((performance.now() - began) * 1e6) / events,
      cpu: (cpuMsSince(cpu) * 1e6) / events,
    });
  }
}
await withoutMetrics.kernel.stop();
await withMetrics.kernel.stop();
const offNs = medianOf(publishSamples.get('kernel bus, metrics off')!, 'cpu');
const bareNs = medianOf(publishSamples.get('bare bus')!, 'cpu');
const publishRows = publishSubjects.map(([name]) => {
  const cpuNs = medianOf(publishSamples.get(name)!, 'cpu');
  const wallNs = medianOf(publishSamples.get(name)!, 'wall');
  return {
    subject: name,
    cpuNs,
    wallNs,
    cpuRatioToMetricsOff: cpuNs / offNs,
    cpuRatioToBareBus: cpuNs / bareNs,
  };
});
if (sink.total === 0) throw new Error('handlers did not run');

// --- 1. lifecycle ---------------------------------------------------------------------------------------
function trivialComponents(): Component<Events>[] {
  return Array.from({ length: 11 }, (_, index) => ({
    name: `component-${index}`,
    dependsOn: index === 0 ? [] : [`component-${index - 1}`],
    init() {},
    start() {},
    stop() {},
  }));
}

const sharedBus = createEventBus<Events>();

async function kernelCycle(monitoring: boolean, reuseBus: boolean): Promise<void> {
  const kernel = createKernel<Events>({
    mode: 'backtest',
    monitoring: monitoring ? { port: 0 } : false,
    logger: { level: 'silent' },
    ...(reuseBus ? { bus: sharedBus } : {}),
  });
  for (const component of trivialComponents()) kernel.register(component);
  await kernel.start();
  await kernel.stop('bench');
}

async function directCycle(): Promise<void> {
  const components = trivialComponents();
  for (const component of components) await component.init(undefined as never);
  for (const component of components) await component.start?.(undefined as never);
  for (let index = components.length - 1; index >= 0; index--) await components[index]!.stop?.();
}

/** Milliseconds per cycle, wall and CPU. */
async function timeCycles(run: () => Promise<void>, cycles: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  for (let index = 0; index < cycles; index++) await run();
  return { wall: (performance.now() - began) / cycles, cpu: cpuMsSince(cpu) / cycles };
}

const lifecycleSubjects: [string, () => Promise<void>, number][] = [
  ['direct calls (floor)', directCycle, 2000],
  ['kernel, monitoring off, bus supplied', () => kernelCycle(false, true), 100],
  ['kernel, monitoring off, own bus', () => kernelCycle(false, false), 50],
  ['kernel, monitoring on :0, own bus', () => kernelCycle(true, false), 30],
];
const lifecycleSamples = new Map<string, Sample[]>(lifecycleSubjects.map(([name]) => [name, []]));
for (const [, run] of lifecycleSubjects) await timeCycles(run, 10); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [name, run, cycles] of lifecycleSubjects) {
    gc?.();
    lifecycleSamples.get(name)!.push(await timeCycles(run, quick ? Math.ceil(cycles / 10) : cycles));
  }
}
const floorCpu = medianOf(lifecycleSamples.get('direct calls (floor)')!, 'cpu');
const lifecycleRows = lifecycleSubjects.map(([name]) => {
  const samples = lifecycleSamples.get(name)!;
  const cpuMs = medianOf(samples, 'cpu');
  const wallMs = medianOf(samples, 'wall');
  return {
    subject: name,
    cpuMs,
    wallMs,
    cpuRatioToDirectCalls: cpuMs / floorCpu,
    wallShareOfSeedClaim: wallMs / 2000,
  };
});

// --- report ---------------------------------------------------------------------------------------------
const fmt = (value: number, digits = 3) => value.toFixed(digits);
console.log(
  `Kernel lifecycle: create + init + start + stop, 11 trivial components (median of ${rounds} rounds)`,
);
console.log(
  '| subject | CPU ms / cycle | wall ms / cycle | CPU × direct calls | wall share of the seed 2 s |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of lifecycleRows) {
  console.log(
    `| ${row.subject} | ${fmt(row.cpuMs)} | ${fmt(row.wallMs)} | ${fmt(row.cpuRatioToDirectCalls, 0)} | ${fmt(row.wallShareOfSeedClaim * 100, 3)} % |`,
  );
}
console.log();
console.log(
  `Publish, one handler subscribed through a component (median of ${publishRounds} rounds × ${events} events)`,
);
console.log('| subject | CPU ns / publish | wall ns / publish | CPU × metrics off | CPU × bare bus |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of publishRows) {
  console.log(
    `| ${row.subject} | ${fmt(row.cpuNs, 1)} | ${fmt(row.wallNs, 1)} | ${fmt(row.cpuRatioToMetricsOff, 2)} | ${fmt(row.cpuRatioToBareBus, 2)} |`,
  );
}

writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      lifecycle: { rounds, rows: lifecycleRows },
      publish: { events, rounds: publishRounds, rows: publishRows },
    },
    null,
    2,
  )}\n`,
);
