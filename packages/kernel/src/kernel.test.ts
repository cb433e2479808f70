import { setTimeout as sleep } from 'node:timers/promises';
import { createEventBus } from '@algospace/event-bus';
import { describe, expect, it } from 'vitest';
import type { Component, ComponentState } from './component.js';
import { createKernel, type Kernel, type KernelOptions } from './kernel.js';
import { ComponentError, KernelError } from './kernel-error.js';
import { type ComponentStateChange, KERNEL_TOPICS, type KernelStateChange } from './kernel-events.js';

interface LogLine {
  level: number;
  component?: string;
  msg: string;
  [key: string]: unknown;
}

function testKernel<Events extends object = Record<string, unknown>>(
  options: Partial<KernelOptions<Events>> = {},
) {
  const lines: LogLine[] = [];
  const kernel = createKernel<Events>({
    mode: 'backtest',
    monitoring: false,
    logger: {
      format: 'json',
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    },
    ...options,
  });
  const calls: string[] = [];
  const changes: ComponentStateChange[] = [];
  kernel.bus.subscribe(KERNEL_TOPICS.componentState, (change) => changes.push(change));
  return { kernel, calls, changes, lines };
}

function recorder(calls: string[], name: string, extra: Partial<Component> = {}): Component {
  return {
    name,
    init() {
      calls.push(`init ${name}`);
    },
    start() {
      calls.push(`start ${name}`);
    },
    stop() {
      calls.push(`stop ${name}`);
    },
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it resolved');
}

const states = (kernel: Kernel) =>
  Object.fromEntries(kernel.status().components.map((component) => [component.name, component.state]));

describe('kernel lifecycle', () => {
  it('initialises all components in dependency order, then starts them, then stops them in reverse', async () => {
    const { kernel, calls } = testKernel();
    kernel
      .register(recorder(calls, 'strategy', { dependsOn: ['indicators', 'bars'] }))
      .register(recorder(calls, 'bars', { dependsOn: ['feed'] }))
      .register(recorder(calls, 'indicators', { dependsOn: ['bars'] }))
      .register(recorder(calls, 'feed'));
    await kernel.start();
    expect(calls).toEqual([
      'init feed',
      'init bars',
      'init indicators',
      'init strategy',
      'start feed',
      'start bars',
      'start indicators',
      'start strategy',
    ]);
    expect(kernel.status().state).toBe('running');
    calls.length = 0;
    await kernel.stop();
    expect(calls).toEqual(['stop strategy', 'stop indicators', 'stop bars', 'stop feed']);
  });

  it('publishes every state change on the bus: created → initializing → ready → running → stopping → stopped', async () => {
    const { kernel, changes } = testKernel();
    const kernelChanges: KernelStateChange[] = [];
    kernel.bus.subscribe(KERNEL_TOPICS.kernelState, (change) => kernelChanges.push(change));
    kernel.register({ name: 'only', init() {} });
    await kernel.start();
    await kernel.stop('test over');
    expect(changes.map((change) => `${change.from}→${change.to}`)).toEqual([
      'created→initializing',
      'initializing→ready',
      'ready→running',
      'running→stopping',
      'stopping→stopped',
    ]);
    expect(changes.every((change) => change.component === 'only' && typeof change.at === 'number')).toBe(
      true,
    );
    expect(kernelChanges.map((change) => change.to)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(kernelChanges[2]?.reason).toBe('test over');
  });

  it('names the cycle when dependencies form one, and initialises nothing', async () => {
    const { kernel, calls } = testKernel();
    kernel
      .register(recorder(calls, 'a', { dependsOn: ['c'] }))
      .register(recorder(calls, 'b', { dependsOn: ['a'] }))
      .register(recorder(calls, 'c', { dependsOn: ['b'] }))
      .register(recorder(calls, 'free'));
    const error = await rejection(kernel.start());
    expect(KernelError.isInstance(error) && error.code).toBe('KERNEL_DEPENDENCY_CYCLE');
    expect((error as Error).message).toBe(
      'expected component dependencies to form no cycle, got a → c → b → a',
    );
    expect(calls).toEqual([]);
    expect(await kernel.done).toEqual({ reason: `start failed: ${(error as Error).message}`, failed: true });
  });

  it('rejects a dependency on an unregistered component, naming both', async () => {
    const { kernel } = testKernel();
    kernel.register({ name: 'bars', dependsOn: ['feeed'], init() {} }).register({ name: 'feed', init() {} });
    const error = await rejection(kernel.start());
    expect(KernelError.isInstance(error) && error.code).toBe('KERNEL_UNKNOWN_DEPENDENCY');
    expect((error as Error).message).toContain('bars depends on "feeed"');
  });

  it('refuses duplicate names and registration after start', async () => {
    const { kernel } = testKernel();
    kernel.register({ name: 'x', init() {} });
    expect(() => kernel.register({ name: 'x', init() {} })).toThrow(/unique, got "x" twice/);
    await kernel.start();
    expect(() => kernel.register({ name: 'y', init() {} })).toThrow(KernelError);
    await kernel.stop();
  });
});

describe('kernel failure handling', () => {
  it('stops the components initialised before a failing init in reverse order and never starts the rest', async () => {
    const { kernel, calls, lines } = testKernel();
    const cause = new Error('cannot open database');
    kernel
      .register(recorder(calls, 'one'))
      .register(recorder(calls, 'two', { dependsOn: ['one'] }))
      .register(
        recorder(calls, 'three', {
          dependsOn: ['two'],
          init() {
            calls.push('init three');
            throw cause;
          },
        }),
      )
      .register(recorder(calls, 'four', { dependsOn: ['three'] }));
    const error = await rejection(kernel.start());
    expect(calls).toEqual(['init one', 'init two', 'init three', 'stop two', 'stop one']);
    expect(ComponentError.isInstance(error)).toBe(true);
    const failure = error as ComponentError;
    expect([failure.code, failure.component, failure.phase, failure.cause]).toEqual([
      'KERNEL_INIT_FAILED',
      'three',
      'init',
      cause,
    ]);
    expect(failure.message).toBe('expected component "three" to init, got an error: cannot open database');
    expect(states(kernel)).toEqual({ one: 'stopped', two: 'stopped', three: 'failed', four: 'created' });
    expect(await kernel.done).toMatchObject({ failed: true });
    expect(lines.some((line) => line.msg.includes('stopping the 2 component(s) initialised so far'))).toBe(
      true,
    );
  });

  it('cleans up when a start fails, stopping the failed component too since its init succeeded', async () => {
    const { kernel, calls } = testKernel();
    kernel.register(recorder(calls, 'one')).register(
      recorder(calls, 'two', {
        dependsOn: ['one'],
        start() {
          throw new Error('port busy');
        },
      }),
    );
    const error = (await rejection(kernel.start())) as ComponentError;
    expect([error.code, error.component, error.phase]).toEqual(['KERNEL_START_FAILED', 'two', 'start']);
    expect(calls).toEqual(['init one', 'init two', 'start one', 'stop two', 'stop one']);
  });

  it('fails an init that exceeds its timeout and names the component and the limit', async () => {
    const { kernel, calls } = testKernel({ initTimeoutMs: 5_000 });
    kernel.register(recorder(calls, 'fast')).register(
      recorder(calls, 'slow', {
        timeouts: { init: 50 },
        init: () => new Promise(() => {}),
      }),
    );
    const error = (await rejection(kernel.start())) as ComponentError;
    expect([error.code, error.component, error.phase]).toEqual(['KERNEL_COMPONENT_TIMEOUT', 'slow', 'init']);
    expect(error.message).toBe(
      'expected component "slow" to finish init within 50 ms, got no result in time',
    );
    expect(calls).toEqual(['init fast', 'stop fast']);
  });

  it('keeps stopping the others when one stop throws or hangs, and reports the shutdown as failed', async () => {
    const { kernel, calls } = testKernel({ stopTimeoutMs: 50 });
    kernel
      .register(recorder(calls, 'a'))
      .register(recorder(calls, 'b', { stop: () => new Promise(() => {}) }))
      .register(
        recorder(calls, 'c', {
          stop() {
            throw new Error('flush failed');
          },
        }),
      );
    await kernel.start();
    const result = await kernel.stop('maintenance');
    expect(result).toEqual({ reason: 'maintenance', failed: true });
    expect(calls.filter((call) => call.startsWith('stop'))).toEqual(['stop a']);
    expect(states(kernel)).toEqual({ a: 'stopped', b: 'failed', c: 'failed' });
    expect(kernel.status().state).toBe('failed');
  });

  it('gives up on a shutdown that exceeds its deadline', async () => {
    const { kernel } = testKernel({ shutdownDeadlineMs: 80, stopTimeoutMs: 60_000 });
    kernel.register({ name: 'stuck', init() {}, stop: () => new Promise(() => {}) });
    await kernel.start();
    const began = performance.now();
    const result = await kernel.stop('deploy');
    expect(performance.now() - began, 'bounded by the deadline, not the 60 s stop timeout').toBeLessThan(
      5_000,
    );
    expect(result).toEqual({ reason: 'deploy (shutdown deadline exceeded)', failed: true });
    expect(states(kernel)).toEqual({ stuck: 'failed' });
  });

  it('logs, counts and degrades a component whose handler throws a non-critical error, and keeps running', async () => {
    const { kernel, lines } = testKernel<{ price: number }>();
    const bus = kernel.bus;
    kernel.register({
      name: 'strategy',
      init(context) {
        context.bus.subscribe('price', (price) => {
          if (price < 0) throw new Error(`negative price ${price}`);
        });
      },
    });
    await kernel.start();
    bus.publish('price', 1);
    bus.publish('price', -1);
    bus.publish('price', -2);
    const status = kernel.status();
    expect(status.state).toBe('running');
    expect(status.components[0]).toMatchObject({
      name: 'strategy',
      state: 'degraded',
      errors: 2,
      lastError: 'negative price -2',
    });
    expect(status.errors).toBe(2);
    const errorLines = lines.filter((line) => line.msg === 'error in strategy handling price');
    expect(errorLines).toHaveLength(2);
    expect(errorLines[0]).toMatchObject({
      level: 50,
      component: 'kernel',
      failedComponent: 'strategy',
      topic: 'price',
    });
    const text = await kernel.metrics.metrics();
    expect(text).toContain('algospace_component_errors_total{component="strategy",critical="false"} 2');
    expect(text).toContain('algospace_component_state{component="strategy",state="degraded"} 1');
    await kernel.stop();
  });

  it('shuts down gracefully and reports failure when a critical component errors', async () => {
    const { kernel, calls } = testKernel<{ order: number }>();
    const bus = kernel.bus;
    kernel.register(recorder(calls, 'feed') as Component<{ order: number }>).register({
      name: 'execution',
      critical: true,
      dependsOn: ['feed'],
      init(context) {
        context.bus.subscribe('order', () => {
          throw new Error('broker rejected the order');
        });
      },
      stop() {
        calls.push('stop execution');
      },
    });
    await kernel.start();
    bus.publish('order', 1);
    const result = await kernel.done;
    expect(result).toEqual({
      reason: 'critical error in execution: broker rejected the order',
      failed: true,
    });
    expect(calls.slice(-2), 'resources of the failed component are released too').toEqual([
      'stop execution',
      'stop feed',
    ]);
    expect(states(kernel)).toEqual({ feed: 'stopped', execution: 'failed' });
  });

  it('lets a component report its own errors through the context', async () => {
    const { kernel } = testKernel();
    let report: ((error: unknown, options?: { critical?: boolean }) => void) | undefined;
    kernel.register({
      name: 'socket',
      init(context) {
        report = context.reportError;
      },
    });
    await kernel.start();
    report?.(new Error('reconnecting'));
    expect(states(kernel)).toEqual({ socket: 'degraded' });
    report?.(new Error('gave up'), { critical: true });
    expect(await kernel.done).toEqual({ reason: 'critical error in socket: gave up', failed: true });
  });

  it('marks a component degraded when it reports an error before it is running', async () => {
    const { kernel } = testKernel();
    kernel.register({
      name: 'warm-up',
      init() {},
      start(context) {
        context.reportError(new Error('first snapshot incomplete'));
      },
    });
    await kernel.start();
    expect(kernel.status().components[0]).toMatchObject({ state: 'degraded', errors: 1 });
    await kernel.stop();
  });

  it('shuts down once however often stop is called, and every caller gets the first result', async () => {
    const { kernel, calls } = testKernel();
    kernel.register(recorder(calls, 'only'));
    await kernel.start();
    const results = await Promise.all([kernel.stop('first'), kernel.stop('second'), kernel.stop()]);
    expect(results).toEqual([
      { reason: 'first', failed: false },
      { reason: 'first', failed: false },
      { reason: 'first', failed: false },
    ]);
    expect(await kernel.stop('later')).toEqual({ reason: 'first', failed: false });
    expect(calls.filter((call) => call === 'stop only')).toHaveLength(1);
  });

  it('aborts a start in progress when stop is requested, stopping what was initialised', async () => {
    const { kernel, calls } = testKernel();
    let releaseInit: () => void = () => {};
    kernel.register(recorder(calls, 'first')).register(
      recorder(calls, 'slow', {
        dependsOn: ['first'],
        init: () =>
          new Promise<void>((resolve) => {
            releaseInit = resolve;
          }),
      }),
    );
    kernel.register(recorder(calls, 'never', { dependsOn: ['slow'] }));
    const starting = kernel.start();
    await sleep(10);
    const stopping = kernel.stop('SIGTERM');
    releaseInit();
    const error = await rejection(starting);
    expect(KernelError.isInstance(error) && error.code).toBe('KERNEL_START_ABORTED');
    expect(await stopping).toEqual({ reason: 'SIGTERM', failed: false });
    expect(calls).toEqual(['init first', 'stop slow', 'stop first']);
  });

  it('aborts the context signal when shutdown begins', async () => {
    const { kernel } = testKernel();
    let signal: AbortSignal | undefined;
    kernel.register({
      name: 'timer',
      init(context) {
        signal = context.signal;
      },
    });
    await kernel.start();
    expect(signal?.aborted).toBe(false);
    await kernel.stop('bye');
    expect([signal?.aborted, signal?.reason]).toEqual([true, 'bye']);
  });
});

describe('kernel status and logs', () => {
  it('reports components with states and health, uptime, mode and bus statistics', async () => {
    const { kernel } = testKernel({ mode: 'paper' });
    kernel.register({ name: 'feed', init() {}, health: () => ({ status: 'degraded', detail: 'lagging' }) });
    const before = kernel.status();
    expect([before.state, before.uptimeMs, before.components[0]?.state]).toEqual(['created', 0, 'created']);
    await kernel.start();
    await sleep(5);
    const status = kernel.status();
    expect(status.mode).toBe('paper');
    expect(status.uptimeMs).toBeGreaterThan(0);
    expect(status.components).toEqual([
      {
        name: 'feed',
        state: 'running',
        dependsOn: [],
        critical: false,
        errors: 0,
        health: { status: 'degraded', detail: 'lagging' },
      },
    ]);
    expect(
      status.bus?.topics[KERNEL_TOPICS.componentState]?.published,
      'created→initializing→ready→running',
    ).toBe(3);
    await kernel.stop();
  });

  it('writes JSON log lines that carry the component name, with secrets redacted', async () => {
    const { kernel, lines } = testKernel();
    kernel.register({
      name: 'broker',
      init(context) {
        context.logger.info(
          { account: 'A1', credentials: { apiKey: 'k-123', password: 'p-456' } },
          'connected',
        );
      },
    });
    await kernel.start();
    await kernel.stop();
    const connected = lines.find((line) => line.msg === 'connected');
    expect(connected).toMatchObject({
      component: 'broker',
      account: 'A1',
      credentials: '[redacted]',
    });
    expect(JSON.stringify(lines)).not.toMatch(/k-123|p-456/);
    expect(
      lines.filter((line) => line.msg === 'kernel started' || line.msg === 'kernel stopped cleanly'),
    ).toHaveLength(2);
    expect(lines.every((line) => typeof line.component === 'string')).toBe(true);
  });

  it('accepts a bus from the application and publishes its lifecycle events there', async () => {
    const bus = createEventBus<{ tick: number }>();
    const seen: ComponentState[] = [];
    (
      bus as unknown as ReturnType<typeof createEventBus<{ 'kernel.component.state': ComponentStateChange }>>
    ).subscribe('kernel.component.state', (change) => seen.push(change.to));
    const kernel = createKernel({ mode: 'live', bus, monitoring: false, logger: { level: 'silent' } });
    expect(kernel.bus).toBe(bus);
    kernel.register({ name: 'x', init() {} });
    await kernel.start();
    await kernel.stop();
    expect(seen).toEqual(['initializing', 'ready', 'running', 'stopping', 'stopped']);
  });
});
