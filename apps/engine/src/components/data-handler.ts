/**
 * The DataHandler component: the engine's only input. Backtest: streams a tick file (NEW_TICK per accepted
 * row) or a bar file (resampled to 5- and 30-minute bars through `@algospace/bars`' bars-from-bars and
 * published as NEW_5MIN_BAR / NEW_30MIN_BAR), or runs the built-in simulator; then publishes END_OF_STREAM.
 * Paper/live: replays the simulator in real time (× speed) or connects to a WebSocket tick feed with
 * reconnect and a gap report. It also owns the feed clock the BarGenerator advances to.
 */

import { basename } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type AggregatorStats, type Bar, createBarResampler, type Tick } from '@algospace/bars';
import {
  type MarketDataReadOptions,
  type MarketDataReadReport,
  readMarketDataFile,
} from '../data/market-data-file-reader.js';
import { connectTickFeed, type TickFeedClient, type TickFeedReport } from '../data/tick-feed-client.js';
import { createMarketSimulator, type MarketSimulatorOptions } from '../simulator/market-simulator.js';
import type { EngineComponent, EngineContext, FeedClock } from './engine-component.js';
import { COMPONENT_NAMES } from './engine-component.js';

/**
 * Where the data comes from.
 *
 * @example
 * ```ts
 * const file: DataSource = { type: 'file', read: { path: 'trades.csv', layout: {}, timestamp: { format: 'auto', timezone: 'UTC' },
 *   badRows: { policy: 'fail', maxExamples: 5 }, barTimeframe: '1m' }, barLabel: 'start' };
 * const sim: DataSource = { type: 'simulator', simulator: { seed: 42, days: 5 } };
 * ```
 */
export type DataSource =
  | {
      readonly type: 'file';
      /** How to read the file. */
      readonly read: Omit<
        MarketDataReadOptions,
        'onTick' | 'onBar' | 'onLayout' | 'onProgress' | 'signal' | 'afterChunk'
      >;
      /** Whether the file's bar timestamps mark the interval start or end. */
      readonly barLabel: 'start' | 'end';
    }
  | {
      readonly type: 'simulator';
      /** Simulator settings. */
      readonly simulator: MarketSimulatorOptions;
      /** Paper mode: replay in real time at this speed multiple (absent = as fast as possible). */
      readonly realtimeSpeed?: number;
    }
  | {
      readonly type: 'memory';
      /** Ticks already in memory, in time order (benchmarks, tests, notebooks). */
      readonly ticks: readonly Tick[];
      /** Label for results. */
      readonly label?: string;
    }
  | {
      readonly type: 'websocket';
      /** Feed URL. */
      readonly url: string;
      /** Reconnect settings. */
      readonly reconnect: {
        readonly initialMs: number;
        readonly maxMs: number;
        readonly maxAttempts: number;
      };
    };

/**
 * What the DataHandler delivered.
 *
 * @example
 * ```ts
 * const report = await dataHandler.done;
 * console.log(report.source, report.records);
 * ```
 */
export interface DataHandlerReport {
  /** `file`, `simulator`, `memory` or `websocket`. */
  readonly source: DataSource['type'];
  /** Human label: the file name, `built-in seeded market simulator`, or the feed URL. */
  readonly label: string;
  /** `trades`, `quotes`, `bars` (file), `trades` (simulator and feed). */
  readonly kind: string;
  /** Records published (ticks, or source bars for a bar file). */
  readonly records: number;
  /** The file reader's report (file sources). */
  readonly file?: MarketDataReadReport;
  /** The resampler's counters (bar files). */
  readonly resampler?: AggregatorStats;
  /** The feed client's report (WebSocket sources). */
  readonly feed?: TickFeedReport;
  /** How the input ended. */
  readonly endReason: string;
}

/**
 * The DataHandler as a kernel component.
 *
 * @example
 * ```ts
 * const data = createDataHandlerComponent({ source });
 * kernel.register(data);
 * await kernel.start();
 * const report = await data.done;
 * ```
 */
export interface DataHandlerComponent extends EngineComponent {
  /** Resolves when the input is exhausted (after END_OF_STREAM) or stopped; rejects on a fatal input error. */
  readonly done: Promise<DataHandlerReport>;
  /** The feed clock for the BarGenerator (paper/live). */
  readonly clock: FeedClock;
  /** Fraction of the input consumed (0–1), or NaN when unknown (feeds). */
  progress(): number;
  /** Records published so far. */
  records(): number;
  /**
   * Whether the kernel started this component. `done` settles only for a started DataHandler: when another
   * component fails first, the kernel never starts this one and there is nothing to wait for.
   */
  started(): boolean;
  /**
   * What was delivered before a failure, for the run's results: set once `done` has rejected (the file's name,
   * its kind once the header was read, the records published and the resampler's counters), else `undefined`.
   */
  failedReport?(): DataHandlerReport | undefined;
}

/**
 * Options of {@link createDataHandlerComponent}.
 *
 * @example
 * ```ts
 * const options: DataHandlerOptions = { source: { type: 'simulator', simulator: { days: 2 } } };
 * ```
 */
export interface DataHandlerOptions {
  /** The input. */
  readonly source: DataSource;
  /** Emit the open resampled bars when a bar file ends. Default true. */
  readonly flushAtEnd?: boolean;
  /** Gap filling for resampled bar files (as the BarGenerator's). Default true. */
  readonly gapFill?: boolean;
}

const SIMULATOR_BATCH = 16_384;
const REALTIME_STEP_MS = 50;
const MAX_TICKS_PER_STEP = 50_000;

/**
 * Creates the DataHandler component.
 *
 * @example
 * ```ts
 * kernel.register(createDataHandlerComponent({ source: { type: 'simulator', simulator: { seed: 1 } } }));
 * ```
 */
export function createDataHandlerComponent(options: DataHandlerOptions): DataHandlerComponent {
  const source = options.source;
  const abort = new AbortController();
  let records = 0;
  let progress = 0;
  let clockTime: number | null = null;
  let lastTimestamp: number | null = null;
  let feed: TickFeedClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resolveDone!: (report: DataHandlerReport) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<DataHandlerReport>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // The runner always awaits `done`; this keeps an early rejection from counting as unhandled meanwhile.
  done.catch(() => {});
  let started = false;
  let failed: DataHandlerReport | undefined;
  let knownKind: string | undefined;
  let resamplerStats: (() => AggregatorStats) | undefined;

  function sourceLabel(): string {
    if (source.type === 'file') return basename(source.read.path);
    if (source.type === 'memory') return source.label ?? 'in-memory ticks';
    if (source.type === 'websocket') return source.url;
    return 'built-in seeded market simulator';
  }

  function startSource(context: EngineContext): void {
    const bus = context.bus;
    const publishTick = (tick: Tick): void => {
      records++;
      lastTimestamp = tick.timestamp;
      bus.publish('NEW_TICK', tick);
    };
    const end = (reason: string): void => {
      bus.publish('END_OF_STREAM', { reason, lastTimestamp });
    };
    // The runner awaits `done` and reports the failure once, with the file, line and reason; logging it
    // through the kernel as well would print the same error twice.
    const fail = (error: unknown): void => {
      failed = {
        source: source.type,
        label: sourceLabel(),
        kind: knownKind ?? 'trades',
        records,
        ...(resamplerStats === undefined ? {} : { resampler: resamplerStats() }),
        endReason: 'failed',
      };
      rejectDone(error);
    };

    if (source.type === 'file') {
      let resampler: ReturnType<typeof createBarResampler> | undefined;
      const onBar = (bar: Bar): void => {
        if (bar.timeframe === '5m') bus.publish('NEW_5MIN_BAR', bar);
        else bus.publish('NEW_30MIN_BAR', bar);
      };
      readMarketDataFile({
        ...source.read,
        signal: abort.signal,
        onLayout: (layout) => {
          knownKind = layout.kind;
          if (layout.kind !== 'bars') return;
          // Only timeframes the source can build: 30-minute bars cannot be split into 5-minute ones.
          const sourceMinutes = parseMinutes(source.read.barTimeframe);
          const timeframes = (['5m', '30m'] as const).filter((tf) => parseMinutes(tf) % sourceMinutes === 0);
          resampler = createBarResampler({
            timeframes,
            gapFill: options.gapFill ?? true,
            sourceLabel: source.barLabel === 'end' ? 'close' : 'open',
            onBar,
          });
          const built = resampler;
          resamplerStats = () => built.stats();
        },
        onTick: publishTick,
        onBar: (bar) => {
          records++;
          lastTimestamp = bar.timestamp;
          resampler!.push(bar);
        },
        onProgress: (read, total) => {
          progress = total > 0 ? read / total : 1;
        },
      })
        .then((file) => {
          if (resampler !== undefined && (options.flushAtEnd ?? true) && !file.aborted) resampler.flush();
          const reason = file.aborted ? 'aborted' : 'input exhausted';
          if (!file.aborted) end(reason);
          resolveDone({
            source: 'file',
            label: file.file,
            kind: file.layout.kind,
            records,
            file,
            ...(resampler === undefined ? {} : { resampler: resampler.stats() }),
            endReason: reason,
          });
        })
        .catch(fail);
      return;
    }

    if (source.type === 'memory') {
      const ticks = source.ticks;
      const label = source.label ?? 'in-memory ticks';
      const run = async (): Promise<void> => {
        for (let start = 0; start < ticks.length; start += SIMULATOR_BATCH) {
          const stop = Math.min(ticks.length, start + SIMULATOR_BATCH);
          for (let i = start; i < stop; i++) publishTick(ticks[i]!);
          progress = stop / Math.max(1, ticks.length);
          await yieldToLoop();
          if (abort.signal.aborted) {
            resolveDone({ source: 'memory', label, kind: 'trades', records, endReason: 'aborted' });
            return;
          }
        }
        end('input exhausted');
        resolveDone({ source: 'memory', label, kind: 'trades', records, endReason: 'input exhausted' });
      };
      run().catch(fail);
      return;
    }

    if (source.type === 'simulator') {
      const realtime = source.realtimeSpeed;
      const simulator = createMarketSimulator({
        ...source.simulator,
        ...(realtime === undefined
          ? {}
          : { days: Number.POSITIVE_INFINITY, startTime: Math.floor(Date.now() / 1000) * 1000 }),
      });
      const label = 'built-in seeded market simulator';
      const finish = (reason: string): void => {
        end(reason);
        resolveDone({ source: 'simulator', label, kind: 'trades', records, endReason: reason });
      };
      if (realtime === undefined) {
        const span =
          simulator.endTime -
          (source.simulator.startTime ?? simulator.endTime - (source.simulator.days ?? 20) * 86_400_000);
        const startTime = simulator.endTime - span;
        // Batches with a yield between them keep the monitoring server and signals responsive.
        const run = async (): Promise<void> => {
          for (;;) {
            for (let i = 0; i < SIMULATOR_BATCH; i++) {
              const tick = simulator.next();
              if (tick === undefined) {
                progress = 1;
                finish('input exhausted');
                return;
              }
              publishTick(tick);
            }
            progress = lastTimestamp === null ? 0 : (lastTimestamp - startTime) / span;
            await yieldToLoop();
            if (abort.signal.aborted) {
              resolveDone({ source: 'simulator', label, kind: 'trades', records, endReason: 'aborted' });
              return;
            }
          }
        };
        run().catch(fail);
        return;
      }
      const wallStart = performance.now();
      const simStart = Math.floor(Date.now() / 1000) * 1000;
      let pending = simulator.next();
      timer = setInterval(() => {
        const simNow = simStart + (performance.now() - wallStart) * realtime;
        try {
          // A bounded step keeps signals, timers and the monitoring server served whatever the speed; when the
          // bound is hit the clock stops at the last tick published and the rest follows on the next steps.
          let budget = MAX_TICKS_PER_STEP;
          while (pending !== undefined && pending.timestamp <= simNow && budget > 0) {
            publishTick(pending);
            pending = simulator.next();
            budget--;
          }
          clockTime = budget === 0 && lastTimestamp !== null ? lastTimestamp : Math.floor(simNow);
        } catch (error) {
          context.reportError(error);
        }
      }, REALTIME_STEP_MS);
      return;
    }

    feed = connectTickFeed({
      url: source.url,
      reconnectInitialMs: source.reconnect.initialMs,
      reconnectMaxMs: source.reconnect.maxMs,
      maxReconnects: source.reconnect.maxAttempts,
      onTick: publishTick,
      onWarning: (message) => context.logger.warn(message),
    });
    feed.done
      .then((report) => {
        const reason = report.ended ? 'feed ended' : 'feed closed';
        end(reason);
        resolveDone({
          source: 'websocket',
          label: source.url,
          kind: 'trades',
          records,
          feed: report,
          endReason: reason,
        });
      })
      .catch(fail);
  }

  return {
    name: COMPONENT_NAMES.dataHandler,
    done,
    clock: {
      now: () => (feed !== undefined ? feed.clock() : clockTime),
    },
    progress: () => (source.type === 'websocket' ? Number.NaN : progress),
    records: () => records,
    started: () => started,
    failedReport: () => failed,
    init() {},
    start(context) {
      started = true;
      try {
        startSource(context);
      } catch (error) {
        // A source that fails as it starts (a malformed feed URL) settles `done` too: the runner waits on it.
        rejectDone(error);
        throw error;
      }
    },
    stop() {
      abort.abort();
      if (timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
        resolveDone({
          source: 'simulator',
          label: 'built-in seeded market simulator',
          kind: 'trades',
          records,
          endReason: 'stopped',
        });
      }
      feed?.close();
    },
    health() {
      if (feed !== undefined && !feed.connected() && !abort.signal.aborted)
        return {
          status: 'degraded',
          detail: `feed ${source.type === 'websocket' ? source.url : ''} not connected; ${records} records published`,
        };
      return { status: 'ok', detail: `${records} records published` };
    },
  };
}

function parseMinutes(timeframe: string): number {
  const match = /^(\d+)([smhd])$/.exec(timeframe);
  if (match === null) return 1;
  const unit = { s: 1 / 60, m: 1, h: 60, d: 1440 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
