/**
 * `@algospace/transport-redis`: extends an AlgoSpace event bus across processes and machines over Redis
 * Streams — batched idempotent appends, consumer groups, acknowledgement after the local handlers ran, claims
 * of abandoned entries, duplicate suppression by event id, bounded buffering while Redis is away, and metrics.
 *
 * @packageDocumentation
 */

export { clusterStartupNodes } from './cluster-nodes.js';
export type { EventCodec } from './event-codec.js';
export { createJsonCodec, jsonCodec } from './event-codec.js';
export type { ReconnectBackoff } from './reconnect-backoff.js';
export type { RedisTransport, TransportState } from './redis-transport.js';
export { createRedisTransport } from './redis-transport.js';
export type { StreamEntryEvent } from './stream-entry-events.js';
export { streamEntryEvents } from './stream-entry-events.js';
export type { TransportStreamKeyOptions, TransportStreamKeys } from './stream-keys.js';
export { transportStreamKeys } from './stream-keys.js';
export type {
  InboundMetrics,
  OutboundMetrics,
  StreamMetrics,
  TransportMetrics,
} from './transport-metrics.js';
export type {
  BufferOverflowPolicy,
  InboundEvent,
  InboundOptions,
  InboundRoute,
  OutboundOptions,
  OutboundRoute,
  RedisTransportOptions,
} from './transport-options.js';
export {
  TransportRedisBufferFullError,
  TransportRedisClusterKeyError,
  TransportRedisConnectionError,
  TransportRedisDecodeError,
  TransportRedisEncodeError,
  TransportRedisError,
  TransportRedisMarkBehindError,
  TransportRedisOptionError,
} from './transport-redis-error.js';
