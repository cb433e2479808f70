import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from './event-bus.js';
import { EventBusJournalError } from './event-bus-error.js';
import { readJournal, replayJournal } from './journal-replayer.js';
import { createJournalWriter } from './journal-writer.js';

interface SessionEvents {
  tick: { price: number; size: number };
  bar: { close: number; volume: number };
  signal: { direction: 'long' | 'short' };
  heartbeat: undefined;
}

type Seen = [seq: number, parent: number, topic: string, payload: string | undefined];

/** The session's wiring: every third tick makes a bar (nested publish); a rising bar queues a signal. */
function wire(bus: EventBus<SessionEvents>): Seen[] {
  const seen: Seen[] = [];
  bus.tap((topic, payload, seq, parent) => {
    seen.push([seq, parent, topic, payload === undefined ? undefined : JSON.stringify(payload)]);
  });
  let ticks: { price: number; size: number }[] = [];
  let lastClose = Number.NaN;
  bus.subscribe('tick', (tick) => {
    ticks.push(tick);
    if (ticks.length < 3) return;
    bus.publish('bar', { close: tick.price, volume: ticks.reduce((sum, t) => sum + t.size, 0) });
    ticks = [];
  });
  bus.subscribe('bar', (bar) => {
    if (bar.close > lastClose) bus.enqueue('signal', { direction: 'long' });
    lastClose = bar.close;
  });
  return seen;
}

async function runLiveSession(bus: EventBus<SessionEvents>): Promise<void> {
  const prices = [100, 101, 102, 101.5, 103, 104, 99, 98, 97, 105];
  for (const [i, price] of prices.entries()) {
    bus.publish('tick', { price, size: i + 1 });
    if (i === 4) bus.publish('heartbeat', undefined);
    await Promise.resolve();
  }
  await bus.drain();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'event-bus-journal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('records every event with its sequence number, parent, topic and payload, in delivery order', async () => {
    const file = join(dir, 'record.ndjson');
    const bus = createEventBus<SessionEvents>();
    const live = wire(bus);
    const writer = createJournalWriter(bus, file, { clock: () => 1_718_035_200_000 });
    await runLiveSession(bus);
    const summary = await writer.close();

    const records = [];
    for await (const record of readJournal(file)) records.push(record);
    expect(summary.records).toBe(live.length);
    expect(
      records.map(
        (r): Seen => [
          r.seq,
          r.parent,
          r.topic,
          r.payload === undefined ? undefined : JSON.stringify(r.payload),
        ],
      ),
      'the journal holds exactly what the tap saw',
    ).toEqual(live);
    // 10 ticks + 1 heartbeat (roots), 3 bars (nested), signals for the bars closing above the previous one:
    // bars close at 102, 104, 97 → only 104 > 102 rises (102 has no predecessor) → 1 signal.
    expect(records.filter((r) => r.topic === 'bar').map((r) => r.payload)).toEqual([
      { close: 102, volume: 6 },
      { close: 104, volume: 15 },
      { close: 97, volume: 24 },
    ]);
    expect(records.filter((r) => r.topic === 'signal')).toHaveLength(1);
    const firstLine = (await readFile(file, 'utf8')).split('\n')[0];
    expect(firstLine).toBe(
      '{"seq":1,"parent":0,"time":1718035200000,"topic":"tick","payload":{"price":100,"size":1}}',
    );
  });

  it('replays a recorded session into the same wiring and reproduces it exactly, sequence numbers included', async () => {
    const file = join(dir, 'session.ndjson');
    const liveBus = createEventBus<SessionEvents>();
    const live = wire(liveBus);
    const writer = createJournalWriter(liveBus, file);
    await runLiveSession(liveBus);
    await writer.close();

    const replayBus = createEventBus<SessionEvents>();
    const replayed = wire(replayBus);
    const summary = await replayJournal(replayBus, file);
    await replayBus.drain();

    expect(replayed, 'the replayed session is the live session, event for event').toEqual(live);
    expect(summary).toEqual({ published: 11, skipped: live.length - 11, aborted: false });
  });

  it('publishes every record into a bare bus when roots is false', async () => {
    const file = join(dir, 'all.ndjson');
    const liveBus = createEventBus<SessionEvents>();
    const live = wire(liveBus);
    const writer = createJournalWriter(liveBus, file);
    await runLiveSession(liveBus);
    await writer.close();

    const bare = createEventBus<SessionEvents>();
    const topics: string[] = [];
    bare.tap((topic) => topics.push(topic));
    const summary = await replayJournal(bare, file, { roots: false });
    expect(topics).toEqual(live.map(([, , topic]) => topic));
    expect(summary.skipped).toBe(0);
  });

  it('rejects a journal line that is not a record, naming the file and line', async () => {
    const file = join(dir, 'broken.ndjson');
    await writeFile(
      file,
      '{"seq":1,"parent":0,"time":1,"topic":"tick","payload":{"price":1,"size":1}}\n{"seq":1,"parent":0,"time":2,"topic":"tick"}\n',
    );
    const bus = createEventBus<SessionEvents>();
    const error = await replayJournal(bus, file).catch((e: unknown) => e);
    expect(EventBusJournalError.isInstance(error)).toBe(true);
    expect((error as EventBusJournalError).line).toBe(2);
    expect((error as Error).message).toBe(
      `${file}:2: expected "seq" an integer greater than 1, found "seq": 1`,
    );
    expect(bus.stats().topics.tick?.published, 'records before the bad line were published').toBe(1);
  });

  it('reports an unserialisable payload on the error channel instead of dropping it silently', async () => {
    const file = join(dir, 'bigint.ndjson');
    const bus = createEventBus<{ big: bigint }>();
    const failures: string[] = [];
    bus.onError((failure) => failures.push(`${failure.kind} ${failure.topic}`));
    const writer = createJournalWriter(bus, file);
    bus.publish('big', 1n);
    await writer.close();
    expect(failures).toEqual(['tap-threw big']);
    expect(writer.records).toBe(0);
  });
});
