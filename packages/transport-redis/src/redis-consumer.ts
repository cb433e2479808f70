/**
 * The inbound half: one consumer of a consumer group, read by one or more lanes. A lane reads a set of streams
 * on its own connection: on one Redis, one lane reads every stream; on Redis Cluster, where a read or a
 * transaction may only touch keys of one hash slot, each hash tag (each stream, unless the prefix carries a tag)
 * has its own lane, with its own blocking read. Per lane: Its loop runs, in order: recreate missing groups, finish
 * a failed acknowledgement, re-read this consumer's own pending entries (after a start or a lost connection),
 * claim entries abandoned by dead consumers, refresh lag, then block for new entries. Each batch is decoded,
 * de-duplicated by event id and published into the local bus in stream order; only then is it acknowledged,
 * in one transaction with the user's `commit` commands and any dead letters. Lanes share the counters and the
 * dedup window.
 */
import type { ChainableCommander } from 'ioredis';
import type { DedupWindow } from './dedup-window.js';
import type { EventCodec } from './event-codec.js';
import { backoffDelay, type ResolvedBackoff } from './reconnect-backoff.js';
import { type RedisConnection, whenReady } from './redis-connection.js';
import { envelope, parseEntryEvents } from './stream-entry.js';
import type { StreamCounterTable } from './transport-metrics.js';
import type { InboundEvent, ResolvedInbound } from './transport-options.js';
import {
  TransportRedisClusterKeyError,
  TransportRedisConnectionError,
  TransportRedisDecodeError,
  TransportRedisError,
} from './transport-redis-error.js';

type StreamEntry = [id: string, fields: string[] | null];
type StreamReply = [stream: string, entries: StreamEntry[]][];

/** One batch's acknowledgement, kept until Redis confirmed it. */
interface PendingCommit {
  readonly acks: Map<string, string[]>;
  /** Per stream, the events the acknowledged entries carry (a packed entry carries several). */
  readonly ackedEvents: Map<string, number>;
  readonly deadLetters: { stream: string; entryId: string; problem: string; fields: string[] }[];
  readonly events: InboundEvent[] | undefined;
}

/** Consumer-side counters of one transport, shared by its lanes; see `InboundMetrics`. */
export class InboundCounters {
  delivered = 0;
  acknowledged = 0;
  redelivered = 0;
  claimed = 0;
  duplicatesDropped = 0;
  decodeFailures = 0;
  ignored = 0;
  trimmed = 0;
  overlapSkipped = 0;
}

/** One lane of the consumer of one transport: some of its streams, on one connection. */
export class RedisConsumer {
  readonly #options: ResolvedInbound;
  readonly #connection: RedisConnection;
  readonly #codec: EventCodec;
  readonly #deliver: (topic: string, payload: unknown) => void;
  readonly #streams: StreamCounterTable;
  readonly #report: (error: unknown) => void;
  readonly #backoff: ResolvedBackoff;
  readonly #deadLetterKey: (stream: string) => string;
  readonly #keys: readonly string[];
  readonly #dedup: DedupWindow;
  readonly #counts: InboundCounters;
  readonly #cluster: boolean;
  readonly #abort = new AbortController();
  #stopping = false;
  #blocking = false;
  #groupsMissing = true;
  #pendingScan = true;
  #pendingCommit: PendingCommit | undefined;
  #loop: Promise<void> | undefined;

  /**
   * @param keys - the streams this lane reads (on Cluster, all of one hash tag)
   * @param deadLetterKey - the dead-letter stream for entries of a stream (on Cluster, in its slot)
   */
  constructor(
    options: ResolvedInbound,
    keys: readonly string[],
    connection: RedisConnection,
    cluster: boolean,
    codec: EventCodec,
    backoff: ResolvedBackoff,
    streams: StreamCounterTable,
    counts: InboundCounters,
    dedup: DedupWindow,
    deliver: (topic: string, payload: unknown) => void,
    report: (error: unknown) => void,
    deadLetterKey: (stream: string) => string,
  ) {
    this.#options = options;
    this.#connection = connection;
    this.#codec = codec;
    this.#backoff = backoff;
    this.#streams = streams;
    this.#deliver = deliver;
    this.#report = report;
    this.#deadLetterKey = deadLetterKey;
    this.#keys = keys;
    this.#cluster = cluster;
    this.#counts = counts;
    this.#dedup = dedup;
    for (const key of this.#keys) streams.get(key);
    // After a lost connection this consumer may have entries Redis delivered but it never received.
    connection.on('close', () => {
      this.#pendingScan = true;
    });
  }

  /** Creates the groups (idempotent). */
  async ensureGroups(): Promise<void> {
    for (const key of this.#keys) {
      try {
        await this.#connection.xgroup(
          'CREATE',
          key,
          this.#options.group,
          this.#options.startFrom,
          'MKSTREAM',
        );
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      }
    }
    this.#groupsMissing = false;
  }

  /** Starts the read loop. */
  run(): void {
    this.#loop ??= this.#runLoop();
  }

  /** Stops after the batch in progress is acknowledged; a blocking read is interrupted. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort(new TransportRedisError('TRANSPORT_REDIS_STOPPED', 'the transport is stopping'));
    // Only a blocking read is cut short: entries it would have returned stay pending for this consumer and
    // are re-read on its next start. A batch being handled or acknowledged finishes first.
    if (this.#blocking) this.#connection.disconnect();
    await this.#loop;
  }

  async #runLoop(): Promise<void> {
    const options = this.#options;
    let nextClaimAt = 0;
    let nextMetricsAt = 0;
    let failures = 0;
    while (!this.#stopping) {
      try {
        await whenReady(this.#connection, this.#abort.signal);
        if (this.#groupsMissing) await this.ensureGroups();
        if (this.#pendingCommit !== undefined) await this.#retryCommit(this.#pendingCommit);
        if (this.#pendingScan) {
          this.#pendingScan = false;
          await this.#readOwnPending();
        }
        let now = Date.now();
        if (now >= nextClaimAt) {
          await this.#claimAbandoned();
          nextClaimAt = Date.now() + options.claimIntervalMs;
        }
        if (now >= nextMetricsAt) {
          await this.refreshLag();
          nextMetricsAt = Date.now() + options.metricsIntervalMs;
        }
        if (this.#stopping) break;
        now = Date.now();
        const block = Math.max(1, Math.min(options.blockMs, nextClaimAt - now, nextMetricsAt - now));
        this.#blocking = true;
        let reply: StreamReply | null;
        try {
          reply = (await this.#connection.xreadgroup(
            'GROUP',
            options.group,
            options.consumer,
            'COUNT',
            options.readCount,
            'BLOCK',
            block,
            'STREAMS',
            ...this.#keys,
            ...this.#keys.map(() => '>'),
          )) as StreamReply | null;
        } finally {
          this.#blocking = false;
        }
        if (reply !== null) await this.#handle(reply, false, false);
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        const message = error instanceof Error ? error.message : String(error);
        if (message.startsWith('NOGROUP')) {
          // The stream or group vanished (a Redis restarted without persistence, a manual DEL): recreate.
          this.#groupsMissing = true;
          this.#pendingScan = true;
          continue;
        }
        failures++;
        this.#report(
          this.#cluster && isCrossSlot(error)
            ? new TransportRedisClusterKeyError(
                'inbound.commit',
                message,
                `the acknowledging transaction's keys in the hash slot of ${this.#keys.join(', ')} (write keys such as '${this.#keys[0]}:…' in the commit hook)`,
                `Redis Cluster refusing it (${message}); consumer '${options.consumer}' retries and stays stuck until the hook's keys share that slot`,
                error,
              )
            : new TransportRedisConnectionError(
                'TRANSPORT_REDIS_COMMAND_FAILED',
                `consumer '${options.consumer}' of group '${options.group}': reading or acknowledging failed, will retry: ${message}`,
                error,
              ),
        );
        this.#pendingScan = true;
        if (this.#connection.status === 'ready')
          await sleep(backoffDelay(this.#backoff, failures), this.#abort.signal);
      }
    }
  }

  /** Re-reads entries delivered to this consumer name and never acknowledged (e.g. by a crashed predecessor). */
  async #readOwnPending(): Promise<void> {
    const cursors = this.#keys.map(() => '0');
    for (;;) {
      const reply = (await this.#connection.xreadgroup(
        'GROUP',
        this.#options.group,
        this.#options.consumer,
        'COUNT',
        this.#options.readCount,
        'STREAMS',
        ...this.#keys,
        ...cursors,
      )) as StreamReply | null;
      let any = false;
      for (const [stream, entries] of reply ?? []) {
        const last = entries[entries.length - 1];
        if (last === undefined) continue;
        any = true;
        cursors[this.#keys.indexOf(stream)] = last[0];
      }
      if (!any || reply === null) return;
      await this.#handle(reply, true, false);
      if (this.#stopping) return;
    }
  }

  /** Claims entries pending longer than `claimIdleMs` on any consumer of the group and handles them. */
  async #claimAbandoned(): Promise<void> {
    const { group, consumer, claimIdleMs, readCount } = this.#options;
    for (const key of this.#keys) {
      let cursor = '0-0';
      do {
        const [next, entries, deleted] = (await this.#connection.xautoclaim(
          key,
          group,
          consumer,
          claimIdleMs,
          cursor,
          'COUNT',
          readCount,
        )) as [string, StreamEntry[], string[] | undefined];
        cursor = next;
        if (deleted !== undefined && deleted.length > 0) {
          // Pending entries trimmed away before anyone delivered them: lost, and said so.
          this.#counts.trimmed += deleted.length;
          this.#report(
            new TransportRedisConnectionError(
              'TRANSPORT_REDIS_ENTRY_TRIMMED',
              `stream ${key}: expected pending entries ${deleted.slice(0, 3).join(', ')}${deleted.length > 3 ? ', …' : ''} to exist, found ${deleted.length} trimmed away (maxLen) before delivery`,
            ),
          );
        }
        if (entries.length > 0) await this.#handle([[key, entries]], true, true);
      } while (cursor !== '0-0' && !this.#stopping);
    }
  }

  /** Refreshes lag and pending counts of every consumed stream (`XINFO GROUPS`). */
  async refreshLag(connection: RedisConnection = this.#connection): Promise<void> {
    for (const key of this.#keys) {
      const groups = (await connection.xinfo('GROUPS', key)) as unknown[][];
      const counters = this.#streams.get(key);
      for (const fields of groups) {
        const info = new Map<string, unknown>();
        for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
        if (info.get('name') !== this.#options.group) continue;
        const lag = info.get('lag');
        const pending = info.get('pending');
        counters.lag = typeof lag === 'number' ? lag : null;
        counters.pending = typeof pending === 'number' ? pending : null;
      }
    }
  }

  /** Delivers a batch into the local bus, then acknowledges it. */
  async #handle(reply: StreamReply, redelivered: boolean, claimed: boolean): Promise<void> {
    const commitHook = this.#options.commit;
    const counts = this.#counts;
    const commit: PendingCommit = {
      acks: new Map(),
      ackedEvents: new Map(),
      deadLetters: [],
      events: commitHook === undefined ? undefined : [],
    };
    for (const [stream, entries] of reply) {
      const accepted = this.#options.streams.get(stream);
      const counters = this.#streams.get(stream);
      const ids: string[] = [];
      commit.acks.set(stream, ids);
      let events = 0;
      for (const [entryId, fields] of entries) {
        ids.push(entryId);
        events++;
        if (fields === null) {
          counts.trimmed++;
          this.#report(
            new TransportRedisConnectionError(
              'TRANSPORT_REDIS_ENTRY_TRIMMED',
              `stream ${stream}: expected pending entry ${entryId} to exist, found it trimmed away (maxLen) before delivery`,
            ),
          );
          continue;
        }
        const parsedEvents = parseEntryEvents(fields, counts);
        if (typeof parsedEvents === 'string') {
          if (redelivered) {
            counts.redelivered++;
            if (claimed) counts.claimed++;
          }
          this.#deadLetter(
            commit,
            stream,
            entryId,
            fields,
            new TransportRedisDecodeError(stream, entryId, parsedEvents),
          );
          continue;
        }
        events += parsedEvents.length - 1;
        // A packed entry carries several events; a redelivered one replays them all and the dedup window drops
        // those its handlers already saw.
        for (const parsed of parsedEvents) {
          if (redelivered) {
            counts.redelivered++;
            if (claimed) counts.claimed++;
          }
          const id = parsed.id;
          if (this.#dedup.has(id)) {
            counts.duplicatesDropped++;
            continue;
          }
          if (accepted === undefined || !accepted.has(parsed.topic)) {
            counts.ignored++;
            this.#report(
              new TransportRedisDecodeError(
                stream,
                entryId,
                `found topic '${parsed.topic}', which this route does not accept`,
              ),
            );
            continue;
          }
          let payload: unknown;
          try {
            payload = this.#codec.decode(parsed.data);
          } catch (error) {
            // Only this event goes to the dead letters, in the one-event layout, so replaying them never
            // duplicates its packed neighbours.
            this.#deadLetter(
              commit,
              stream,
              entryId,
              parsedEvents.length === 1 && fields[0] === 'e'
                ? fields
                : [
                    'e',
                    envelope(parsed.producerId, parsed.sequence, parsed.publishedAt, parsed.topic),
                    'd',
                    parsed.data,
                  ],
              new TransportRedisDecodeError(
                stream,
                entryId,
                `found a payload the ${this.#codec.name} codec rejects: ${String(error)}`,
                error,
              ),
            );
            continue;
          }
          this.#dedup.add(id);
          try {
            this.#deliver(parsed.topic, payload);
          } catch (error) {
            // An isolating bus never throws from publish; one that does (a recursion stop, a closed bus) has
            // still had its handlers run as far as they could, so the entry is acknowledged like the rest.
            this.#report(error);
          }
          counts.delivered++;
          counters.delivered++;
          commit.events?.push({
            id,
            producerId: parsed.producerId,
            sequence: parsed.sequence,
            topic: parsed.topic,
            stream,
            entryId,
            redelivered,
          });
        }
      }
      commit.ackedEvents.set(stream, events);
    }
    await this.#commit(commit);
  }

  #deadLetter(
    commit: PendingCommit,
    stream: string,
    entryId: string,
    fields: string[],
    error: TransportRedisDecodeError,
  ): void {
    this.#counts.decodeFailures++;
    commit.deadLetters.push({ stream, entryId, problem: error.message, fields });
    this.#report(error);
  }

  /** Acknowledges a batch together with dead letters and the user's commit commands, in one transaction. */
  async #commit(commit: PendingCommit): Promise<void> {
    const tx = this.#connection.multi();
    let acks = 0;
    for (const [stream, ids] of commit.acks) {
      if (ids.length === 0) continue;
      tx.xack(stream, this.#options.group, ...ids);
      acks += ids.length;
    }
    if (acks === 0) return;
    for (const letter of commit.deadLetters) {
      tx.xadd(
        this.#deadLetterKey(letter.stream),
        'MAXLEN',
        '~',
        10_000,
        '*',
        'stream',
        letter.stream,
        'entry',
        letter.entryId,
        'problem',
        letter.problem,
        ...letter.fields,
      );
    }
    if (commit.events !== undefined && commit.events.length > 0)
      this.#options.commit?.(tx as ChainableCommander, commit.events);
    let results: [Error | null, unknown][] | null;
    try {
      results = await tx.exec();
    } catch (error) {
      this.#pendingCommit = commit;
      throw error;
    }
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (results === null || failed != null) {
      this.#pendingCommit = commit;
      throw failed ?? new Error('EXEC aborted');
    }
    this.#pendingCommit = undefined;
    this.#countAcknowledged(commit);
  }

  /** Counts the events of a confirmed acknowledgement (events, not entries: a packed entry holds several). */
  #countAcknowledged(commit: PendingCommit): void {
    for (const [stream, events] of commit.ackedEvents) {
      this.#counts.acknowledged += events;
      this.#streams.get(stream).acknowledged += events;
    }
  }

  /**
   * Retries an acknowledgement whose outcome is unknown. The transaction is atomic, so if its first entry is
   * no longer pending it ran (only its reply was lost) and must not run twice.
   */
  async #retryCommit(commit: PendingCommit): Promise<void> {
    for (const [stream, ids] of commit.acks) {
      const first = ids[0];
      if (first === undefined) continue;
      const pending = (await this.#connection.xpending(
        stream,
        this.#options.group,
        first,
        first,
        1,
      )) as unknown[];
      if (pending.length === 0) {
        this.#pendingCommit = undefined;
        this.#countAcknowledged(commit);
        return;
      }
      break;
    }
    await this.#commit(commit);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** True for Redis's (or ioredis's) refusal of keys from several hash slots in one command or transaction. */
function isCrossSlot(error: unknown): boolean {
  const texts = [error instanceof Error ? error.message : String(error)];
  const previous = (error as { previousErrors?: unknown }).previousErrors;
  if (Array.isArray(previous))
    for (const e of previous) texts.push(e instanceof Error ? e.message : String(e));
  return texts.some((text) => text.includes('CROSSSLOT') || text.includes('should belong to the same slot'));
}
