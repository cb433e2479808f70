/**
 * The split roles on a real Redis Cluster: three masters started here on free ports (never the shared Redis),
 * joined with `redis-cli --cluster create`, killed at the end even when a test fails. The roles are real CLI
 * processes given the nodes as `--transport-redis URL,URL,URL` (or `transport.redis.url`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transportStreamKeys } from '@algospace/transport-redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The transport package's own cluster starter: one way to run a private cluster across the repository.
import {
  type PrivateCluster,
  startPrivateCluster,
} from '../../../../packages/transport-redis/test/redis-test-support.js';
import { describeWithMarketData, marketDataPath } from '../../../../test-support/market-data.js';

const bin = fileURLToPath(new URL('../../bin/algospace.js', import.meta.url));
const ES_TRADES = 'es_trades_databento_ESH4_20231225_2300-2400UTC.csv';
const work = mkdtempSync(join(tmpdir(), 'algospace-cluster-split-'));
const running = new Set<ChildProcess>();

function algospace(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, stderr });
    });
  });
}

/** results.json without what legitimately differs: the timing section and the process role. */
function comparable(dir: string): Record<string, unknown> {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, unknown> & {
    run: Record<string, unknown>;
  };
  const { timing: _timing, ...rest } = results;
  return { ...rest, run: { ...results.run, role: '(role)' } };
}

describe('the engine split into ingest and strategy processes over a three-master Redis Cluster', () => {
  let cluster: PrivateCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startPrivateCluster(3);
    client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  }, 60_000);

  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
  });

  afterAll(async () => {
    client?.disconnect();
    await cluster?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** Every key under `prefix` on any master (a Cluster client's KEYS asks one node only). */
  async function keysOnAnyNode(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for (const port of cluster.ports) {
      const node = new Redis(port, '127.0.0.1');
      try {
        found.push(...(await node.keys(`${prefix}:*`)));
      } finally {
        node.disconnect();
      }
    }
    return found.sort();
  }

  /** Writes the config both runs of a case share; with `urlInConfig` it names the nodes too. */
  function writeConfig(name: string, extraYaml: string, urlInConfig: boolean) {
    const prefix = `algospace-test:cluster-split:${process.pid}:${name}`;
    const config = join(work, `${name}.yaml`);
    writeFileSync(
      config,
      `${extraYaml}output:\n  report: false\n  progress: off\ntransport:\n  redis:\n    prefix: ${prefix}\n${urlInConfig ? `    url: ${cluster.urls.join(',')}\n` : ''}`,
    );
    return { prefix, config };
  }

  it('on the simulator: a second ingest clears the first completed run, and the strategy writes the single-process results.json and deletes the run', async () => {
    const { prefix, config } = writeConfig('sim', 'data_handler:\n  simulator:\n    days: 2\n', false);
    const nodes = ['--transport-redis', cluster.urls.join(',')];
    const single = join(work, 'sim-single');
    const split = join(work, 'sim-split');
    const alone = await algospace(['backtest', '--out', single, '--config', config]);
    expect(alone.code, alone.stderr).toBe(0);

    const ingestArgs = ['backtest', '--role', 'ingest', ...nodes, '--out', join(work, 'sim-ingest')];
    const first = await algospace([...ingestArgs, '--config', config]);
    expect(first.code, first.stderr).toBe(0);
    // The run went to the hash-tagged key the transport uses on Cluster, not to `<prefix>:events`.
    const keys = transportStreamKeys(prefix, 'events', { cluster: true });
    expect(keys.stream).toBe(`${prefix}:{events}`);
    expect(await keysOnAnyNode(prefix)).toEqual([keys.stream, keys.producers].sort());
    const published = await client.xlen(keys.stream);
    // Entries, not events: the producer packs each batch into one entry.
    expect(published, 'the ingest role published the run').toBeGreaterThan(0);

    // A run left complete and unconsumed is deleted before the next one publishes (else the stream would
    // hold both runs, under two producer ids).
    const second = await algospace([...ingestArgs, '--config', config]);
    expect(second.code, second.stderr).toBe(0);
    expect(await client.xlen(keys.stream)).toBe(published);

    const strategy = await algospace([
      'backtest',
      '--role',
      'strategy',
      ...nodes,
      '--out',
      split,
      '--config',
      config,
    ]);
    expect(strategy.code, strategy.stderr).toBe(0);
    const expected = comparable(single);
    expect(
      comparable(split),
      'the split run equals the single-process run apart from timing and role',
    ).toStrictEqual(expected);
    expect((expected.trades as unknown[]).length, 'two simulated days trade at least once').toBeGreaterThan(
      0,
    );
    expect(await keysOnAnyNode(prefix), 'the strategy role deletes the completed run').toEqual([]);
  }, 180_000);

  describeWithMarketData('on a real trades file', [ES_TRADES], () => {
    it('with the strategy started first and the nodes in transport.redis.url, writes the single-process results.json', async () => {
      const { prefix, config } = writeConfig('es', '', true);
      const data = ['--data', marketDataPath(ES_TRADES)];
      const single = join(work, 'es-single');
      const split = join(work, 'es-split');
      const alone = await algospace(['backtest', ...data, '--out', single, '--config', config]);
      expect(alone.code, alone.stderr).toBe(0);

      const strategy = algospace(['backtest', '--role', 'strategy', '--out', split, '--config', config]);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const ingest = await algospace([
        'backtest',
        '--role',
        'ingest',
        ...data,
        '--out',
        join(work, 'es-ingest'),
        '--config',
        config,
      ]);
      const strategyRun = await strategy;
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(strategyRun.code, strategyRun.stderr).toBe(0);
      const expected = comparable(single);
      expect(comparable(split)).toStrictEqual(expected);
      expect(
        (expected.bars as Record<string, number>)['5m'],
        'the input produced bars to carry',
      ).toBeGreaterThan(0);
      expect(await keysOnAnyNode(prefix), 'the strategy role deletes the completed run').toEqual([]);
    }, 180_000);
  });

  it('refuses a single URL that names a cluster node, saying to list the nodes', async () => {
    const { config } = writeConfig('single-url', '', false);
    const run = await algospace([
      'backtest',
      '--role',
      'ingest',
      '--transport-redis',
      cluster.urls[0] as string,
      '--config',
      config,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `expected one URL to name a single Redis, got ${new URL(cluster.urls[0] as string).host}, a Redis Cluster node; list the cluster's nodes separated by commas`,
    );
  }, 60_000);

  it('refuses a node list with an entry that is not a redis:// URL, naming the entry', async () => {
    const run = await algospace([
      'backtest',
      '--role',
      'strategy',
      '--transport-redis',
      `${cluster.urls[0]},127.0.0.1:7001`,
      '--out',
      join(work, 'bad'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '--transport-redis: expected a redis:// or rediss:// URL (one Redis), or a comma-separated list of them (the nodes of a Redis Cluster)',
    );
    expect(run.stderr).toContain("whose entry 2 of 2 is '127.0.0.1:7001'");
  }, 60_000);
});
