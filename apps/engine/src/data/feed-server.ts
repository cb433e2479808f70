/**
 * `serve-feed`: replays a tick file as a WebSocket feed on loopback at a chosen speed, so paper mode can be
 * run and tested end to end over real sockets. Every connection streams the file itself (never loading it
 * whole), paced by the ticks' own timestamps divided by `speed`, honours `subscribe.after` to resume after a
 * dropped connection, and respects socket backpressure.
 */
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Tick } from '@algospace/bars';
import { type WebSocket, WebSocketServer } from 'ws';
import { EngineError } from '../engine-error.js';
import type { FeedMessage, FeedSubscribe } from './feed-protocol.js';
import { type MarketDataReadOptions, readMarketDataFile } from './market-data-file-reader.js';

/**
 * Options of {@link startFeedServer}.
 *
 * @example
 * ```ts
 * const options: FeedServerOptions = { read: { path: 'trades.csv', layout: {}, timestamp: { format: 'auto', timezone: 'UTC' },
 *   badRows: { policy: 'skip', maxExamples: 5 }, barTimeframe: '1m' }, speed: 60 };
 * ```
 */
export interface FeedServerOptions {
  /** How to read the file (path, layout, timestamps, bad rows). */
  readonly read: Omit<MarketDataReadOptions, 'onTick' | 'onBar' | 'afterChunk' | 'signal'>;
  /** Replay speed as a multiple of real time; `Infinity` sends as fast as the socket takes it. Default 1. */
  readonly speed?: number;
  /** Bind address; loopback by default. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8765. */
  readonly port?: number;
  /** Test hook: terminate each client's first connection after this many ticks (simulates a dropped link). */
  readonly dropAfter?: number;
  /** Receives log lines. */
  readonly onLog?: (message: string) => void;
}

/**
 * A running feed server.
 *
 * @example
 * ```ts
 * const server = await startFeedServer(options);
 * console.log(server.url); // ws://127.0.0.1:8765
 * await server.close();
 * ```
 */
export interface FeedServer {
  /** The `ws://host:port` URL to give `algospace paper --feed`. */
  readonly url: string;
  /** Connections served so far. */
  connections(): number;
  /** Stops accepting, closes every connection. */
  close(): Promise<void>;
}

const HIGH_WATER = 4 * 1024 * 1024;
const CLOCK_SLICE_MS = 100;

/**
 * Starts the replay server.
 *
 * @throws {@link EngineError} `ENGINE_FEED_NOT_TICKS` when started on a bar file (bars are not a tick feed).
 * @example
 * ```ts
 * const server = await startFeedServer({ read, speed: 1000, port: 0 });
 * ```
 */
export async function startFeedServer(options: FeedServerOptions): Promise<FeedServer> {
  const speed = options.speed ?? 1;
  const server = new WebSocketServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 8765 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `ws://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  let connections = 0;
  let dropsLeft = options.dropAfter === undefined ? 0 : 1;
  const active = new Set<AbortController>();

  server.on('connection', (socket: WebSocket) => {
    connections++;
    const controller = new AbortController();
    active.add(controller);
    socket.on('close', () => controller.abort());
    socket.once('message', (data) => {
      let after = 0;
      try {
        const request = JSON.parse(data.toString()) as FeedSubscribe;
        if (request.type === 'subscribe' && Number.isInteger(request.after) && request.after >= 0)
          after = request.after;
      } catch {
        // a client that does not subscribe explicitly gets the whole feed
      }
      const dropAt = dropsLeft > 0 ? after + options.dropAfter! : Number.POSITIVE_INFINITY;
      if (dropsLeft > 0) dropsLeft--;
      replay(socket, after, dropAt, controller.signal)
        .catch((error: unknown) => {
          options.onLog?.(`feed: ${(error as Error).message}`);
          socket.close(1011, 'replay failed');
        })
        .finally(() => active.delete(controller));
    });
  });

  const send = (socket: WebSocket, message: FeedMessage): void => {
    socket.send(JSON.stringify(message));
  };

  async function replay(
    socket: WebSocket,
    after: number,
    dropAt: number,
    signal: AbortSignal,
  ): Promise<void> {
    send(socket, {
      type: 'hello',
      source: basename(options.read.path),
      kind: 'trades',
      clock: 'replay',
      speed,
    });
    let seq = 0;
    let batch: { seq: number; tick: Tick }[] = [];
    let wallStart = -1;
    let feedStart = 0;
    const flushBatch = async (): Promise<void> => {
      for (const { seq: tickSeq, tick } of batch) {
        if (signal.aborted) return;
        if (wallStart < 0) {
          wallStart = performance.now();
          feedStart = tick.timestamp;
        }
        if (Number.isFinite(speed)) {
          for (;;) {
            const due = wallStart + (tick.timestamp - feedStart) / speed;
            const wait = due - performance.now();
            if (wait <= 0 || signal.aborted) break;
            // While waiting, tell the client how far the feed clock has got so its bars close on time.
            const replayNow = feedStart + (performance.now() - wallStart) * speed;
            send(socket, { type: 'clock', time: Math.min(tick.timestamp, Math.floor(replayNow)) });
            await sleep(Math.min(wait, CLOCK_SLICE_MS));
          }
        }
        send(socket, { type: 'tick', seq: tickSeq, ...tick });
        if (tickSeq >= dropAt) {
          options.onLog?.(`feed: dropping the connection after #${tickSeq} (--drop-after)`);
          socket.terminate();
          return;
        }
        while (socket.bufferedAmount > HIGH_WATER && !signal.aborted) await sleep(2);
      }
      batch = [];
    };
    const report = await readMarketDataFile({
      ...options.read,
      signal,
      onLayout: (layout) => {
        if (layout.kind === 'bars') {
          throw new EngineError(
            'ENGINE_FEED_NOT_TICKS',
            `${basename(options.read.path)} holds bars; serve-feed replays tick files (trades or quotes)`,
          );
        }
      },
      onTick: (tick) => {
        seq++;
        if (seq > after) batch.push({ seq, tick });
      },
      afterChunk: flushBatch,
    });
    await flushBatch();
    if (signal.aborted || socket.readyState !== socket.OPEN) return;
    send(socket, { type: 'end', seq });
    options.onLog?.(`feed: sent ${seq - after} ticks (${report.rejected} bad rows skipped), end of file`);
    socket.close(1000, 'end of feed');
  }

  return {
    url,
    connections: () => connections,
    async close() {
      for (const controller of active) controller.abort();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
