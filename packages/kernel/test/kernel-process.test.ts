import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface LogLine {
  level: number;
  component?: string;
  msg: string;
  [key: string]: unknown;
}

interface RunningApp {
  child: ChildProcess;
  lines: LogLine[];
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startApp(script: string, env: Record<string, string> = {}): RunningApp {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    exit,
    waitForLine(predicate, timeoutMs = 20_000) {
      const found = lines.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(
            new Error(
              `no matching log line within ${timeoutMs} ms; stderr:\n${stderr}\nlines:\n${JSON.stringify(lines)}`,
            ),
          );
        }, timeoutMs);
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}

async function get(
  port: number,
  path: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

async function monitoringPort(app: RunningApp): Promise<number> {
  const line = await app.waitForLine((l) => l.msg === 'monitoring on /metrics, /health, /ready');
  return (line.address as { port: number }).port;
}

describe('a kernel application in a child process', () => {
  it('serves /metrics, /health and /ready over real HTTP, then shuts down on SIGTERM with exit code 0', async () => {
    const app = startApp('test/fixtures/kernel-app.ts');
    const port = await monitoringPort(app);
    await app.waitForLine((line) => line.msg === 'kernel started');

    const ready = await get(port, '/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', state: 'running', mode: 'paper' });
    const health = await get(port, '/health');
    expect(health.status).toBe(200);
    expect(
      JSON.parse(health.body).components.map((c: { name: string; state: string }) => `${c.name}:${c.state}`),
    ).toEqual(['feed:running', 'consumer:running', 'recorder:running']);
    expect((await get(port, '/nope')).status).toBe(404);

    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await get(port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    const published = /^algospace_bus_events_published_total\{topic="tick"\} (\d+)$/m.exec(metrics.body);
    expect(Number(published?.[1]), 'the feed publishes a tick every 5 ms').toBeGreaterThan(0);
    expect(metrics.body).toMatch(
      /^algospace_bus_handler_duration_seconds_count\{topic="tick",component="consumer"\} [1-9]\d*$/m,
    );
    expect(metrics.body).toContain('algospace_component_state{component="recorder",state="running"} 1');
    expect(metrics.body).toContain('algospace_kernel_info{mode="paper"} 1');
    expect(metrics.body).toMatch(/^algospace_bus_queue_depth 0$/m);
    expect(metrics.body).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
    expect(metrics.body).toMatch(/^process_resident_memory_bytes \d+$/m);

    app.child.kill('SIGTERM');
    const exit = await app.exit;
    expect(exit).toEqual({ code: 0, signal: null });
    const messages = app.lines.map((line) => `${line.component}: ${line.msg}`);
    const shutdown = messages.slice(
      messages.indexOf('kernel: received SIGTERM, shutting down gracefully (send it again to force exit)'),
    );
    expect(shutdown.filter((message) => !message.includes('→'))).toEqual([
      'kernel: received SIGTERM, shutting down gracefully (send it again to force exit)',
      'kernel: shutting down',
      'recorder: recorder closed',
      'consumer: consumer flushed',
      'feed: feed closed',
      'kernel: kernel stopped cleanly',
    ]);
    await expect(fetch(`http://127.0.0.1:${port}/health`), 'the server is closed').rejects.toThrow();
  });

  it('shuts down gracefully with exit code 1 when a critical component fails', async () => {
    const app = startApp('test/fixtures/kernel-app.ts', { FIXTURE_CRITICAL: '1' });
    const exit = await app.exit;
    expect(exit).toEqual({ code: 1, signal: null });
    const fatal = app.lines.find((line) => line.msg === 'critical error in consumer; shutting down');
    expect(fatal).toMatchObject({
      level: 60,
      component: 'kernel',
      topic: 'tick',
      failedComponent: 'consumer',
    });
    const messages = app.lines.map((line) => line.msg);
    expect(messages).toContain('consumer flushed');
    expect(messages).toContain('feed closed');
    expect(app.lines.at(-1)).toMatchObject({
      msg: 'kernel stopped after a failure',
      reason: 'critical error in consumer: position limit breached',
    });
  });

  it('forces exit on a second SIGTERM when a component will not stop, with exit code 143', async () => {
    const app = startApp('test/fixtures/kernel-app.ts', { FIXTURE_STUCK_STOP: '1' });
    await app.waitForLine((line) => line.msg === 'kernel started');
    app.child.kill('SIGTERM');
    await app.waitForLine((line) => line.msg === 'shutting down');
    app.child.kill('SIGTERM');
    const exit = await app.exit;
    expect(exit).toEqual({ code: 143, signal: null });
    expect(app.lines.at(-1)).toMatchObject({
      level: 60,
      msg: 'received SIGTERM again, forcing exit',
      exitCode: 143,
    });
  });
});

describe('memory', () => {
  it('leaves the heap within a few MB after 100 create → init → start → stop cycles of 11 components', async () => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/fixtures/memory-cycles.ts', '100'],
      {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(output) as { cycles: number; growthMB: number };
    expect(result.cycles).toBe(100);
    expect(result.growthMB, 'heap growth after forced GC, in MB').toBeLessThan(3);
  });
});
