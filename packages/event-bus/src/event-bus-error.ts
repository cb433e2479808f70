/**
 * The error base class of `@algospace/event-bus`. Every failure the bus reports is an instance of a subclass
 * with a stable `code`, so callers branch on `code` rather than on message text.
 */

const brand = Symbol.for('@algospace/event-bus/error');

/**
 * Base class of every error raised or reported by the event bus.
 *
 * @example
 * ```ts
 * try {
 *   bus.publish('tick', tick);
 * } catch (error) {
 *   if (EventBusError.isInstance(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class EventBusError extends Error {
  /** Stable machine-readable identifier of the failure, e.g. `'EVENT_BUS_RECURSION_LIMIT'`. */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - what was expected and what was found
   * @param options - the underlying cause, when there is one
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventBusError';
    this.code = code;
    // A symbol brand instead of `instanceof`: it survives two copies of this package in one process.
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True when `value` is an event-bus error, even one created by another copy of this package.
   *
   * @example
   * ```ts
   * bus.onError((failure) => EventBusError.isInstance(failure.error));
   * ```
   */
  static isInstance(value: unknown): value is EventBusError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/**
 * A nested publish went deeper than `maxDepth`: a handler chain is (probably) circular. The bus stops the chain
 * at that publish, counts the event as dropped for its topic and reports this error through `onError`.
 *
 * @example
 * ```ts
 * bus.onError((failure) => {
 *   if (failure.error instanceof EventBusRecursionError) console.error(failure.error.chain.join(' → '));
 * });
 * ```
 */
export class EventBusRecursionError extends EventBusError {
  /** The topics being delivered when the limit was hit, outermost first, ending with the refused topic. */
  readonly chain: readonly string[];
  /** The configured nesting limit that was exceeded. */
  readonly maxDepth: number;

  /**
   * @param chain - topics being delivered, outermost first, ending with the refused topic
   * @param maxDepth - the configured limit
   */
  constructor(chain: readonly string[], maxDepth: number) {
    super(
      'EVENT_BUS_RECURSION_LIMIT',
      `expected nested publishes at most ${maxDepth} deep, found a chain of ${chain.length}: ${chain.join(' → ')}`,
    );
    this.name = 'EventBusRecursionError';
    this.chain = chain;
    this.maxDepth = maxDepth;
  }
}

/**
 * `enqueue` found the queue full under the `'reject'` overflow policy. The event was not queued; it is counted
 * as dropped for its topic.
 *
 * @example
 * ```ts
 * try {
 *   bus.enqueue('tick', tick);
 * } catch (error) {
 *   if (error instanceof EventBusQueueFullError) await bus.drain();
 * }
 * ```
 */
export class EventBusQueueFullError extends EventBusError {
  /** Topic of the refused event. */
  readonly topic: string;
  /** Capacity of the queue that was full. */
  readonly capacity: number;

  /**
   * @param topic - topic of the refused event
   * @param capacity - capacity of the full queue
   */
  constructor(topic: string, capacity: number) {
    super(
      'EVENT_BUS_QUEUE_FULL',
      `expected room in the event queue for '${topic}', found all ${capacity} slots taken (overflow policy 'reject')`,
    );
    this.name = 'EventBusQueueFullError';
    this.topic = topic;
    this.capacity = capacity;
  }
}

/**
 * The queue overflowed under the `'drop-oldest'` policy and the oldest queued event was discarded to make room.
 * Reported through `onError` (with `kind: 'dropped'`) once per discarded event and counted as dropped.
 *
 * @example
 * ```ts
 * bus.onError((failure) => {
 *   if (failure.kind === 'dropped') metrics.dropped.inc({ topic: failure.topic });
 * });
 * ```
 */
export class EventBusEventDroppedError extends EventBusError {
  /** Topic of the discarded event. */
  readonly topic: string;

  /**
   * @param topic - topic of the discarded event
   * @param capacity - capacity of the full queue
   */
  constructor(topic: string, capacity: number) {
    super(
      'EVENT_BUS_EVENT_DROPPED',
      `expected room in the event queue, found all ${capacity} slots taken: dropped the oldest '${topic}' event (overflow policy 'drop-oldest')`,
    );
    this.name = 'EventBusEventDroppedError';
    this.topic = topic;
  }
}

/**
 * An option passed to the bus, the journal or the worker bridge is out of range.
 *
 * @example
 * ```ts
 * createEventBus({ maxDepth: 0 }); // throws EventBusOptionError (EVENT_BUS_INVALID_OPTION)
 * ```
 */
export class EventBusOptionError extends EventBusError {
  /** Dotted path of the offending option, e.g. `'queue.capacity'`. */
  readonly option: string;

  /**
   * @param option - dotted path of the offending option
   * @param expected - what the option must be
   * @param found - the value that was given
   */
  constructor(option: string, expected: string, found: unknown) {
    super('EVENT_BUS_INVALID_OPTION', `${option}: expected ${expected}, got ${String(found)}`);
    this.name = 'EventBusOptionError';
    this.option = option;
  }
}

/**
 * A journal line could not be read back: not JSON, or missing the `seq`/`topic` fields the replayer needs.
 *
 * @example
 * ```ts
 * try {
 *   await replayJournal(bus, 'session.ndjson');
 * } catch (error) {
 *   if (error instanceof EventBusJournalError) console.error(`${error.file}:${error.line}`);
 * }
 * ```
 */
export class EventBusJournalError extends EventBusError {
  /** Path of the journal file. */
  readonly file: string;
  /** 1-based line number of the bad record. */
  readonly line: number;

  /**
   * @param file - path of the journal
   * @param line - 1-based line number
   * @param expected - what the line should have held
   * @param found - a short description of what it held
   * @param options - the parse error, when there is one
   */
  constructor(file: string, line: number, expected: string, found: string, options?: { cause?: unknown }) {
    super('EVENT_BUS_JOURNAL_INVALID', `${file}:${line}: expected ${expected}, found ${found}`, options);
    this.name = 'EventBusJournalError';
    this.file = file;
    this.line = line;
  }
}

/**
 * The worker bridge saw a protocol violation: a batch out of order (lost or duplicated), or an unknown message.
 *
 * @example
 * ```ts
 * bus.onError((failure) => {
 *   if (failure.error instanceof EventBusBridgeError) console.error(failure.error.message);
 * });
 * ```
 */
export class EventBusBridgeError extends EventBusError {
  /**
   * @param expected - what the bridge expected to receive
   * @param found - what it received
   */
  constructor(expected: string, found: string) {
    super('EVENT_BUS_BRIDGE_PROTOCOL', `worker bridge: expected ${expected}, found ${found}`);
    this.name = 'EventBusBridgeError';
  }
}
