/**
 * `createKernel`: registers components, orders them by dependency, drives their lifecycle (init → start →
 * stop) with timeouts, turns bus handler failures into degraded components or a graceful shutdown, and serves
 * health and metrics. Configuration loading is separate (`config-loader.ts`): the kernel takes plain options.
 */
import { constants } from 'node:os';
import { createEventBus, type EventBus } from '@algospace/event-bus';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Component, ComponentContext, ComponentHealth, ComponentState } from './component.js';
import { componentBusView } from './component-bus.js';
import { orderByDependencies } from './dependency-order.js';
import { ComponentError, type ComponentPhase, KernelError } from './kernel-error.js';
import { KERNEL_TOPICS, type KernelEvents, type KernelState } from './kernel-events.js';
import { createKernelLogger, type KernelLoggerOptions } from './kernel-logger.js';
import { createKernelMetrics, type KernelMetrics } from './kernel-metrics.js';
import type { KernelMode, KernelSettings } from './kernel-mode.js';
import { type MonitoringServer, type ProbeAnswer, startMonitoringServer } from './monitoring-server.js';
import {
  type BusHandlerFailure,
  type BusStatistics,
  type ObservableBus,
  readBusStatistics,
} from './observable-bus.js';
import { withTimeout } from './with-timeout.js';

/**
 * Options of {@link createKernel}.
 *
 * @example
 * ```ts
 * const options: KernelOptions = { mode: 'backtest', monitoring: { port: 0 }, stopTimeoutMs: 5_000 };
 * ```
 */
export interface KernelOptions<Events extends object = Record<string, unknown>> {
  /** Run mode, handed to every component. */
  readonly mode: KernelMode;
  /** The bus to drive. Default: a new `createEventBus()`. */
  readonly bus?: EventBus<Events>;
  /** A pino logger to use as is, or options for {@link createKernelLogger}. Default: `{}`. */
  readonly logger?: Logger | KernelLoggerOptions;
  /**
   * Where the monitoring server listens (`/metrics`, `/health`, `/ready`), or `false` for no server and no
   * latency sampling. Default: `{ host: '127.0.0.1', port: 9090 }`; port 0 picks a free port.
   */
  readonly monitoring?: { readonly port?: number; readonly host?: string } | false;
  /** Time allowed for each component's `init`. Default: 30 000 ms. */
  readonly initTimeoutMs?: number;
  /** Time allowed for each component's `start`. Default: 30 000 ms. */
  readonly startTimeoutMs?: number;
  /** Time allowed for each component's `stop`. Default: 10 000 ms. */
  readonly stopTimeoutMs?: number;
  /** Time allowed for the whole shutdown; components still stopping then are marked failed. Default: 30 000 ms. */
  readonly shutdownDeadlineMs?: number;
  /** Time one handler call in this many for the latency histogram. Default: 64. */
  readonly latencySampleEvery?: number;
}

/**
 * How a kernel's run ended: `failed` is false only for a requested shutdown (stop(), a signal) in which
 * every component stopped in time.
 *
 * @example
 * ```ts
 * const { reason, failed } = await kernel.done;
 * process.exitCode = failed ? 1 : 0;
 * ```
 */
export interface ShutdownResult {
  /** Why the kernel shut down: `'SIGTERM'`, the `stop()` reason, or the failure. */
  readonly reason: string;
  /** True after an init/start failure, a critical runtime error, a failed stop or a missed deadline. */
  readonly failed: boolean;
}

/**
 * One component as `kernel.status()` reports it.
 *
 * @example
 * ```ts
 * const degraded = kernel.status().components.filter((c: ComponentStatus) => c.state === 'degraded');
 * ```
 */
export interface ComponentStatus {
  /** Component name. */
  readonly name: string;
  /** Current lifecycle state. */
  readonly state: ComponentState;
  /** Its declared dependencies. */
  readonly dependsOn: readonly string[];
  /** Whether its runtime errors shut the kernel down. */
  readonly critical: boolean;
  /** Runtime errors reported for it so far. */
  readonly errors: number;
  /** Message of the latest error, if any. */
  readonly lastError?: string;
  /** What its `health()` returned, when it has one (a throwing `health()` reads as failed). */
  readonly health?: ComponentHealth;
}

/**
 * A snapshot of the kernel: `kernel.status()`.
 *
 * @example
 * ```ts
 * const { state, mode, uptimeMs, components, bus } = kernel.status();
 * ```
 */
export interface KernelStatus {
  /** Kernel state. */
  readonly state: KernelState;
  /** Run mode. */
  readonly mode: KernelMode;
  /** Milliseconds since start completed (0 before that). */
  readonly uptimeMs: number;
  /** Components in dependency order (registration order before start). */
  readonly components: readonly ComponentStatus[];
  /** The bus's statistics, when the bus reports them. */
  readonly bus: BusStatistics | undefined;
  /** Runtime errors reported across all components (including unattributed bus failures). */
  readonly errors: number;
}

/**
 * Options of `kernel.installSignalHandlers()`.
 *
 * @example
 * ```ts
 * kernel.installSignalHandlers({ exit: false });
 * ```
 */
export interface SignalHandlerOptions {
  /**
   * Set `process.exitCode` when the kernel is done (0 clean, 1 failed) and exit if open handles keep the
   * process alive 2 s later. Also exits with 128 + signal number on a second signal. Default: true.
   */
  readonly exit?: boolean;
  /** Signals that trigger a graceful shutdown. Default: `['SIGINT', 'SIGTERM']`. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * A running composition of components. Create it with {@link createKernel}.
 *
 * @example
 * ```ts
 * const kernel = createKernel({ mode: 'paper', monitoring: { port: 9090 } });
 * kernel.register(feed).register(strategy);
 * kernel.installSignalHandlers();
 * await kernel.start();
 * const { failed } = await kernel.done;
 * ```
 */
export interface Kernel<Events extends object = Record<string, unknown>> {
  /** Run mode. */
  readonly mode: KernelMode;
  /** The kernel's bus; lifecycle events are published on it (see {@link KERNEL_TOPICS}). */
  readonly bus: EventBus<Events & KernelEvents>;
  /** The root logger; components get children carrying `component`. */
  readonly logger: Logger;
  /** This kernel's Prometheus registry (served at `/metrics`): register application metrics here. */
  readonly metrics: Registry;
  /** Resolves once shutdown has completed, however it was triggered. Never rejects. */
  readonly done: Promise<ShutdownResult>;
  /**
   * Adds a component. Only before `start()`; names must be unique.
   *
   * @throws KernelError `KERNEL_DUPLICATE_COMPONENT` or `KERNEL_ALREADY_STARTED`.
   */
  register(component: Component<Events>): this;
  /**
   * Starts monitoring, then initialises every component in dependency order, then starts them in that
   * order. If one fails, the components initialised so far are stopped in reverse order and the returned
   * promise rejects with a {@link ComponentError} naming the component and keeping the cause. Calling it again
   * returns the same promise.
   */
  start(): Promise<void>;
  /**
   * Stops every initialised component in reverse dependency order (each within its stop timeout, the whole
   * within the shutdown deadline). Idempotent: every call returns the first shutdown's result.
   */
  stop(reason?: string): Promise<ShutdownResult>;
  /** Component states, uptime, mode and bus statistics. */
  status(): KernelStatus;
  /**
   * Shuts down gracefully on SIGINT/SIGTERM (a second signal forces exit) and on uncaught exceptions;
   * returns the function that removes the handlers.
   */
  installSignalHandlers(options?: SignalHandlerOptions): () => void;
  /** Where the monitoring server listens, once `start()` has bound it; undefined when monitoring is off. */
  monitoringAddress(): { host: string; port: number } | undefined;
}

interface Entry<Events extends object> {
  readonly component: Component<Events>;
  state: ComponentState;
  errors: number;
  lastError: string | undefined;
  initialized: boolean;
  stopCalled: boolean;
  context: ComponentContext<Events> | undefined;
  logger: Logger | undefined;
}

const defaults = {
  initTimeoutMs: 30_000,
  startTimeoutMs: 30_000,
  stopTimeoutMs: 10_000,
  shutdownDeadlineMs: 30_000,
  latencySampleEvery: 64,
  host: '127.0.0.1',
  port: 9090,
} as const;

/** Where the process is forced to exit if handles keep it alive after shutdown. */
const exitGraceMs = 2_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && typeof (value as Logger).child === 'function';
}

class KernelRuntime<Events extends object> implements Kernel<Events> {
  readonly mode: KernelMode;
  readonly bus: EventBus<Events & KernelEvents>;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly done: Promise<ShutdownResult>;

  readonly #options: KernelOptions<Events>;
  readonly #observable: ObservableBus;
  readonly #log: Logger;
  readonly #kernelMetrics: KernelMetrics;
  readonly #entries: Entry<Events>[] = [];
  readonly #handlerOwners = new Map<string, Entry<Events>>();
  readonly #abort = new AbortController();
  #order: Entry<Events>[] | undefined;
  #state: KernelState = 'created';
  #startPromise: Promise<void> | undefined;
  #shutdownPromise: Promise<ShutdownResult> | undefined;
  #pendingShutdown: { reason: string; failed: boolean } | undefined;
  #resolveDone!: (result: ShutdownResult) => void;
  #server: MonitoringServer | undefined;
  #unsubscribeErrors: (() => void) | undefined;
  #startedAt: number | undefined;
  #errors = 0;

  constructor(options: KernelOptions<Events>) {
    this.#options = options;
    this.mode = options.mode;
    this.bus = (options.bus ?? createEventBus<Events & KernelEvents>()) as EventBus<Events & KernelEvents>;
    this.#observable = this.bus as unknown as ObservableBus;
    this.logger = isLogger(options.logger) ? options.logger : createKernelLogger(options.logger ?? {});
    this.#log = this.logger.child({ component: 'kernel' });
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    this.#kernelMetrics = createKernelMetrics({
      mode: this.mode,
      kernelState: () => this.#state,
      componentStates: () => this.#entries.map((entry) => [entry.component.name, entry.state] as const),
      busStatistics: () => readBusStatistics(this.#observable),
      uptimeSeconds: () => this.#uptimeMs() / 1000,
    });
    this.metrics = this.#kernelMetrics.registry;
  }

  register(component: Component<Events>): this {
    if (this.#state !== 'created') {
      throw new KernelError(
        'KERNEL_ALREADY_STARTED',
        `expected to register "${component.name}" before start(), got a kernel in state ${this.#state}`,
      );
    }
    if (typeof component.name !== 'string' || component.name === '' || typeof component.init !== 'function') {
      throw new KernelError(
        'KERNEL_INVALID_COMPONENT',
        `expected a component with a non-empty name and an init function, got name ${JSON.stringify(component.name)}`,
      );
    }
    if (this.#entries.some((entry) => entry.component.name === component.name)) {
      throw new KernelError(
        'KERNEL_DUPLICATE_COMPONENT',
        `expected component names to be unique, got "${component.name}" twice`,
      );
    }
    this.#entries.push({
      component,
      state: 'created',
      errors: 0,
      lastError: undefined,
      initialized: false,
      stopCalled: false,
      context: undefined,
      logger: undefined,
    });
    return this;
  }

  start(): Promise<void> {
    this.#startPromise ??= this.#runStart();
    return this.#startPromise;
  }

  async #runStart(): Promise<void> {
    if (this.#state !== 'created') {
      throw new KernelError(
        'KERNEL_NOT_STARTABLE',
        `expected a newly created kernel, got state ${this.#state}`,
      );
    }
    const began = performance.now();
    this.#setKernelState('starting');
    try {
      const nodes = this.#entries.map((entry) => ({
        name: entry.component.name,
        dependsOn: entry.component.dependsOn ?? [],
        entry,
      }));
      this.#order = orderByDependencies(nodes).map((node) => node.entry);
      const monitoring = this.#options.monitoring ?? {};
      if (monitoring !== false) {
        this.#server = await startMonitoringServer(
          monitoring.host ?? defaults.host,
          monitoring.port ?? defaults.port,
          {
            metrics: async () => ({
              contentType: this.#kernelMetrics.contentType,
              text: await this.#kernelMetrics.render(),
            }),
            health: () => this.#healthAnswer(),
            ready: () => this.#readyAnswer(),
          },
          (error) => this.#log.warn({ err: error }, 'monitoring server error'),
        );
        this.#log.info({ address: this.#server.address }, 'monitoring on /metrics, /health, /ready');
      }
      if (typeof this.#observable.onError === 'function') {
        this.#unsubscribeErrors = this.#observable.onError((failure) => this.#onBusFailure(failure));
      }
      for (const entry of this.#order) {
        this.#throwIfShutdownRequested();
        await this.#runPhase(entry, 'init');
      }
      for (const entry of this.#order) {
        this.#throwIfShutdownRequested();
        await this.#runPhase(entry, 'start');
      }
      this.#throwIfShutdownRequested();
    } catch (error) {
      const pending = this.#pendingShutdown;
      const initialised = this.#entries.filter((entry) => entry.initialized).length;
      if (pending === undefined) {
        this.#log.error(
          { err: error, initialised },
          `start failed; stopping the ${initialised} component(s) initialised so far in reverse order`,
        );
      }
      await this.#shutdown(pending?.reason ?? `start failed: ${messageOf(error)}`, pending?.failed ?? true);
      throw error;
    }
    this.#startedAt = performance.now();
    this.#setKernelState('running');
    this.#log.info(
      { components: this.#entries.length, ms: Math.round((performance.now() - began) * 1000) / 1000 },
      'kernel started',
    );
  }

  #throwIfShutdownRequested(): void {
    const pending = this.#pendingShutdown;
    if (pending !== undefined) {
      throw new KernelError(
        'KERNEL_START_ABORTED',
        `expected start to complete, got a shutdown request first (${pending.reason})`,
      );
    }
  }

  async #runPhase(entry: Entry<Events>, phase: 'init' | 'start'): Promise<void> {
    const { component } = entry;
    const context = this.#contextFor(entry);
    if (phase === 'init') this.#setState(entry, 'initializing');
    else if (component.start === undefined) {
      this.#setState(entry, entry.errors > 0 ? 'degraded' : 'running');
      return;
    }
    const timeoutMs =
      phase === 'init'
        ? (component.timeouts?.init ?? this.#options.initTimeoutMs ?? defaults.initTimeoutMs)
        : (component.timeouts?.start ?? this.#options.startTimeoutMs ?? defaults.startTimeoutMs);
    try {
      await withTimeout(
        () => (phase === 'init' ? component.init(context) : component.start!(context)),
        timeoutMs,
        () => this.#timeoutError(component.name, phase, timeoutMs),
      );
    } catch (error) {
      if (phase === 'start') entry.initialized = true;
      this.#setState(entry, 'failed', messageOf(error));
      if (ComponentError.isInstance(error) && error.component === component.name) throw error;
      throw new ComponentError(
        phase === 'init' ? 'KERNEL_INIT_FAILED' : 'KERNEL_START_FAILED',
        component.name,
        phase,
        `expected component "${component.name}" to ${phase}, got an error: ${messageOf(error)}`,
        { cause: error },
      );
    }
    if (phase === 'init') {
      entry.initialized = true;
      this.#setState(entry, 'ready');
    } else if (entry.state === 'ready') {
      // An error reported while starting (the component was not running yet) still leaves it degraded.
      this.#setState(entry, entry.errors > 0 ? 'degraded' : 'running');
    }
  }

  #timeoutError(name: string, phase: ComponentPhase, ms: number): ComponentError {
    return new ComponentError(
      'KERNEL_COMPONENT_TIMEOUT',
      name,
      phase,
      `expected component "${name}" to finish ${phase} within ${ms} ms, got no result in time`,
    );
  }

  #contextFor(entry: Entry<Events>): ComponentContext<Events> {
    if (entry.context !== undefined) return entry.context;
    const { component } = entry;
    const critical = component.critical === true;
    const metricsOn = this.#options.monitoring !== false;
    const bus = componentBusView(this.bus, {
      component: component.name,
      critical,
      onHandlerName: (name) => this.#handlerOwners.set(name, entry),
      latencyObserver: metricsOn
        ? (topic) => this.#kernelMetrics.latencyObserver(topic, component.name)
        : undefined,
      sampleEvery: this.#options.latencySampleEvery ?? defaults.latencySampleEvery,
    });
    this.#handlerOwners.set(component.name, entry);
    const context: ComponentContext<Events> = {
      bus,
      logger: this.#loggerFor(entry),
      mode: this.mode,
      kernel: this,
      signal: this.#abort.signal,
      reportError: (error, options) =>
        this.#onRuntimeError(entry, error, options?.critical ?? critical, undefined),
    };
    entry.context = context;
    return context;
  }

  #loggerFor(entry: Entry<Events>): Logger {
    entry.logger ??= this.logger.child({ component: entry.component.name });
    return entry.logger;
  }

  #onBusFailure(failure: BusHandlerFailure): void {
    const entry = this.#handlerOwners.get(failure.handlerName);
    const critical = failure.critical === true || entry?.component.critical === true;
    this.#onRuntimeError(entry, failure.error, critical, failure.topic, failure.handlerName);
  }

  #onRuntimeError(
    entry: Entry<Events> | undefined,
    error: unknown,
    critical: boolean,
    topic: string | undefined,
    handlerName?: string,
  ): void {
    this.#errors++;
    const name = entry?.component.name ?? 'unattributed';
    this.#kernelMetrics.countError(name, critical);
    const details = { err: error, failedComponent: name, topic, handler: handlerName, critical };
    if (entry !== undefined) {
      entry.errors++;
      entry.lastError = messageOf(error);
    }
    if (critical) {
      this.#log.fatal(details, `critical error in ${name}; shutting down`);
      if (entry !== undefined && entry.state !== 'stopped') this.#setState(entry, 'failed', messageOf(error));
      void this.#requestShutdown(`critical error in ${name}: ${messageOf(error)}`, true);
      return;
    }
    this.#log.error(details, `error in ${name}${topic === undefined ? '' : ` handling ${topic}`}`);
    if (entry !== undefined && entry.state === 'running') this.#setState(entry, 'degraded', messageOf(error));
  }

  #requestShutdown(reason: string, failed: boolean): Promise<ShutdownResult> {
    if (this.#state === 'starting') {
      this.#pendingShutdown ??= { reason, failed };
      return this.done;
    }
    return this.#shutdown(reason, failed);
  }

  stop(reason = 'stop requested'): Promise<ShutdownResult> {
    return this.#requestShutdown(reason, false);
  }

  #shutdown(reason: string, failed: boolean): Promise<ShutdownResult> {
    this.#shutdownPromise ??= this.#runShutdown(reason, failed);
    return this.#shutdownPromise;
  }

  async #runShutdown(reason: string, failedAtStart: boolean): Promise<ShutdownResult> {
    const began = performance.now();
    let failed = failedAtStart;
    this.#setKernelState('stopping', reason);
    this.#log.info({ reason }, 'shutting down');
    this.#abort.abort(reason);
    const deadlineMs = this.#options.shutdownDeadlineMs ?? defaults.shutdownDeadlineMs;
    let timer: NodeJS.Timeout | undefined;
    let deadlineHit = false;
    const stopFailures = await Promise.race([
      this.#stopComponents(),
      new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          deadlineHit = true;
          resolve(0);
        }, deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    if (deadlineHit) {
      failed = true;
      const stuck = this.#entries
        .filter((entry) => entry.state === 'stopping')
        .map((entry) => entry.component.name);
      this.#log.error({ deadlineMs, stuck }, `shutdown deadline of ${deadlineMs} ms exceeded`);
      for (const entry of this.#entries)
        if (entry.state === 'stopping') this.#setState(entry, 'failed', 'shutdown deadline exceeded');
    }
    if (stopFailures > 0) failed = true;
    this.#unsubscribeErrors?.();
    this.#unsubscribeErrors = undefined;
    if (this.#server !== undefined) {
      await this.#server.close();
    }
    const result: ShutdownResult = {
      reason: deadlineHit ? `${reason} (shutdown deadline exceeded)` : reason,
      failed,
    };
    this.#setKernelState(failed ? 'failed' : 'stopped', result.reason);
    const ms = Math.round((performance.now() - began) * 1000) / 1000;
    if (failed) this.#log.error({ reason: result.reason, ms }, 'kernel stopped after a failure');
    else this.#log.info({ reason: result.reason, ms }, 'kernel stopped cleanly');
    this.#resolveDone(result);
    return result;
  }

  /** Stops initialised components in reverse order; resolves with the number that failed to stop. */
  async #stopComponents(): Promise<number> {
    const order = this.#order ?? this.#entries;
    let failures = 0;
    for (let index = order.length - 1; index >= 0; index--) {
      const entry = order[index]!;
      if (!entry.initialized || entry.stopCalled) continue;
      entry.stopCalled = true;
      const { component } = entry;
      const keepFailed = entry.state === 'failed';
      if (!keepFailed) this.#setState(entry, 'stopping');
      if (component.stop === undefined) {
        if (!keepFailed) this.#setState(entry, 'stopped');
        continue;
      }
      const timeoutMs = component.timeouts?.stop ?? this.#options.stopTimeoutMs ?? defaults.stopTimeoutMs;
      try {
        await withTimeout(
          () => component.stop!(),
          timeoutMs,
          () => this.#timeoutError(component.name, 'stop', timeoutMs),
        );
        if (!keepFailed) this.#setState(entry, 'stopped');
      } catch (error) {
        failures++;
        this.#log.error(
          { err: error, failedComponent: component.name },
          `component ${component.name} failed to stop`,
        );
        if (!keepFailed) this.#setState(entry, 'failed', messageOf(error));
      }
    }
    return failures;
  }

  #setState(entry: Entry<Events>, to: ComponentState, reason?: string): void {
    const from = entry.state;
    if (from === to) return;
    entry.state = to;
    const change = {
      component: entry.component.name,
      from,
      to,
      at: Date.now(),
      ...(reason === undefined ? {} : { reason }),
    };
    const level = to === 'failed' ? 'error' : to === 'degraded' ? 'warn' : 'debug';
    const logger = this.#loggerFor(entry);
    if (logger.isLevelEnabled(level)) logger[level](change, `${from} → ${to}`);
    this.#publish(KERNEL_TOPICS.componentState, change);
  }

  #setKernelState(to: KernelState, reason?: string): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#publish(KERNEL_TOPICS.kernelState, {
      from,
      to,
      at: Date.now(),
      ...(reason === undefined ? {} : { reason }),
    });
  }

  #publish(topic: string, payload: unknown): void {
    try {
      this.#observable.publish(topic, payload);
    } catch (error) {
      // A bus without isolation can throw out of publish; lifecycle bookkeeping must not be interrupted.
      this.#log.error({ err: error, topic }, 'a lifecycle event subscriber threw');
    }
  }

  #uptimeMs(): number {
    return this.#startedAt === undefined || this.#state !== 'running'
      ? 0
      : performance.now() - this.#startedAt;
  }

  status(): KernelStatus {
    const order = this.#order ?? this.#entries;
    return {
      state: this.#state,
      mode: this.mode,
      uptimeMs: this.#uptimeMs(),
      components: order.map((entry) => this.#componentStatus(entry)),
      bus: readBusStatistics(this.#observable),
      errors: this.#errors,
    };
  }

  #componentStatus(entry: Entry<Events>): ComponentStatus {
    const { component } = entry;
    let health: ComponentHealth | undefined;
    if (component.health !== undefined) {
      try {
        health = component.health();
      } catch (error) {
        health = { status: 'failed', detail: `health() threw: ${messageOf(error)}` };
      }
    }
    return {
      name: component.name,
      state: entry.state,
      dependsOn: component.dependsOn ?? [],
      critical: component.critical === true,
      errors: entry.errors,
      ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
      ...(health === undefined ? {} : { health }),
    };
  }

  #probeBody(status: KernelStatus, ok: boolean) {
    return {
      status: ok ? 'ok' : 'unavailable',
      state: status.state,
      mode: status.mode,
      uptimeSeconds: status.uptimeMs / 1000,
      components: status.components.map((component) => ({
        name: component.name,
        state: component.state,
        errors: component.errors,
        ...(component.health === undefined ? {} : { health: component.health }),
      })),
    };
  }

  #healthAnswer(): ProbeAnswer {
    const status = this.status();
    const ok =
      status.state !== 'failed' &&
      status.components.every(
        (component) => component.state !== 'failed' && component.health?.status !== 'failed',
      );
    return { ok, body: this.#probeBody(status, ok) };
  }

  #readyAnswer(): ProbeAnswer {
    const status = this.status();
    const ok =
      status.state === 'running' &&
      status.components.every(
        (component) => component.state === 'running' && (component.health?.status ?? 'ok') === 'ok',
      );
    return { ok, body: this.#probeBody(status, ok) };
  }

  installSignalHandlers(options: SignalHandlerOptions = {}): () => void {
    const exit = options.exit ?? true;
    const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      received++;
      if (received === 1) {
        this.#log.info(
          { signal },
          `received ${signal}, shutting down gracefully (send it again to force exit)`,
        );
        void this.stop(signal);
        return;
      }
      const code = 128 + (constants.signals[signal] ?? 15);
      this.#log.fatal({ signal, exitCode: code }, `received ${signal} again, forcing exit`);
      if (exit) process.exit(code);
    };
    const onCrash = (error: unknown) => {
      this.#log.fatal({ err: error }, 'uncaught error; shutting down');
      void this.#requestShutdown(`uncaught error: ${messageOf(error)}`, true);
    };
    for (const signal of signals) process.on(signal, onSignal);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    let installed = true;
    const uninstall = () => {
      if (!installed) return;
      installed = false;
      for (const signal of signals) process.off(signal, onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    };
    void this.done.then((result) => {
      if (!installed) return;
      if (exit) {
        process.exitCode = result.failed ? 1 : 0;
        // Unref'd: a process that has nothing left to do exits by itself with exitCode; one held open by a
        // leaked handle is exited here.
        setTimeout(() => process.exit(), exitGraceMs).unref();
      }
      // Keep handling signals until exit so a second SIGTERM still forces it; drop crash handlers now.
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    });
    return uninstall;
  }

  monitoringAddress(): { host: string; port: number } | undefined {
    return this.#server === undefined ? undefined : { ...this.#server.address };
  }
}

/**
 * Creates a kernel: a registry of components with a lifecycle, a bus, a logger, metrics and a monitoring
 * server. Nothing runs until `start()`.
 *
 * @example
 * ```ts
 * const kernel = createKernel({ mode: 'backtest', monitoring: false });
 * kernel.register({
 *   name: 'printer',
 *   init(context) {
 *     context.bus.subscribe('kernel.state', (change) => context.logger.info(change, 'kernel state'));
 *   },
 * });
 * await kernel.start();
 * await kernel.stop('done');
 * ```
 */
export function createKernel<Events extends object = Record<string, unknown>>(
  options: KernelOptions<Events>,
): Kernel<Events> {
  return new KernelRuntime(options);
}

/**
 * Turns validated {@link KernelSettings} (from a config using {@link kernelSettingsShape}) into
 * {@link KernelOptions}.
 *
 * @example
 * ```ts
 * const config = loadConfig({ path: 'settings.yaml', schema: z.object(kernelSettingsShape) });
 * const kernel = createKernel(kernelOptionsFromSettings(config));
 * ```
 */
export function kernelOptionsFromSettings(settings: KernelSettings): KernelOptions {
  return {
    mode: settings.mode,
    logger: { level: settings.logging.level, format: settings.logging.format },
    monitoring: settings.monitoring.enabled
      ? { host: settings.monitoring.host, port: settings.monitoring.port }
      : false,
  };
}
