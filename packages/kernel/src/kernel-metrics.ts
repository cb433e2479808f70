/**
 * The kernel's Prometheus metrics. Each kernel owns a prom-client `Registry` (many kernels can live in one
 * process, e.g. in tests); bus counters, component states and uptime are read at scrape time, so they cost
 * nothing per event. Process and event-loop metrics come from one process-wide registry, created once,
 * because prom-client's default collectors install process-wide observers that must not multiply.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { COMPONENT_STATES, type ComponentState } from './component.js';
import type { KernelState } from './kernel-events.js';
import type { KernelMode } from './kernel-mode.js';
import type { BusStatistics } from './observable-bus.js';
import { SampledLatencyHistogram } from './sampled-latency-histogram.js';

const kernelStates: readonly KernelState[] = [
  'created',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failed',
];

/** Seconds; handler calls range from sub-microsecond to "someone did I/O in a handler". */
const latencyBuckets = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.5, 1, 5];

/** What the metrics read from the kernel at scrape time. */
export interface MetricsSource {
  readonly mode: KernelMode;
  kernelState(): KernelState;
  componentStates(): Iterable<readonly [string, ComponentState]>;
  busStatistics(): BusStatistics | undefined;
  uptimeSeconds(): number;
}

let processRegistry: Registry | undefined;

function sharedProcessRegistry(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The kernel's metrics and the one instrument updated outside scrapes (handler latency). */
export interface KernelMetrics {
  /** This kernel's registry: add application metrics here. */
  readonly registry: Registry;
  /** Returns the latency observer for (topic, component): label lookup is done once, not per sample. */
  latencyObserver(topic: string, component: string): (seconds: number) => void;
  /** Counts one runtime error of `component`. */
  countError(component: string, critical: boolean): void;
  /** The Prometheus text exposition of this kernel's and the process's metrics. */
  render(): Promise<string>;
  /** The content type of {@link KernelMetrics.render}'s output. */
  readonly contentType: string;
}

/** Creates the metrics of one kernel. */
export function createKernelMetrics(source: MetricsSource): KernelMetrics {
  const registry = new Registry();
  const topicCounter = (name: string, help: string, pick: (t: BusStatistics['topics'][string]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['topic'],
      registers: [registry],
      collect() {
        const stats = source.busStatistics();
        this.reset();
        if (stats === undefined) return;
        for (const [topic, counters] of Object.entries(stats.topics)) this.inc({ topic }, pick(counters));
      },
    });
  topicCounter(
    'algospace_bus_events_published_total',
    'Events published on the bus, per topic.',
    (t) => t.published,
  );
  topicCounter(
    'algospace_bus_events_delivered_total',
    'Handler deliveries that returned normally, per topic.',
    (t) => t.delivered,
  );
  topicCounter(
    'algospace_bus_handler_failures_total',
    'Handler deliveries that threw, per topic.',
    (t) => t.failed,
  );
  topicCounter(
    'algospace_bus_events_dropped_total',
    'Events dropped (queue overflow, recursion), per topic.',
    (t) => t.dropped,
  );
  new Gauge({
    name: 'algospace_bus_queue_depth',
    help: 'Events waiting in the bus queue.',
    registers: [registry],
    collect() {
      this.set(source.busStatistics()?.queueDepth ?? 0);
    },
  });
  new Gauge({
    name: 'algospace_bus_dispatch_latency_seconds',
    help: "The bus's own sampled latency from publish to handler call, over its recent window.",
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      this.reset();
      const latency = source.busStatistics()?.latency;
      if (latency === undefined || latency.count === 0) return;
      this.set({ quantile: '0.5' }, latency.p50Us / 1e6);
      this.set({ quantile: '0.9' }, latency.p90Us / 1e6);
      this.set({ quantile: '0.99' }, latency.p99Us / 1e6);
      this.set({ quantile: '1' }, latency.maxUs / 1e6);
    },
  });
  const latency = new SampledLatencyHistogram(
    'algospace_bus_handler_duration_seconds',
    'Sampled handler execution time (one call in N), per topic and subscribing component.',
    latencyBuckets,
    registry,
  );
  new Gauge({
    name: 'algospace_component_state',
    help: 'Component lifecycle state: 1 for the current state, 0 for the others.',
    labelNames: ['component', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [component, current] of source.componentStates()) {
        for (const state of COMPONENT_STATES) this.set({ component, state }, state === current ? 1 : 0);
      }
    },
  });
  const errors = new Counter({
    name: 'algospace_component_errors_total',
    help: 'Runtime errors reported for a component (bus handler failures and reportError).',
    labelNames: ['component', 'critical'],
    registers: [registry],
  });
  new Gauge({
    name: 'algospace_kernel_state',
    help: 'Kernel state: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = source.kernelState();
      for (const state of kernelStates) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'algospace_kernel_uptime_seconds',
    help: 'Seconds since the kernel finished starting (0 before).',
    registers: [registry],
    collect() {
      this.set(source.uptimeSeconds());
    },
  });
  new Gauge({
    name: 'algospace_kernel_info',
    help: 'Always 1; the mode label says how the kernel runs.',
    labelNames: ['mode'],
    registers: [registry],
  }).set({ mode: source.mode }, 1);

  return {
    registry,
    contentType: registry.contentType,
    latencyObserver(topic, component) {
      return latency.observer({ topic, component });
    },
    countError(component, critical) {
      errors.inc({ component, critical: String(critical) });
    },
    async render() {
      const [own, process] = await Promise.all([registry.metrics(), sharedProcessRegistry().metrics()]);
      return `${own}\n${process}`;
    },
  };
}
