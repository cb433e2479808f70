import EventEmitter from 'eventemitter3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventBus } from './event-bus.js';

/**
 * Model-based property tests: random programs of subscribe / once / unsubscribe / publish (with handlers that
 * act during delivery) run against the real bus and against a model written straight from the documented
 * semantics; the deliveries must match exactly. Programs without in-delivery actions also run against raw
 * eventemitter3, the emitter whose ordering and once semantics the bus promises to keep.
 */

const topics = ['a', 'b'] as const;
type TopicName = (typeof topics)[number];
type Action = 'none' | 'unsub-self' | 'unsub-first' | 'sub-new' | 'publish-other';
type Op =
  | { readonly k: 'sub'; readonly topic: TopicName; readonly once: boolean; readonly action: Action }
  | { readonly k: 'unsub'; readonly index: number }
  | { readonly k: 'pub'; readonly topic: TopicName };

type Delivery = readonly [subscriber: number, payload: string];

const other = (topic: TopicName): TopicName => (topic === 'a' ? 'b' : 'a');

function opArbitrary(actions: readonly Action[]): fc.Arbitrary<Op> {
  return fc.oneof(
    fc.record({
      k: fc.constant('sub' as const),
      topic: fc.constantFrom(...topics),
      once: fc.boolean(),
      action: fc.constantFrom(...actions),
    }),
    fc.record({ k: fc.constant('unsub' as const), index: fc.nat(30) }),
    fc.record({ k: fc.constant('pub' as const), topic: fc.constantFrom(...topics) }),
  );
}

interface ModelSub {
  readonly id: number;
  readonly topic: TopicName;
  readonly once: boolean;
  readonly action: Action;
  active: boolean;
}

/** The documented semantics, written as plainly as possible. */
function runModel(program: readonly Op[]): Delivery[] {
  const log: Delivery[] = [];
  const subs: ModelSub[] = [];
  let payloads = 0;
  const add = (topic: TopicName, once: boolean, action: Action): void => {
    subs.push({ id: subs.length, topic, once, action, active: true });
  };
  const publish = (topic: TopicName, payload: string, depth: number): void => {
    // Snapshot: the handlers subscribed when the publish starts, in subscription order.
    const snapshot = subs.filter((s) => s.topic === topic && s.active);
    for (const s of snapshot) {
      // Unsubscribed before its turn (by an earlier handler of this delivery): skipped.
      if (!s.active) continue;
      if (s.once) s.active = false;
      log.push([s.id, payload]);
      if (s.action === 'unsub-self') s.active = false;
      if (s.action === 'unsub-first') {
        const first = subs.find((x) => x.topic === topic && x.active);
        if (first !== undefined) first.active = false;
      }
      if (s.action === 'sub-new') add(topic, false, 'none');
      if (s.action === 'publish-other' && depth < 2) publish(other(topic), `${payload}>`, depth + 1);
    }
  };
  for (const op of program) {
    if (op.k === 'sub') add(op.topic, op.once, op.action);
    else if (op.k === 'unsub') {
      const target = subs[op.index % Math.max(1, subs.length)];
      if (target !== undefined) target.active = false;
    } else publish(op.topic, `p${payloads++}`, 0);
  }
  return log;
}

function runBus(program: readonly Op[]): Delivery[] {
  const bus = createEventBus<Record<TopicName, string>>();
  const log: Delivery[] = [];
  // Harness bookkeeping (which ids are live) only picks the target of 'unsub-first'; whether the target still
  // receives events is up to the bus.
  const subs: { topic: TopicName; off: () => void; live: boolean }[] = [];
  let payloads = 0;
  const depthOf = (payload: string): number => payload.length - payload.replace(/>/g, '').length;
  const add = (topic: TopicName, once: boolean, action: Action): void => {
    const id = subs.length;
    const entry: { topic: TopicName; off: () => void; live: boolean } = { topic, off: () => {}, live: true };
    subs.push(entry);
    const handler = (payload: string): void => {
      if (once) entry.live = false;
      log.push([id, payload]);
      if (action === 'unsub-self') {
        entry.live = false;
        entry.off();
      }
      if (action === 'unsub-first') {
        const first = subs.find((x) => x.topic === topic && x.live);
        if (first !== undefined) {
          first.live = false;
          first.off();
        }
      }
      if (action === 'sub-new') add(topic, false, 'none');
      if (action === 'publish-other' && depthOf(payload) < 2) bus.publish(other(topic), `${payload}>`);
    };
    entry.off = once ? bus.once(topic, handler) : bus.subscribe(topic, handler);
  };
  for (const op of program) {
    if (op.k === 'sub') add(op.topic, op.once, op.action);
    else if (op.k === 'unsub') {
      const target = subs[op.index % Math.max(1, subs.length)];
      if (target !== undefined) {
        target.live = false;
        target.off();
      }
    } else bus.publish(op.topic, `p${payloads++}`);
  }
  return log;
}

function runEventEmitter3(program: readonly Op[]): Delivery[] {
  const emitter = new EventEmitter();
  const log: Delivery[] = [];
  const subs: { topic: TopicName; fn: (payload: string) => void }[] = [];
  let payloads = 0;
  for (const op of program) {
    if (op.k === 'sub') {
      const id = subs.length;
      const fn = (payload: string): void => {
        log.push([id, payload]);
      };
      subs.push({ topic: op.topic, fn });
      if (op.once) emitter.once(op.topic, fn);
      else emitter.on(op.topic, fn);
    } else if (op.k === 'unsub') {
      const target = subs[op.index % Math.max(1, subs.length)];
      if (target !== undefined) emitter.off(target.topic, target.fn);
    } else emitter.emit(op.topic, `p${payloads++}`);
  }
  return log;
}

describe('event bus against a model', () => {
  it('delivers exactly what the model and eventemitter3 deliver for random subscribe/once/unsubscribe/publish programs', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary(['none']), { maxLength: 60 }), (program) => {
        const expected = runModel(program);
        expect(runBus(program)).toEqual(expected);
        expect(
          runEventEmitter3(program),
          'the model agrees with eventemitter3 on top-level programs',
        ).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the documented snapshot semantics when handlers subscribe, unsubscribe and publish during delivery', () => {
    fc.assert(
      fc.property(
        fc.array(opArbitrary(['none', 'unsub-self', 'unsub-first', 'sub-new', 'publish-other']), {
          maxLength: 60,
        }),
        (program) => {
          expect(runBus(program)).toEqual(runModel(program));
        },
      ),
      { numRuns: 500 },
    );
  });
});
