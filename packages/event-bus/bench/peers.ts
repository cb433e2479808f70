/**
 * The emitters the benchmark compares, behind one small shape: how to build one, and the source text of the
 * calls the generated benchmark loops make on it (`EMIT`, `ON`, `OFF`). Loops are generated per subject and
 * scenario (see event-bus.bench.ts) so no two subjects share a call site or its type feedback.
 */
import { EventEmitter as NodeEventEmitter } from 'node:events';
import Emittery from 'emittery';
import EventEmitter3 from 'eventemitter3';
import mitt from 'mitt';
import { EventEmitter as Tseep } from 'tseep';
import { eventBus } from './built-package.js';

const { createEventBus } = eventBus;

/** One emitter under test. */
export interface Peer {
  /** Label in the table. */
  readonly name: string;
  /** True when `emit` returns a promise the caller must await (emittery). */
  readonly awaited: boolean;
  /** Creates a fresh instance. */
  create(): unknown;
  /** Expression publishing `P` on `'tick'` from target `t`. */
  readonly emit: (payload: string) => string;
  /** Statement(s) subscribing `H` on `'tick'` and then removing it again. */
  readonly subscribeUnsubscribe: string;
  /** Subscribes `handler` on `'tick'`. */
  on(target: unknown, handler: (payload: { price: number }) => void): void;
}

type Any = Record<string, (...args: unknown[]) => unknown>;

export const peers: readonly Peer[] = [
  {
    name: '@algospace/event-bus',
    awaited: false,
    create: () => createEventBus<{ tick: { price: number } }>(),
    emit: (p) => `t.publish('tick', ${p})`,
    subscribeUnsubscribe: `t.subscribe('tick', H)();`,
    on: (t, h) => (t as Any).subscribe?.('tick', h),
  },
  {
    name: 'eventemitter3',
    awaited: false,
    create: () => new EventEmitter3(),
    emit: (p) => `t.emit('tick', ${p})`,
    subscribeUnsubscribe: `t.on('tick', H); t.off('tick', H);`,
    on: (t, h) => (t as Any).on?.('tick', h),
  },
  {
    name: 'tseep',
    awaited: false,
    create: () => new Tseep(),
    emit: (p) => `t.emit('tick', ${p})`,
    subscribeUnsubscribe: `t.on('tick', H); t.off('tick', H);`,
    on: (t, h) => (t as Any).on?.('tick', h),
  },
  {
    name: 'mitt',
    awaited: false,
    create: () => mitt(),
    emit: (p) => `t.emit('tick', ${p})`,
    subscribeUnsubscribe: `t.on('tick', H); t.off('tick', H);`,
    on: (t, h) => (t as Any).on?.('tick', h),
  },
  {
    name: 'node:events',
    awaited: false,
    create: () => new NodeEventEmitter(),
    emit: (p) => `t.emit('tick', ${p})`,
    subscribeUnsubscribe: `t.on('tick', H); t.off('tick', H);`,
    on: (t, h) => (t as Any).on?.('tick', h),
  },
  {
    name: 'emittery (awaited)',
    awaited: true,
    create: () => new Emittery(),
    emit: (p) => `t.emit('tick', ${p})`,
    subscribeUnsubscribe: `t.on('tick', H)();`,
    on: (t, h) => (t as Any).on?.('tick', h),
  },
];
