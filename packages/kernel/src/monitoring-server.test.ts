import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createKernel } from './kernel.js';
import { KernelError } from './kernel-error.js';

async function get(port: number, path: string, method = 'GET') {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('monitoring server', () => {
  it('binds 127.0.0.1 on a free port with port 0, and reports the address only while it listens', async () => {
    const kernel = createKernel({ mode: 'backtest', monitoring: { port: 0 }, logger: { level: 'silent' } });
    expect(kernel.monitoringAddress()).toBeUndefined();
    await kernel.start();
    const address = kernel.monitoringAddress();
    expect(address?.host).toBe('127.0.0.1');
    expect(address?.port).toBeGreaterThan(0);
    await kernel.stop();
  });

  it('answers /ready 503 while a component is degraded and /health 503 once one has failed', async () => {
    const kernel = createKernel({ mode: 'paper', monitoring: { port: 0 }, logger: { level: 'silent' } });
    let report: (error: unknown) => void = () => {};
    let healthy = true;
    kernel.register({
      name: 'feed',
      init(context) {
        report = context.reportError;
      },
      health: () => (healthy ? { status: 'ok' } : { status: 'failed', detail: 'socket closed' }),
    });
    await kernel.start();
    const port = kernel.monitoringAddress()!.port;
    expect((await get(port, '/ready')).status).toBe(200);
    report(new Error('one bad message'));
    const ready = await get(port, '/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'unavailable',
      components: [{ name: 'feed', state: 'degraded', errors: 1 }],
    });
    expect((await get(port, '/health')).status, 'degraded is still alive').toBe(200);
    healthy = false;
    const health = await get(port, '/health');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body).components[0].health).toEqual({
      status: 'failed',
      detail: 'socket closed',
    });
    await kernel.stop();
  });

  it('answers HEAD without a body, refuses other methods with 405 and unknown paths with 404', async () => {
    const kernel = createKernel({ mode: 'backtest', monitoring: { port: 0 }, logger: { level: 'silent' } });
    await kernel.start();
    const port = kernel.monitoringAddress()!.port;
    const head = await get(port, '/metrics', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
    const post = await get(port, '/metrics', 'POST');
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await get(port, '/metrics/extra')).status).toBe(404);
    await kernel.stop();
  });

  it('serves application metrics registered on kernel.metrics next to the kernel and process metrics', async () => {
    const { Counter } = await import('prom-client');
    const kernel = createKernel({ mode: 'live', monitoring: { port: 0 }, logger: { level: 'silent' } });
    const trades = new Counter({ name: 'app_trades_total', help: 'Trades.', registers: [kernel.metrics] });
    trades.inc(3);
    await kernel.start();
    kernel.bus.subscribe('tick', () => {});
    for (let n = 0; n < 4096; n++) kernel.bus.publish('tick', n);
    const { body } = await get(kernel.monitoringAddress()!.port, '/metrics');
    expect(body).toMatch(/^app_trades_total 3$/m);
    expect(body).toMatch(/^algospace_kernel_state\{state="running"\} 1$/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m);
    expect(body, 'the bus times one handler call in 1024 by default').toMatch(
      /^algospace_bus_dispatch_latency_seconds\{quantile="0\.99"\} [\d.e-]+$/m,
    );
    await kernel.stop();
  });

  it('keeps the metrics of two kernels in one process apart', async () => {
    const a = createKernel({ mode: 'backtest', monitoring: false, logger: { level: 'silent' } });
    const b = createKernel({ mode: 'live', monitoring: false, logger: { level: 'silent' } });
    a.register({ name: 'only-a', init() {} });
    await a.start();
    expect(await a.metrics.metrics()).toContain('component="only-a"');
    expect(await b.metrics.metrics()).not.toContain('only-a');
    await a.stop();
  });

  it('fails start with KERNEL_MONITORING_LISTEN when the port is taken, and stops what it started', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const kernel = createKernel({ mode: 'backtest', monitoring: { port }, logger: { level: 'silent' } });
    let initialised = false;
    kernel.register({
      name: 'x',
      init() {
        initialised = true;
      },
    });
    const error = await kernel.start().catch((caught: unknown) => caught);
    expect(KernelError.isInstance(error) && error.code).toBe('KERNEL_MONITORING_LISTEN');
    expect((error as Error).message).toBe(
      `expected to serve monitoring on 127.0.0.1:${port}, got EADDRINUSE`,
    );
    expect(initialised, 'monitoring binds before any component initialises').toBe(false);
    expect((await kernel.done).failed).toBe(true);
    blocker.close();
  });
});
