/**
 * `pnpm --filter @algospace/kernel bench`:
 *   1. lifecycle: create + init + start + stop of a kernel with 11 trivial components (a dependency chain),
 *      with a bus supplied by the caller (the kernel's own cost), with the kernel creating its own bus (adds
 *      `createEventBus()`), and with the monitoring server on a free port; against the floor of calling the
 *      same 11 init/start/stop functions directly, and against the seed system's claim (under 2 s);
 *   2. metrics overhead: a bus publish with one handler subscribed through a component context, on a kernel
 *      with metrics (latency sampled 1 call in 64, the default) against one without, and against the bare bus.
 * Rounds are interleaved across subjects and the median round is reported (the machine is shared and noisy).
 * Writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createEventBus } from '@algospace/event-bus';
import { type Component, createKernel, type Kernel } from '../src/index.js';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const gc = (globalThis as { gc?: () => void }).gc;

type Events = { tick: { price: number } };

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

async function kernelCycle(monitoring: boolean, reuseBus = false): Promise<void> {
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

async function bareCycle(): Promise<void> {
  const components = trivialComponents();
  for (const component of components) await component.init(undefined as never);
  for (const component of components) await component.start?.(undefined as never);
  for (let index = components.length - 1; index >= 0; index--) await components[index]!.stop?.();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeCycles(run: () => Promise<void>, cycles: number): Promise<number> {
  const began = performance.now();
  for (let index = 0; index < cycles; index++) await run();
  return (performance.now() - began) / cycles;
}

// --- 1. lifecycle ---------------------------------------------------------------------------------------
const lifecycleSubjects: [string, () => Promise<void>, number][] = [
  ['direct calls (floor)', bareCycle, 2000],
  ['kernel, monitoring off, bus supplied', () => kernelCycle(false, true), 100],
  ['kernel, monitoring off, own bus', () => kernelCycle(false), 50],
  ['kernel, monitoring on :0', () => kernelCycle(true), 30],
];
const lifecycleSamples = new Map<string, number[]>(lifecycleSubjects.map(([name]) => [name, []]));
for (const [, run] of lifecycleSubjects) await timeCycles(run, 10); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [name, run, cycles] of lifecycleSubjects) {
    gc?.();
    lifecycleSamples.get(name)!.push(await timeCycles(run, quick ? Math.ceil(cycles / 10) : cycles));
  }
}
const floorMs = median(lifecycleSamples.get('direct calls (floor)')!);
const lifecycleRows = lifecycleSubjects.map(([name]) => {
  const ms = median(lifecycleSamples.get(name)!);
  return { subject: name, msPerCycle: ms, ratioToFloor: ms / floorMs, fractionOfSeedClaim: ms / 2000 };
});

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

let sink = 0;
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
        sink += tick.price;
      });
    },
  });
  await kernel.start();
  return { publish: publishLoop(kernel.bus), kernel };
}

const bareBus = createEventBus<Events>();
bareBus.subscribe('tick', (tick) => {
  sink += tick.price;
});
const withoutMetrics = await kernelPublisher(false);
const withMetrics = await kernelPublisher(true);
const publishSubjects: [string, Publisher][] = [
  ['bare bus', publishLoop(bareBus)],
  ['kernel bus, metrics off', withoutMetrics.publish],
  ['kernel bus, metrics on (1/64 sampled)', withMetrics.publish],
];
const events = quick ? 200_000 : 1_000_000;
const publishSamples = new Map<string, number[]>(publishSubjects.map(([name]) => [name, []]));
for (const [, publish] of publishSubjects) publish(events / 4); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [name, publish] of publishSubjects) {
    gc?.();
    const began = performance.now();
    publish(events);
    publishSamples.get(name)!.push(((performance.now() - began) * 1e6) / events);
  }
}
await withoutMetrics.kernel.stop();
await withMetrics.kernel.stop();
const offNs = median(publishSamples.get('kernel bus, metrics off')!);
const bareNs = median(publishSamples.get('bare bus')!);
const publishRows = publishSubjects.map(([name]) => {
  const ns = median(publishSamples.get(name)!);
  return { subject: name, nsPerPublish: ns, ratioToMetricsOff: ns / offNs, ratioToBareBus: ns / bareNs };
});

// --- report ---------------------------------------------------------------------------------------------
const fmt = (value: number, digits = 3) => value.toFixed(digits);
console.log(
  `Kernel lifecycle: create + init + start + stop, 11 trivial components (median of ${rounds} rounds)`,
);
console.log('| subject | ms per cycle | × direct calls | share of the seed 2 s claim |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of lifecycleRows) {
  console.log(
    `| ${row.subject} | ${fmt(row.msPerCycle)} | ${fmt(row.ratioToFloor, 1)} | ${fmt(row.fractionOfSeedClaim * 100, 4)} % |`,
  );
}
console.log();
console.log(
  `Publish with one handler subscribed through a component (median of ${rounds} rounds × ${events} events)`,
);
console.log('| subject | ns per publish | × metrics off | × bare bus |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of publishRows) {
  console.log(
    `| ${row.subject} | ${fmt(row.nsPerPublish, 1)} | ${fmt(row.ratioToMetricsOff, 2)} | ${fmt(row.ratioToBareBus, 2)} |`,
  );
}
if (sink === 0) throw new Error('handlers did not run');

writeFileSync(
  new URL('results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      rounds,
      lifecycle: lifecycleRows,
      publish: { events, rows: publishRows },
    },
    null,
    2,
  )}\n`,
);
