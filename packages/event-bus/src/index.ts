/**
 * `@algospace/event-bus`: typed, ordered pub/sub with error isolation, queued mode, a worker_threads bridge,
 * taps with an NDJSON journal, and metrics, for market-data pipelines.
 *
 * @packageDocumentation
 */

export type {
  EventBus,
  EventBusOptions,
  EventBusStats,
  EventHandler,
  FailureKind,
  HandlerFailure,
  OverflowPolicy,
  QueueOptions,
  QueueStats,
  SubscribeOptions,
  TapFunction,
  Topic,
  TopicStats,
  Unsubscribe,
} from './event-bus.js';
export { createEventBus } from './event-bus.js';
export {
  EventBusBridgeError,
  EventBusError,
  EventBusEventDroppedError,
  EventBusJournalError,
  EventBusOptionError,
  EventBusQueueFullError,
  EventBusRecursionError,
} from './event-bus-error.js';
export type { ReplayOptions, ReplaySummary } from './journal-replayer.js';
export { readJournal, replayJournal } from './journal-replayer.js';
export type { JournalRecord, JournalSummary, JournalWriter, JournalWriterOptions } from './journal-writer.js';
export { createJournalWriter } from './journal-writer.js';
export type { LatencyStats } from './latency-sampler.js';
export type {
  BridgeCodecs,
  BridgeEndpoint,
  BridgeWorkerOptions,
  ConnectToMainBusOptions,
  MainBusConnection,
  NumericCodec,
  WorkerBridge,
  WorkerBridgeStats,
} from './worker-bridge.js';
export { bridgeWorker, connectToMainBus } from './worker-bridge.js';
