/**
 * The paper/live feed client: receives JSON ticks over a WebSocket, reconnects with exponential backoff when
 * the connection drops, resumes after the last tick it received (so nothing already processed is lost or
 * repeated), and keeps a gap report of every disconnection and every hole in the sequence numbers.
 */

import type { Tick } from '@algospace/bars';
import WebSocket from 'ws';
import { EngineError } from '../engine-error.js';
import type { FeedMessage } from './feed-protocol.js';
import { createTimestampParser } from './timestamp-parser.js';

/** Default of `handshakeTimeoutMs`. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Options of {@link connectTickFeed}.
 *
 * @example
 * ```ts
 * const options: TickFeedClientOptions = { url: 'ws://127.0.0.1:8765', onTick: (tick) => console.log(tick) };
 * ```
 */
export interface TickFeedClientOptions {
  /** `ws://` or `wss://` URL. */
  readonly url: string;
  /** Receives every tick in order. */
  readonly onTick: (tick: Tick) => void;
  /** First reconnect delay, doubled per failed attempt. Default 250 ms. */
  readonly reconnectInitialMs?: number;
  /** Largest reconnect delay. Default 5000 ms. */
  readonly reconnectMaxMs?: number;
  /** Consecutive failed attempts before giving up. Default 20. */
  readonly maxReconnects?: number;
  /** How long the opening handshake may take before the attempt counts as failed. Default 10 000 ms. */
  readonly handshakeTimeoutMs?: number;
  /** Receives warnings (disconnects, gaps). */
  readonly onWarning?: (message: string) => void;
}

/**
 * One disconnection or sequence hole.
 *
 * @example
 * ```ts
 * const gap: FeedGap = { kind: 'disconnect', afterSeq: 1200, lastTimestamp: 1704697200000, missedTicks: 0, downtimeMs: 260 };
 * ```
 */
export interface FeedGap {
  /** `disconnect` (the connection dropped) or `sequence` (ticks were skipped by the server). */
  readonly kind: 'disconnect' | 'sequence';
  /** The last sequence number received before the gap. */
  readonly afterSeq: number;
  /** Timestamp of the last tick before the gap (null before the first tick). */
  readonly lastTimestamp: number | null;
  /** Ticks known to be missing (sequence holes); 0 when the resume covered the disconnection. */
  missedTicks: number;
  /** Wall-clock time until the next message arrived, ms (timing, not deterministic). */
  downtimeMs: number;
}

/**
 * What the feed client saw.
 *
 * @example
 * ```ts
 * const report = await client.done;
 * console.log(report.ticks, report.reconnects, report.gaps.length);
 * ```
 */
export interface TickFeedReport {
  /** The feed URL. */
  readonly url: string;
  /** Ticks delivered. */
  readonly ticks: number;
  /** Last sequence number received (0 for feeds without one). */
  readonly lastSeq: number;
  /** Successful connections. */
  readonly connections: number;
  /** Reconnection attempts. */
  readonly reconnects: number;
  /** Whether the server sent `end`. */
  readonly ended: boolean;
  /** Disconnections and sequence holes. */
  readonly gaps: readonly FeedGap[];
  /** Messages that could not be read. */
  readonly badMessages: number;
}

/**
 * A running feed connection.
 *
 * @example
 * ```ts
 * const client = connectTickFeed({ url, onTick });
 * process.once('SIGINT', () => client.close());
 * await client.done;
 * ```
 */
export interface TickFeedClient {
  /** Resolves when the server ends the feed or `close()` is called; rejects when reconnecting fails. */
  readonly done: Promise<TickFeedReport>;
  /** The feed's clock (replay feeds) or the wall clock, or null before the first message. */
  clock(): number | null;
  /** The report so far. */
  report(): TickFeedReport;
  /** Whether the WebSocket is open right now (false while connecting or waiting to reconnect). */
  connected(): boolean;
  /** Closes the connection for good. */
  close(): void;
}

/**
 * Connects to a JSON tick feed (see `feed-protocol.ts`).
 *
 * @example
 * ```ts
 * const client = connectTickFeed({ url: 'ws://127.0.0.1:8765', onTick: (tick) => bus.publish('NEW_TICK', tick) });
 * ```
 */
export function connectTickFeed(options: TickFeedClientOptions): TickFeedClient {
  const initialDelay = options.reconnectInitialMs ?? 250;
  const maxDelay = options.reconnectMaxMs ?? 5000;
  const maxAttempts = options.maxReconnects ?? 20;
  const parseIso = createTimestampParser({ format: 'iso' });
  let socket: WebSocket | undefined;
  let closedByUs = false;
  let ended = false;
  let attempts = 0;
  let open = false;
  let ticks = 0;
  let lastSeq = 0;
  let lastTimestamp: number | null = null;
  let connections = 0;
  let reconnects = 0;
  let badMessages = 0;
  let replayClock = false;
  let clockTime: number | null = null;
  let openGap: { gap: FeedGap; since: number } | undefined;
  const gaps: FeedGap[] = [];
  let resolveDone!: (report: TickFeedReport) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<TickFeedReport>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const report = (): TickFeedReport => ({
    url: options.url,
    ticks,
    lastSeq,
    connections,
    reconnects,
    ended,
    gaps: gaps.map((gap) => ({ ...gap })),
    badMessages,
  });

  const deliver = (tick: Tick, seq: number): void => {
    if (seq > 0) {
      if (seq <= lastSeq) return; // a resumed server may repeat; never deliver a tick twice
      if (lastSeq > 0 && seq > lastSeq + 1) {
        const gap: FeedGap = {
          kind: 'sequence',
          afterSeq: lastSeq,
          lastTimestamp,
          missedTicks: seq - lastSeq - 1,
          downtimeMs: 0,
        };
        gaps.push(gap);
        options.onWarning?.(`feed gap: ${gap.missedTicks} ticks missing after #${lastSeq}`);
      }
      lastSeq = seq;
    }
    ticks++;
    lastTimestamp = tick.timestamp;
    // A connection counts as good once it delivers: a server that accepts and drops at once must not reset
    // the backoff and the reconnect limit.
    attempts = 0;
    options.onTick(tick);
  };

  const onMessage = (data: WebSocket.RawData): void => {
    if (openGap !== undefined) {
      openGap.gap.downtimeMs = Date.now() - openGap.since;
      openGap = undefined;
    }
    let message: FeedMessage | Record<string, unknown>;
    try {
      message = JSON.parse(data.toString()) as FeedMessage;
    } catch {
      badMessages++;
      return;
    }
    switch (message.type) {
      case 'hello':
        replayClock = message.clock === 'replay';
        return;
      case 'clock':
        if (typeof message.time === 'number') clockTime = Math.max(clockTime ?? message.time, message.time);
        return;
      case 'end':
        ended = true;
        socket?.close(1000, 'feed ended');
        return;
      default: {
        const record = message as Record<string, unknown>;
        const rawTime = record.timestamp;
        const timestamp =
          typeof rawTime === 'number'
            ? rawTime
            : typeof rawTime === 'string'
              ? parseIso(rawTime, 0, rawTime.length)
              : Number.NaN;
        const price = record.price;
        const size = record.size ?? 0;
        if (!Number.isFinite(timestamp) || typeof price !== 'number' || typeof size !== 'number') {
          badMessages++;
          return;
        }
        const tick: Tick =
          typeof record.bid === 'number' && typeof record.ask === 'number'
            ? { timestamp, price, size, bid: record.bid, ask: record.ask }
            : { timestamp, price, size };
        deliver(tick, typeof record.seq === 'number' ? record.seq : 0);
      }
    }
  };

  const connect = (): void => {
    // A server that accepts TCP and never answers the upgrade would otherwise hold the client forever.
    const current = new WebSocket(options.url, {
      handshakeTimeout: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    });
    socket = current;
    current.on('open', () => {
      connections++;
      open = true;
      current.send(JSON.stringify({ type: 'subscribe', after: lastSeq }));
    });
    current.on('message', onMessage);
    current.on('error', (error) => {
      options.onWarning?.(`feed ${options.url}: ${error.message}`);
    });
    current.on('close', () => {
      if (socket !== current) return;
      open = false;
      if (closedByUs || ended) {
        resolveDone(report());
        return;
      }
      const previous = gaps.at(-1);
      if (
        openGap === undefined &&
        previous?.kind === 'disconnect' &&
        previous.afterSeq === lastSeq &&
        previous.lastTimestamp === lastTimestamp
      ) {
        // Nothing arrived since the last disconnect (a server that accepts and drops): the same outage goes on.
        openGap = { gap: previous, since: Date.now() - previous.downtimeMs };
      } else if (openGap === undefined) {
        const gap: FeedGap = {
          kind: 'disconnect',
          afterSeq: lastSeq,
          lastTimestamp,
          missedTicks: 0,
          downtimeMs: 0,
        };
        gaps.push(gap);
        openGap = { gap, since: Date.now() };
        options.onWarning?.(`feed ${options.url} disconnected after #${lastSeq}; reconnecting`);
      }
      if (attempts >= maxAttempts) {
        rejectDone(
          new EngineError(
            'ENGINE_FEED_LOST',
            `feed ${options.url}: expected to reconnect within ${maxAttempts} attempts, failed every time (last tick #${lastSeq})`,
          ),
        );
        return;
      }
      const delay = Math.min(maxDelay, initialDelay * 2 ** attempts);
      attempts++;
      reconnects++;
      setTimeout(() => {
        if (!closedByUs) connect();
        else resolveDone(report());
      }, delay).unref();
    });
  };
  connect();

  return {
    done,
    clock() {
      if (replayClock)
        return clockTime === null ? lastTimestamp : Math.max(clockTime, lastTimestamp ?? clockTime);
      return lastTimestamp === null ? null : Date.now();
    },
    report,
    connected: () => open,
    close() {
      closedByUs = true;
      if (socket === undefined || socket.readyState === WebSocket.CLOSED) resolveDone(report());
      else socket.close(1000, 'client closing');
    },
  };
}
