import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithMarketData, marketDataPath } from '../../../../test-support/market-data.js';

const bin = fileURLToPath(new URL('../../bin/algospace.js', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ES_TRADES = 'es_trades_databento_ESH4_20231225_2300-2400UTC.csv';
const BTC_BARS = 'btcperp_1min_nautilus_20211231-20220201.csv';
const work = mkdtempSync(join(tmpdir(), 'algospace-split-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A loopback port nothing listens on: bound, read, closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function algospace(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stderr }));
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

interface SplitCase {
  /** Names the case and its Redis prefix. */
  readonly name: string;
  /** `--data FILE`, or none for the built-in simulator. */
  readonly data: readonly string[];
  /** Extra YAML for the config file both runs share. */
  readonly configYaml: string;
  readonly first: 'ingest' | 'strategy';
  readonly urlFrom: 'flag' | 'config';
}

/** Runs a case in one process and split over Redis; returns both results.json minus timing and role. */
async function singleAndSplit(splitCase: SplitCase) {
  const { name, data, first, urlFrom } = splitCase;
  const prefix = `algospace-test:split:${process.pid}:${name}`;
  const config = join(work, `${name}.yaml`);
  writeFileSync(
    config,
    `${splitCase.configYaml}output:\n  report: false\n  progress: off\ntransport:\n  redis:\n    prefix: ${prefix}\n${urlFrom === 'config' ? `    url: ${redisUrl}\n` : ''}`,
  );
  const transport = urlFrom === 'flag' ? ['--transport-redis', redisUrl] : [];
  const single = join(work, `${name}-single`);
  const split = join(work, `${name}-split`);

  const alone = await algospace(['backtest', ...data, '--out', single, '--config', config]);
  expect(alone.code, alone.stderr).toBe(0);

  const strategyArgs = ['backtest', '--role', 'strategy', ...transport, '--out', split, '--config', config];
  const ingestArgs = [
    'backtest',
    '--role',
    'ingest',
    ...transport,
    ...data,
    '--out',
    join(work, `${name}-ingest`),
    '--config',
    config,
  ];
  let strategy: ReturnType<typeof algospace>;
  let ingest: Awaited<ReturnType<typeof algospace>>;
  if (first === 'strategy') {
    strategy = algospace(strategyArgs);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    ingest = await algospace(ingestArgs);
  } else {
    ingest = await algospace(ingestArgs);
    strategy = algospace(strategyArgs);
  }
  const strategyRun = await strategy;
  expect(ingest.code, ingest.stderr).toBe(0);
  expect(strategyRun.code, strategyRun.stderr).toBe(0);

  const redis = new Redis(redisUrl);
  const left = await redis.keys(`${prefix}:*`);
  redis.disconnect();
  expect(left, 'the strategy role cleans up the completed run').toEqual([]);
  return { single: comparable(single), split: comparable(split) };
}

describeWithMarketData(
  'the engine split into ingest and strategy processes over Redis',
  [ES_TRADES, BTC_BARS],
  () => {
    for (const [file, first, urlFrom] of [
      [ES_TRADES, 'strategy', 'flag'],
      [BTC_BARS, 'ingest', 'config'],
    ] as const) {
      it(`writes the single-process results.json for ${file} (${first} started first, URL from the ${urlFrom})`, async () => {
        const { single, split } = await singleAndSplit({
          name: file.slice(0, 6),
          data: ['--data', marketDataPath(file)],
          configYaml: '',
          first,
          urlFrom,
        });
        expect(split, 'the split run equals the single-process run apart from timing and role').toStrictEqual(
          single,
        );
        expect(
          (single.bars as Record<string, number>)['5m'],
          'the input produced bars to carry',
        ).toBeGreaterThan(0);
        if (file === BTC_BARS)
          expect((single.synergies as unknown[]).length, 'a month of bars detects synergies').toBeGreaterThan(
            0,
          );
      }, 180_000);
    }
  },
);

describe('the engine split over Redis on the built-in simulator', () => {
  it('fills the same trades on the same ticks as one process', async () => {
    const { single, split } = await singleAndSplit({
      name: 'sim',
      data: [],
      configYaml: 'data_handler:\n  simulator:\n    days: 2\n',
      first: 'strategy',
      urlFrom: 'flag',
    });
    expect(split).toStrictEqual(single);
    expect((single.trades as unknown[]).length, 'two simulated days trade at least once').toBeGreaterThan(0);
  }, 180_000);

  it('a second ingest deletes the completed, unconsumed run before publishing its own', async () => {
    const prefix = `algospace-test:split:${process.pid}:rerun`;
    const config = join(work, 'rerun.yaml');
    writeFileSync(
      config,
      `data_handler:\n  simulator:\n    days: 1\noutput:\n  report: false\n  progress: off\ntransport:\n  redis:\n    prefix: ${prefix}\n`,
    );
    const args = [
      'backtest',
      '--role',
      'ingest',
      '--transport-redis',
      redisUrl,
      '--out',
      join(work, 'rerun'),
    ];
    const redis = new Redis(redisUrl);
    try {
      const first = await algospace([...args, '--config', config]);
      expect(first.code, first.stderr).toBe(0);
      const entries = await redis.xlen(`${prefix}:events`);
      expect(entries).toBeGreaterThan(0);
      const second = await algospace([...args, '--config', config]);
      expect(second.code, second.stderr).toBe(0);
      // Not twice as many: the first run's marker was recognised inside its packed last entry.
      expect(await redis.xlen(`${prefix}:events`)).toBe(entries);
    } finally {
      await redis.del(`${prefix}:events`, `${prefix}:events:producers`);
      redis.disconnect();
    }
  }, 120_000);

  it('fails either role with a clear error and exit 1 when Redis is unreachable, writing results.json with the error', async () => {
    const port = await closedPort();
    const ingest = await algospace([
      'backtest',
      '--role',
      'ingest',
      '--transport-redis',
      `redis://127.0.0.1:${port}`,
    ]);
    expect(ingest.code).toBe(1);
    expect(ingest.stderr).toContain(
      `algospace: ENGINE_REDIS_UNREACHABLE: --transport-redis / transport.redis.url: expected to reach Redis at 127.0.0.1:${port}, got `,
    );
    const out = join(work, 'unreachable');
    const strategy = await algospace([
      'backtest',
      '--role',
      'strategy',
      '--transport-redis',
      `redis://127.0.0.1:${port}`,
      '--out',
      out,
    ]);
    expect(strategy.code).toBe(1);
    // The strategy role's first contact with Redis is the transport's own start, which says the same in its words.
    expect(strategy.stderr).toContain(
      `algospace: TRANSPORT_REDIS_CONNECT_TIMEOUT: expected redis://127.0.0.1:${port} to accept connections within 10000 ms, found it unreachable or failing`,
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { error?: string };
    expect(results.error).toContain(`127.0.0.1:${port}`);
  }, 60_000);

  it('a strategy stopped by SIGTERM before the ingest ends exits 1 with ENGINE_INGEST_INCOMPLETE and writes results.json', async () => {
    const prefix = `algospace-test:split:${process.pid}:sigterm`;
    const config = join(work, 'sigterm.yaml');
    writeFileSync(
      config,
      `output:\n  report: false\n  progress: off\ntransport:\n  redis:\n    prefix: ${prefix}\n`,
    );
    const out = join(work, 'sigterm');
    const child = spawn(
      process.execPath,
      [
        bin,
        'backtest',
        '--role',
        'strategy',
        '--transport-redis',
        redisUrl,
        '--out',
        out,
        '--config',
        config,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Started once its consumer group exists on the (still empty) stream.
    const redis = new Redis(redisUrl);
    try {
      for (let i = 0; i < 300; i++) {
        const groups = (await redis.xinfo('GROUPS', `${prefix}:events`).catch(() => [])) as unknown[];
        if (groups.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(1);
      expect(stderr).toContain(
        "algospace: ENGINE_INGEST_INCOMPLETE: expected the ingest process's end marker",
      );
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { error?: string };
      expect(results.error).toContain('ENGINE_INGEST_INCOMPLETE');
    } finally {
      child.kill('SIGKILL');
      await redis.del(`${prefix}:events`, `${prefix}:events:producers`);
      redis.disconnect();
    }
  }, 60_000);

  it('refuses a split role without a Redis URL, naming both ways to give one', async () => {
    const run = await algospace(['backtest', '--role', 'strategy', '--out', join(work, 'none')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '--role strategy: expected --transport-redis URL or transport.redis.url in the config',
    );
  }, 60_000);
});
