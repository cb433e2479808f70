/**
 * The bus a component receives: the kernel's bus with subscriptions attributed to the component (handler
 * name and criticality default to the component's) and, when metrics are on, one handler call in N timed
 * for the latency histogram. Everything else is forwarded to the kernel's bus unchanged.
 */
import type { BusSubscribeOptions, ObservableBus } from './observable-bus.js';

/** How the view attributes and measures a component's subscriptions. */
export interface ComponentBusAttribution {
  /** The component's name: the default handler name. */
  readonly component: string;
  /** The component's criticality: the default `critical` of its subscriptions. */
  readonly critical: boolean;
  /** Called with each handler name the component subscribes under, so failures map back to it. */
  readonly onHandlerName: (handlerName: string) => void;
  /** Returns the observer of one handler's latency in seconds, or undefined when metrics are off. */
  readonly latencyObserver: ((topic: string) => (seconds: number) => void) | undefined;
  /** Time one call in this many. */
  readonly sampleEvery: number;
}

type Handler = (payload: unknown) => void;

function sampledHandler(handler: Handler, observe: (seconds: number) => void, every: number): Handler {
  let calls = 0;
  return (payload) => {
    // Counting is the only per-event cost; the clock is read on one call in `every`.
    if (++calls < every) {
      handler(payload);
      return;
    }
    calls = 0;
    const began = performance.now();
    try {
      handler(payload);
    } finally {
      observe((performance.now() - began) / 1000);
    }
  };
}

const forwarders = new WeakMap<object, object>();

/** One object per bus holding every bus method bound to it; component views inherit from it. */
function forwarderOf(bus: object): object {
  let forwarder = forwarders.get(bus);
  if (forwarder !== undefined) return forwarder;
  const target = bus as Record<string, unknown>;
  const built: Record<string, unknown> = {};
  // Forward every method (own or inherited, closures or class methods with private fields) bound to the bus.
  for (let layer: object | null = bus; layer !== null && layer !== Object.prototype; ) {
    for (const key of Object.getOwnPropertyNames(layer)) {
      if (key === 'constructor' || Object.hasOwn(built, key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(layer, key);
      if (descriptor === undefined) continue;
      if (typeof descriptor.value === 'function') built[key] = (descriptor.value as Handler).bind(bus);
      else Object.defineProperty(built, key, { get: () => target[key], enumerable: true });
    }
    layer = Object.getPrototypeOf(layer) as object | null;
  }
  forwarder = built;
  forwarders.set(bus, forwarder);
  return forwarder;
}

/** Builds a component's view of `bus`; see the module comment. */
export function componentBusView<B extends object>(bus: B, attribution: ComponentBusAttribution): B {
  const target = bus as unknown as ObservableBus;
  const view = Object.create(forwarderOf(bus)) as Record<string, unknown>;
  const attributed = (topic: string, handler: Handler, options: BusSubscribeOptions | undefined) => {
    const name = options?.name ?? attribution.component;
    attribution.onHandlerName(name);
    const observe = attribution.latencyObserver?.(topic);
    const wrapped =
      observe === undefined ? handler : sampledHandler(handler, observe, attribution.sampleEvery);
    return { wrapped, options: { ...options, name, critical: options?.critical ?? attribution.critical } };
  };
  view.subscribe = (topic: string, handler: Handler, options?: BusSubscribeOptions) => {
    const { wrapped, options: resolved } = attributed(topic, handler, options);
    return target.subscribe(topic, wrapped, resolved);
  };
  if (typeof target.once === 'function') {
    const once = target.once.bind(target);
    view.once = (topic: string, handler: Handler, options?: BusSubscribeOptions) => {
      const { wrapped, options: resolved } = attributed(topic, handler, options);
      return once(topic, wrapped, resolved);
    };
  }
  return view as B;
}
