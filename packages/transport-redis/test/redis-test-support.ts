/**
 * Test support for suites that talk to Redis: the shared server (non-destructive use under a unique key
 * prefix, deleted afterwards), private throwaway servers for tests that kill or restart Redis, and polling.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The shared Redis the machine (and CI) runs. */
export const sharedRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let serial = 0;

/** A key prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  serial++;
  return `algospace-test:${name}:${process.pid}:${Date.now().toString(36)}:${serial}`;
}

/** Deletes every key under `prefix` on the server at `url`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls `condition` every 5 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A private redis-server on its own port and directory, which a test may kill and restart. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILLs the server (no shutdown save). */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Kills it and deletes its directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `redis-server --port <free> --save ''` in a temporary directory. With `appendOnly` the server keeps an
 * `appendfsync always` log there, so a killed and restarted server has every acknowledged write (what a
 * production Redis holding a trading pipeline's streams runs with); without it a restart starts empty.
 */
export async function startPrivateRedis(options: { appendOnly: boolean }): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'algospace-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--daemonize',
    'no',
  ];
  args.push(
    ...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  );
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch (error) {
        probe.disconnect();
        if (Date.now() > deadline)
          throw new Error(`private redis-server on port ${port} did not start: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  };
  const kill = async () => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: start,
    async dispose() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private Redis Cluster of masters without replicas, for the cluster tests. */
export interface PrivateCluster {
  /** `redis://127.0.0.1:<port>` of each master. */
  readonly urls: readonly string[];
  readonly ports: readonly number[];
  /** SIGKILLs every node and deletes their directory. */
  dispose(): Promise<void>;
}

/**
 * Starts `masters` `redis-server --cluster-enabled yes` processes on free ports in a temporary directory (no
 * persistence), joins them with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes` and waits
 * until every node reports `cluster_state:ok`. Nodes are killed by `dispose()` and, should the test process
 * die first, by an exit hook.
 */
export async function startPrivateCluster(masters = 3): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'algospace-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const killAll = () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const dispose = async () => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGKILL');
            }),
      ),
    );
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      // Ports are probed one at a time and used at once; a node also binds port + 10 000 for its bus.
      let port = await freePort();
      while (port > 55_000 || ports.includes(port)) port = await freePort();
      ports.push(port);
      children.push(
        spawn(
          process.env.REDIS_SERVER ?? 'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${port}.conf`),
            '--save',
            '',
            '--appendonly',
            'no',
            '--dir',
            dir,
            '--daemonize',
            'no',
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    const probes = ports.map((port) => {
      const probe = new Redis(port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => {});
      return probe;
    });
    try {
      for (const probe of probes) {
        const deadline = Date.now() + 10_000;
        for (;;) {
          try {
            if (probe.status !== 'ready') await probe.connect();
            await probe.ping();
            break;
          } catch (error) {
            probe.disconnect();
            if (Date.now() > deadline) throw new Error(`cluster node did not start: ${String(error)}`);
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }
      }
      await run(process.env.REDIS_CLI ?? 'redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const states = await Promise.all(
          probes.map((probe) => probe.call('CLUSTER', 'INFO') as Promise<string>),
        );
        if (states.every((info) => info.includes('cluster_state:ok'))) break;
        if (Date.now() > deadline)
          throw new Error(`cluster did not reach cluster_state:ok:\n${states.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const probe of probes) probe.disconnect();
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { urls: ports.map((port) => `redis://127.0.0.1:${port}`), ports, dispose };
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}
