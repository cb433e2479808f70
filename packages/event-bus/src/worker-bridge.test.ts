import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type BridgeEvents, itemCodec } from './__fixtures__/bridge-events.js';
import { createEventBus } from './event-bus.js';
import type { EventBusBridgeError } from './event-bus-error.js';
import { bridgeWorker } from './worker-bridge.js';

const entry = new URL('./__fixtures__/typescript-worker-entry.mjs', import.meta.url);
const producerScript = new URL('./__fixtures__/bridge-producer.worker.ts', import.meta.url).href;

function startProducer(data: Record<string, number | boolean>): Worker {
  return new Worker(entry, { workerData: { ...data, entry: producerScript } });
}

describe('worker bridge', () => {
  it('delivers 5 workers × 100,000 events exactly once, each producer in order', async () => {
    const producers = 5;
    const perProducer = 100_000;
    const bus = createEventBus<BridgeEvents>();
    const next = new Array<number>(producers).fill(0);
    const outOfOrder: string[] = [];
    bus.subscribe('item', ({ producer, n }) => {
      if (n !== next[producer]) outOfOrder.push(`producer ${producer}: expected ${next[producer]}, got ${n}`);
      next[producer] = n + 1;
    });
    const workers = Array.from({ length: producers }, (_, producer) =>
      startProducer({ producer, count: perProducer }),
    );
    const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    const bridges = workers.map((worker) => bridgeWorker(bus, worker));
    const closed = await Promise.all(bridges.map((bridge) => bridge.closed));
    expect(await Promise.all(exited), 'every worker exits on its own after close()').toEqual([0, 0, 0, 0, 0]);

    expect(outOfOrder.slice(0, 5), 'each producer’s events arrive in the order it published them').toEqual(
      [],
    );
    expect(next, 'every producer’s last event (n = 99,999) arrived').toEqual(
      new Array(producers).fill(perProducer),
    );
    expect(bus.stats().topics.item?.published, 'no event arrived twice').toBe(producers * perProducer);
    expect(closed.map((s) => s.received)).toEqual(new Array(producers).fill(perProducer));
    expect(closed.map((s) => s.protocolErrors)).toEqual(new Array(producers).fill(0));
  });

  it('moves codec-encoded payloads as numbers, interleaved in order with plain payloads, exactly once', async () => {
    const bus = createEventBus<BridgeEvents>();
    const trail = ['', ''];
    const next = [0, 0];
    const problems: string[] = [];
    bus.subscribe('item', ({ producer, n }) => {
      if (n !== next[producer])
        problems.push(`producer ${producer}: expected item ${next[producer]}, got ${n}`);
      next[producer] = n + 1;
    });
    bus.subscribe('note', ({ producer, after }) => {
      if (next[producer] !== after + 1)
        problems.push(`note after ${after} arrived after item ${next[producer]}`);
      trail[producer] += '.';
    });
    const workers = [0, 1].map((producer) => startProducer({ producer, count: 20_000, codec: true }));
    const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
    const bridges = workers.map((worker) => bridgeWorker(bus, worker, { codecs: { item: itemCodec } }));
    await Promise.all(bridges.map((bridge) => bridge.closed));
    await Promise.all(exited);
    expect(problems.slice(0, 5), 'each note arrives right after the item it follows').toEqual([]);
    expect(next).toEqual([20_000, 20_000]);
    expect(
      trail.map((t) => t.length),
      'one note per 1000 items',
    ).toEqual([20, 20]);
  });

  it('reports a codec the main side lacks and still delivers the raw numbers', async () => {
    const bus = createEventBus<BridgeEvents>();
    const payloads: unknown[] = [];
    bus.subscribe('item', (item) => {
      payloads.push(item);
    });
    const errors: EventBusBridgeError[] = [];
    const worker = startProducer({ producer: 3, count: 2, codec: true });
    const bridge = bridgeWorker(bus, worker, { onProtocolError: (error) => errors.push(error) });
    await bridge.closed;
    expect(errors.map((e) => e.message)).toEqual([
      "worker bridge: expected a codec of width 2 for topic 'item' in bridgeWorker's codecs, found none",
    ]);
    expect(payloads).toEqual([new Float64Array([3, 0]), new Float64Array([3, 1])]);
  });

  it('forwards main-bus events to a subscribing worker and carries its replies back', async () => {
    const bus = createEventBus<BridgeEvents>();
    const pongs: number[] = [];
    bus.subscribe('pong', (n) => {
      pongs.push(n);
    });
    const worker = startProducer({ producer: 0, count: 0, echo: 3 });
    const bridge = bridgeWorker(bus, worker);
    // The worker's flush() resolves only after the main side has registered its subscription.
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (bus.listenerCount('ping') === 1) resolve();
        else setTimeout(poll, 5);
      };
      poll();
    });
    bus.publish('ping', 1);
    bus.publish('ping', 2);
    bus.publish('ping', 3);
    await bridge.closed;
    expect(pongs, 'each ping came back doubled, in order').toEqual([2, 4, 6]);
    expect(bus.listenerCount('ping'), 'closing the bridge removed the forwarding subscription').toBe(0);
    expect(bridge.stats().forwarded).toBe(3);
  });
});
