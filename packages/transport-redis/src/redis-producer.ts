/**
 * The outbound half: encodes events of the chosen topics as the bus delivers them, holds them in the bounded
 * buffer, and appends them to their streams in batches, pipelined (up to `PIPELINE_DEPTH` round trips in flight)
 * and in order. A batch leaves the buffer only when Redis confirmed it; after a failure every unconfirmed event
 * is resent, and the append script drops the ones that had landed and refuses any that would land out of order.
 */
import { createHash } from 'node:crypto';
import type { ChainableCommander, Cluster } from 'ioredis';
import type { EventCodec } from './event-codec.js';
import { OutboundBuffer } from './outbound-buffer.js';
import { backoffDelay, type ResolvedBackoff } from './reconnect-backoff.js';
import type { RedisConnection } from './redis-connection.js';
import {
  APPEND_PACKED_SCRIPT,
  APPEND_SCRIPT,
  envelope,
  packEvents,
  producerMarksKey,
} from './stream-entry.js';
import { checkClusterName, hashTag } from './stream-keys.js';
import type { StreamCounterTable } from './transport-metrics.js';
import type { ResolvedOutbound } from './transport-options.js';
import {
  TransportRedisBufferFullError,
  TransportRedisConnectionError,
  TransportRedisMarkBehindError,
} from './transport-redis-error.js';

/**
 * The scripts' SHA1s, as `SCRIPT LOAD` answers them, known before any load: a failed load then leaves the
 * producer able to send (and to meet `NOSCRIPT`, which reloads) instead of without a script to call.
 */
const APPEND_SHA = createHash('sha1').update(APPEND_SCRIPT).digest('hex');
const APPEND_PACKED_SHA = createHash('sha1').update(APPEND_PACKED_SCRIPT).digest('hex');

/** High-water marks outlive the producer by a week, then Redis forgets them. */
const MARK_TTL_MS = String(7 * 24 * 3600 * 1000);

/**
 * Round trips in flight at once. More than one lets the client encode the next batch while Redis appends the
 * previous one, and keeps unbatched mode (`maxBatchSize: 1`) from being bound to one event per round trip.
 * The append script's order check makes any depth safe: a batch that follows a failed one appends nothing.
 */
const PIPELINE_DEPTH = 32;

/** Wall-clock time with sub-millisecond resolution, comparable across processes on one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

type PipelineResults = [Error | null, unknown][];

/** Settles after the previous cluster batch was handled; never rejects. */
const settled = (): void => {};

/** One round trip in flight. */
interface Batch {
  readonly count: number;
  readonly generation: number;
  /** Last sequence number sent to each stream in this batch. */
  readonly lastByStream: Map<string, number>;
  /**
   * The sequence each stream's events followed, in the order of the batch's script calls (the order of
   * `lastByStream`'s keys); a mark above it in the script's answer means a resend that overlapped.
   */
  readonly previous: number[];
  /** Per call: the sequence Redis had confirmed on that stream when the batch was sent. */
  readonly confirmedAtSend: number[];
}

/** Producer of one transport. */
export class RedisProducer {
  readonly producerId: string;
  readonly #options: ResolvedOutbound;
  readonly #connection: RedisConnection;
  readonly #codec: EventCodec;
  readonly #buffer: OutboundBuffer;
  readonly #streams: StreamCounterTable;
  readonly #report: (error: unknown) => void;
  readonly #backoff: ResolvedBackoff;
  readonly #maxLen: string;
  #sequence = 0;
  /** Set on (re)connect and on `NOSCRIPT`: the scripts are loaded before the next send. */
  #scriptsMissing = true;
  /** The `SCRIPT LOAD` round in progress; no batch is sent meanwhile. */
  #loading: Promise<void> | undefined;
  #scheduled = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #idleWaiters: (() => void)[] = [];
  /** Batches in flight, oldest first; replies on one connection arrive in this order. */
  #inFlight: Batch[] = [];
  /** Bumped on every failure, so replies to batches sent before it are ignored. */
  #generation = 0;
  /**
   * On Cluster a batch is one pipeline per hash slot, answered by different nodes in any order; replies are
   * handled in send order by chaining each batch behind the previous one.
   */
  #clusterTail: Promise<void> = Promise.resolve();
  /** Per stream: the last sequence number handed to Redis / confirmed by it. */
  #lastSent = new Map<string, number>();
  #lastConfirmed = new Map<string, number>();

  published = 0;
  overflowed = 0;
  encodeFailures = 0;
  batches = 0;
  retries = 0;
  abandoned = 0;
  resendSkipped = 0;
  marksBehind = 0;

  constructor(
    producerId: string,
    options: ResolvedOutbound,
    connection: RedisConnection,
    codec: EventCodec,
    backoff: ResolvedBackoff,
    streams: StreamCounterTable,
    report: (error: unknown) => void,
  ) {
    this.producerId = producerId;
    this.#options = options;
    this.#connection = connection;
    this.#codec = codec;
    this.#buffer = new OutboundBuffer(options.bufferLimit);
    this.#backoff = backoff;
    this.#streams = streams;
    this.#report = report;
    this.#maxLen = String(options.maxLen);
    connection.on('ready', () => {
      this.#failures = 0;
      // The order check compares with what this connection saw. A Redis that restarted without persistence
      // has lost earlier events for good, and would otherwise refuse every later batch as out of order.
      this.#lastSent.clear();
      this.#lastConfirmed.clear();
      // A round begun on the previous connection says nothing about this one.
      this.#loading = undefined;
      this.#scriptsMissing = true;
      void this.#loadScripts();
    });
    connection.on('close', () => this.#fail(undefined));
  }

  /** Events held and not yet confirmed. */
  get buffered(): number {
    return this.#buffer.size;
  }

  /** Events in the round trips in progress. */
  get inFlight(): number {
    return this.#buffer.inFlight;
  }

  /**
   * Loads the append scripts (after every (re)connect: a restarted Redis has an empty script cache; on Cluster,
   * also after `NOSCRIPT`: a promoted replica or a new master has none, and `SCRIPT LOAD` is not replicated),
   * then sends what is buffered. Resolves when the round is over, loaded or not; a failed load is reported and
   * the producer sends anyway, so a stream whose node has the scripts is not held up by one that has not, and
   * a `NOSCRIPT` comes back through `#fail`, which retries the load after a backoff delay.
   */
  #loadScripts(): Promise<void> {
    if (this.#loading !== undefined) return this.#loading;
    if (!this.#scriptsMissing || this.#connection.status !== 'ready') return Promise.resolve();
    // On Cluster each master keeps its own script cache, and EVALSHA goes to the node of the stream's slot.
    const targets = this.#options.cluster
      ? (this.#connection as Cluster).nodes('master')
      : [this.#connection];
    const loads: Promise<unknown>[] = [];
    for (const target of targets)
      loads.push(target.script('LOAD', APPEND_SCRIPT), target.script('LOAD', APPEND_PACKED_SCRIPT));
    const loading = Promise.allSettled(loads).then((results) => {
      if (this.#loading !== loading) return;
      this.#loading = undefined;
      this.#scriptsMissing = false;
      const failed = results.filter((result) => result.status === 'rejected');
      if (failed.length > 0) {
        const reason: unknown = failed[0]?.reason;
        this.#report(
          new TransportRedisConnectionError(
            'TRANSPORT_REDIS_COMMAND_FAILED',
            `SCRIPT LOAD: expected ${loads.length} loads to succeed, found ${failed.length} failed (sending anyway; NOSCRIPT reloads): ${reason instanceof Error ? reason.message : String(reason)}`,
            reason,
          ),
        );
      }
      this.#kick();
    });
    this.#loading = loading;
    return loading;
  }

  /** Waits for the scripts' first load. */
  prepare(): Promise<void> {
    return this.#loadScripts();
  }

  /**
   * Takes one event from the bus: encodes it (a codec error goes back to the publisher), assigns the next
   * sequence number, buffers it and schedules a batch.
   */
  enqueue(topic: string, payload: unknown): void {
    const route = this.#options.routes.get(topic);
    if (route === undefined) return;
    let data: string;
    try {
      data = this.#codec.encode(payload);
    } catch (error) {
      this.encodeFailures++;
      throw error;
    }
    let stream = route.streamKey;
    if (route.partitionBy !== undefined) {
      const key = route.partitionBy(payload, topic);
      if (key !== undefined) {
        if (this.#options.cluster) checkClusterName(route.path, key);
        stream = route.partitionHead + key + route.partitionTail;
      }
    }
    const buffer = this.#buffer;
    if (buffer.size >= buffer.capacity && !this.#makeRoom(topic)) return;
    buffer.push(stream, topic, ++this.#sequence, preciseNow(), data);
    if (buffer.unsent >= this.#options.maxBatchSize) this.#kick();
    else this.#schedule();
  }

  /** Applies the overflow policy; true when the new event may be buffered. */
  #makeRoom(topic: string): boolean {
    const { overflow, bufferLimit } = this.#options;
    this.overflowed++;
    if (overflow === 'reject') throw new TransportRedisBufferFullError(topic, bufferLimit, overflow);
    if (overflow === 'drop-oldest') {
      const dropped = this.#buffer.dropOldestUnsent();
      if (dropped !== undefined) {
        this.#report(new TransportRedisBufferFullError(dropped, bufferLimit, overflow));
        return true;
      }
    }
    this.#report(new TransportRedisBufferFullError(topic, bufferLimit, overflow));
    return false;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#kick();
    };
    if (this.#options.maxBatchDelayMs === 0) setImmediate(run);
    else setTimeout(run, this.#options.maxBatchDelayMs);
  }

  /** Sends batches while there is room in the pipeline, Redis is ready and no retry is pending. */
  #kick(): void {
    const buffer = this.#buffer;
    if (buffer.size === 0) {
      this.#notifyIdle();
      return;
    }
    if (this.#retryTimer !== undefined) return;
    // The load kicks again when it is over (or the 'ready' listener does, when not connected).
    if (this.#scriptsMissing || this.#loading !== undefined) {
      void this.#loadScripts();
      return;
    }
    while (
      buffer.unsent > 0 &&
      this.#inFlight.length < PIPELINE_DEPTH &&
      this.#connection.status === 'ready'
    ) {
      this.#send(Math.min(buffer.unsent, this.#options.maxBatchSize));
    }
  }

  #send(count: number): void {
    const buffer = this.#buffer;
    const cluster = this.#options.cluster;
    // One node: the whole batch is one pipeline. Cluster: one pipeline per hash tag (one slot each), created as
    // the batch's streams come up; `calls` says which pipeline holds each stream's script call, in order.
    const pipelines: ChainableCommander[] = [this.#connection.pipeline()];
    const tags = cluster ? new Map<string, number>() : undefined;
    const calls: number[] = [];
    // Group the batch by stream, keeping each stream's events in sequence order. Most batches hold one stream.
    // Per stream: the sequence before the batch, then (sequence, envelope, data) per event.
    const groups = new Map<string, (string | number)[]>();
    const lastByStream = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const slot = buffer.slot(buffer.sent + i);
      const stream = buffer.streams[slot] as string;
      let events = groups.get(stream);
      if (events === undefined) {
        events = [this.#lastSent.get(stream) ?? 0];
        groups.set(stream, events);
      }
      const sequence = buffer.sequences[slot] as number;
      events.push(
        sequence,
        envelope(
          this.producerId,
          sequence,
          buffer.publishedAt[slot] as number,
          buffer.topics[slot] as string,
        ),
        buffer.data[slot] as string,
      );
      lastByStream.set(stream, sequence);
    }
    for (const [stream, events] of groups) {
      const marks = producerMarksKey(stream);
      let at = 0;
      if (tags !== undefined) {
        const tag = hashTag(stream);
        at = tags.get(tag) ?? -1;
        if (at < 0) {
          at = tags.size;
          tags.set(tag, at);
          if (at > 0) pipelines.push(this.#connection.pipeline());
        }
        calls.push(at);
      }
      const pipeline = pipelines[at] as ChainableCommander;
      if (this.#options.packBatches && events.length > 4) {
        const parts: string[] = [];
        for (let i = 1; i < events.length; i += 3)
          parts.push(events[i + 1] as string, events[i + 2] as string);
        pipeline.evalsha(
          APPEND_PACKED_SHA,
          2,
          stream,
          marks,
          this.producerId,
          this.#maxLen,
          MARK_TTL_MS,
          events[0] as number,
          lastByStream.get(stream) as number,
          packEvents(parts),
        );
      } else {
        pipeline.evalsha(APPEND_SHA, 2, stream, marks, this.producerId, this.#maxLen, MARK_TTL_MS, ...events);
      }
    }
    for (const [stream, sequence] of lastByStream) this.#lastSent.set(stream, sequence);
    buffer.markSent(count);
    const previous: number[] = [];
    for (const events of groups.values()) previous.push(events[0] as number);
    const confirmedAtSend: number[] = [];
    for (const stream of groups.keys()) confirmedAtSend.push(this.#lastConfirmed.get(stream) ?? 0);
    const batch: Batch = { count, generation: this.#generation, lastByStream, previous, confirmedAtSend };
    this.#inFlight.push(batch);
    let reply: Promise<PipelineResults | null>;
    if (tags === undefined) reply = (pipelines[0] as ChainableCommander).exec();
    else {
      const replies = Promise.all(pipelines.map((pipeline) => pipeline.exec()));
      reply = this.#clusterTail.then(() => replies).then((answers) => inCallOrder(answers, calls));
    }
    const handled = reply.then(
      (results) => {
        if (batch.generation !== this.#generation) return;
        const failure =
          results === null ? new Error('pipeline aborted') : results.find(([error]) => error !== null)?.[0];
        if (failure != null) {
          if (results !== null) this.#inspectFailures(batch, results);
          this.#fail(failure);
        } else this.#confirm(batch, results as PipelineResults);
      },
      (error: unknown) => {
        if (batch.generation === this.#generation) this.#fail(error);
      },
    );
    if (tags !== undefined) this.#clusterTail = handled.then(settled, settled);
  }

  #confirm(batch: Batch, results: readonly [Error | null, unknown][]): void {
    const buffer = this.#buffer;
    this.#inFlight.shift();
    let call = 0;
    for (const stream of batch.lastByStream.keys()) {
      // Each script answers the producer's mark before its append. Above the sequence this batch followed, it
      // means a resend overlapping what had landed: the script skipped the batch's events at or below it.
      const mark = Number(results[call]?.[1]);
      if (mark > (batch.previous[call] as number)) {
        for (let i = 0; i < batch.count; i++) {
          const slot = buffer.slot(buffer.head + i);
          if (buffer.streams[slot] === stream && (buffer.sequences[slot] as number) <= mark)
            this.resendSkipped++;
        }
      }
      call++;
    }
    for (let i = 0; i < batch.count; i++) {
      this.#streams.get(buffer.streams[buffer.slot(buffer.head + i)] as string).published++;
    }
    buffer.confirm(batch.count);
    for (const [stream, sequence] of batch.lastByStream) this.#lastConfirmed.set(stream, sequence);
    this.published += batch.count;
    this.batches++;
    this.#failures = 0;
    this.#kick();
  }

  /**
   * Looks at every failed script call of a batch. A `NOSCRIPT` from any node has the scripts reloaded. A `GAP`
   * answering a mark below what Redis had confirmed means that mark will not come back (lost appends, an
   * expired marks key) and the stream would refuse every resend: reported, and the stream's confirmed
   * sequence lowered to the mark, so the resend that follows continues from what Redis holds. A `GAP` at or
   * above the confirmed sequence is the ordinary one (an earlier batch in flight failed).
   */
  #inspectFailures(batch: Batch, results: readonly [Error | null, unknown][]): void {
    let call = 0;
    for (const stream of batch.lastByStream.keys()) {
      const atSend = batch.confirmedAtSend[call] ?? 0;
      const error = results[call++]?.[0];
      if (error == null) continue;
      // On Cluster another stream's error may come first in the batch; any NOSCRIPT means a node lacks them.
      if (error.message.startsWith('NOSCRIPT')) this.#scriptsMissing = true;
      if (!error.message.startsWith('GAP')) continue;
      const mark = Number(/ is at (\d+) /.exec(error.message)?.[1]);
      const confirmed = this.#lastConfirmed.get(stream) ?? 0;
      // Only a mark below what was confirmed when this batch left is news: a batch confirmed since then may
      // have landed after this one ran (ioredis retries TRYAGAIN / CLUSTERDOWN after a delay).
      if (!Number.isFinite(mark) || mark >= confirmed || mark >= atSend) continue;
      this.marksBehind++;
      this.#lastConfirmed.set(stream, mark);
      this.#report(new TransportRedisMarkBehindError(stream, this.producerId, confirmed, mark, error));
    }
  }

  /** Forgets every batch in flight and makes their events unsent again; `error` undefined: the connection closed. */
  #fail(error: unknown): void {
    if (this.#inFlight.length === 0 && error === undefined) return;
    this.#generation++;
    this.#inFlight = [];
    this.#buffer.rewind();
    this.#lastSent = new Map(this.#lastConfirmed);
    this.retries++;
    this.#failures++;
    if (error === undefined) return; // resent from the 'ready' listener once reconnected
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('NOSCRIPT')) this.#scriptsMissing = true;
    if (this.#connection.status !== 'ready') return;
    // A command error (OOM, READONLY replica, NOSCRIPT, GAP after such an error) is retried after a backoff
    // delay and reported each time, so a stream that stays stuck is visible.
    this.#report(
      new TransportRedisConnectionError(
        'TRANSPORT_REDIS_COMMAND_FAILED',
        `appending to Redis failed (attempt ${this.#failures}), ${this.#buffer.size} events kept for a retry: ${message}`,
        error,
      ),
    );
    if (this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        this.#kick();
      },
      backoffDelay(this.#backoff, this.#failures),
    );
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    if (waiters.length === 0) return;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves `true` once every event buffered so far is confirmed; with `timeoutMs`, `false` on timeout. */
  flush(timeoutMs?: number): Promise<boolean> {
    if (this.#buffer.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(true);
      };
      this.#idleWaiters.push(done);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#idleWaiters = this.#idleWaiters.filter((waiter) => waiter !== done);
          resolve(false);
        }, timeoutMs);
      }
      this.#kick();
    });
  }

  /** Stops retrying; counts what is still buffered as abandoned and returns that count. */
  close(): number {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#generation++;
    const left = this.#buffer.size;
    this.abandoned += left;
    return left;
  }
}

/** Flattens the replies of a cluster batch's pipelines back into the order of its script calls. */
function inCallOrder(
  answers: readonly (PipelineResults | null)[],
  calls: readonly number[],
): PipelineResults | null {
  if (answers.includes(null)) return null;
  const next = new Array<number>(answers.length).fill(0);
  const results: PipelineResults = [];
  for (const at of calls) {
    const answer = answers[at] as PipelineResults;
    const index = next[at] as number;
    next[at] = index + 1;
    results.push(answer[index] ?? [new Error('missing pipeline reply'), null]);
  }
  return results;
}
