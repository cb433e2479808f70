/**
 * Soak run for the bus (executed in a child process with --expose-gc by event-bus.soak.test.ts and by the
 * benchmark): publishes 10 million events synchronously and 2 million through the queue after a warm-up, and
 * prints, as one JSON line, the heap in use after a full GC before and after, and how many garbage collections
 * of each kind ran meanwhile. A hot path that allocated even 8 bytes per event would need roughly ten young-
 * generation collections (scavenges) for 10 million events; zero allocation shows as no scavenge at all.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { createEventBus } from '../event-bus.js';

interface Tick {
  price: number;
  size: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const syncEvents = Number(process.argv[2] ?? 10_000_000);
const queuedEvents = Number(process.argv[3] ?? 2_000_000);
const bus = createEventBus<{ tick: Tick; bar: Tick }>();
// The handlers' own work must not allocate either: a module-level `let` holding a double would box a fresh
// heap number on every write, whereas an object field holding a double is updated in place.
const acc = { sum: 0.5 };
bus.subscribe('tick', (tick) => {
  acc.sum += tick.price;
});
bus.subscribe('tick', (tick) => {
  acc.sum -= tick.size;
});
bus.subscribe('bar', (bar) => {
  acc.sum += bar.size;
});
const tick: Tick = { price: 4810.25, size: 2 };
const capacity = bus.stats().queue.capacity;

async function run(sync: number, queued: number): Promise<void> {
  for (let i = 0; i < sync; i++) bus.publish('tick', tick);
  for (let done = 0; done < queued; done += capacity) {
    for (let i = 0; i < capacity; i++) bus.enqueue('bar', tick);
    await bus.drain();
  }
}

await run(1_000_000, 4 * capacity);
gc();
gc();
const before = process.memoryUsage().heapUsed;
const collections: Record<string, number> = { scavenge: 0, markSweepCompact: 0, incremental: 0, other: 0 };
const kinds: Record<number, string> = { 1: 'scavenge', 2: 'markSweepCompact', 4: 'incremental' };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = kinds[(entry.toJSON() as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    collections[kind] = (collections[kind] ?? 0) + 1;
  }
});
observer.observe({ entryTypes: ['gc'] });
const sequenceBefore = bus.stats().sequence;
const queuedBefore = bus.stats().topics.bar?.published ?? 0;
const started = performance.now();
await run(syncEvents, queuedEvents);
const elapsedMs = performance.now() - started;
// GC performance entries reach observers asynchronously and later than one turn of the event loop.
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
gc();
gc();
const after = process.memoryUsage().heapUsed;
const stats = bus.stats();
console.log(
  JSON.stringify({
    syncEvents,
    queuedEvents: (stats.topics.bar?.published ?? 0) - queuedBefore,
    delivered: stats.sequence - sequenceBefore,
    heapBefore: before,
    heapAfter: after,
    heapGrowth: after - before,
    collections,
    elapsedMs,
    checksum: acc.sum,
  }),
);
