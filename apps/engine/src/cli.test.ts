import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return { out, err };
}

function withoutTiming(text: string): string {
  const results = JSON.parse(text);
  delete results.timing;
  return JSON.stringify(results);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('algospace backtest on the simulator', () => {
  it('writes results whose bar counts follow from the simulated span and hold every accepted tick', async () => {
    captureOutput();
    const out = mkdtempSync(join(tmpdir(), 'algospace-cli-'));
    const code = await main(['backtest', '--out', out, '--days', '2', '--progress', 'off']);
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.run.simulated, 'the simulator output is labelled').toBe(true);
    expect(results.source.label).toMatch(/^SIMULATED/);
    expect(results.ticks.accepted).toBeGreaterThan(10_000);
    expect(results.ticks.rejected).toBe(0);
    // two simulated days of continuous trading, gap-filled and flushed at the end: 2 × 288 and 2 × 48 buckets
    expect(results.bars['5m']).toBe(576);
    expect(results.bars['30m']).toBe(96);
    expect(results.bar_details.inputs_in_bars['5m'], 'every accepted tick is in exactly one 5m bar').toBe(
      results.ticks.accepted,
    );
    expect(results.bar_details.inputs_in_bars['30m'], 'every accepted tick is in exactly one 30m bar').toBe(
      results.ticks.accepted,
    );
    // §9.1: one snapshot per 30m bar, one per 5m bar after the first 30m bar (the six 5m bars of the first half hour emit none)
    expect(results.snapshots['30m']).toBe(96);
    expect(results.snapshots['5m']).toBe(576 - 6);
    expect(results.snapshots.non_finite_values).toBe(0);
    expect(Array.isArray(results.synergies) && Array.isArray(results.trades)).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<html');
  });

  it('writes byte-identical results.json apart from the timing section on two runs', async () => {
    captureOutput();
    const first = mkdtempSync(join(tmpdir(), 'algospace-det-'));
    const second = mkdtempSync(join(tmpdir(), 'algospace-det-'));
    expect(await main(['backtest', '--out', first, '--days', '3', '--progress', 'off'])).toBe(0);
    expect(await main(['backtest', '--out', second, '--days', '3', '--progress', 'off'])).toBe(0);
    const a = readFileSync(join(first, 'results.json'), 'utf8');
    const b = readFileSync(join(second, 'results.json'), 'utf8');
    expect(withoutTiming(a)).toBe(withoutTiming(b));
    expect(JSON.parse(a).timing.wall_ms).toBeTypeOf('number');
  });
});

describe('algospace validate-config', () => {
  it('accepts the shipped settings file', async () => {
    const { out } = captureOutput();
    expect(await main(['validate-config', join(import.meta.dirname, '..', 'config', 'settings.yaml')])).toBe(
      0,
    );
    expect(out.join('\n')).toMatch(/valid/);
  });

  it('prints one path: problem line per error and exits 1', async () => {
    const { out } = captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'algospace-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'execution:\n  slippage_ticks: -1\nbars:\n  gap_fill: maybe\nrisk_management:\n  max_positon: 3\n',
    );
    expect(await main(['validate-config', file])).toBe(1);
    const lines = out.join('\n').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.some((line) => line.startsWith('execution.slippage_ticks: '))).toBe(true);
    expect(lines.some((line) => line.startsWith('bars.gap_fill: '))).toBe(true);
    expect(lines.some((line) => line.startsWith('risk_management.max_positon: '))).toBe(true);
  });

  it('refuses a bar input timeframe the 5m and 30m bars cannot be built from', async () => {
    const { out } = captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'algospace-cfg-'));
    const file = join(dir, 'tf.yaml');
    writeFileSync(file, 'data_handler:\n  bar_input:\n    timeframe: 45m\n');
    expect(await main(['validate-config', file])).toBe(1);
    expect(out.join('\n')).toContain(
      `data_handler.bar_input.timeframe: expected a valid value (a timeframe that divides 30 minutes, such as '1m', '5m', '15m' or '30m'), got string "45m"`,
    );
    writeFileSync(file, 'data_handler:\n  bar_input:\n    timeframe: 15m\n');
    expect(await main(['validate-config', file])).toBe(0);
  });

  it('exits 1 for a missing file', async () => {
    captureOutput();
    expect(await main(['validate-config', '/nonexistent/settings.yaml'])).toBe(1);
  });
});

describe('algospace run in live mode', () => {
  it('refuses to start without a broker adapter and says why', async () => {
    const { err } = captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'algospace-live-'));
    const file = join(dir, 'live.yaml');
    writeFileSync(file, 'system:\n  mode: live\n');
    expect(await main(['run', '--config', file, '--out', dir])).toBe(1);
    expect(err.join('\n')).toMatch(/live mode needs a broker adapter.*Refusing to start/s);
  });
});

describe('algospace backtest with bad input', () => {
  it('exits 1 naming the file, line and reason, and still writes what was processed', async () => {
    const { err } = captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'algospace-badrow-'));
    const data = join(dir, 'trades.csv');
    writeFileSync(data, 'timestamp,price,size\n2024-01-02T10:00:00Z,4800,1\n2024-01-02T10:00:01Z,abc,1\n');
    expect(await main(['backtest', '--data', data, '--out', dir, '--progress', 'off'])).toBe(1);
    expect(err.join('\n')).toContain("trades.csv:3: column 'price': expected a number, got 'abc'");
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.error).toMatch(/ENGINE_BAD_ROW/);
    // What was processed before the failure is described as the file it came from.
    expect(results.source).toMatchObject({
      type: 'file',
      label: 'trades.csv',
      kind: 'trades',
      end_reason: 'failed',
    });
    expect(results.ticks.accepted, 'the row before the bad one').toBe(1);
  });

  it('skips and reports bad rows with --bad-rows skip', async () => {
    captureOutput();
    const dir = mkdtempSync(join(tmpdir(), 'algospace-skip-'));
    const data = join(dir, 'trades.csv');
    writeFileSync(
      data,
      'timestamp,price,size\n2024-01-02T10:00:00Z,4800,1\n2024-01-02T10:00:01Z,abc,1\n2024-01-02T10:06:00Z,4801,2\n',
    );
    expect(
      await main(['backtest', '--data', data, '--out', dir, '--bad-rows', 'skip', '--progress', 'off']),
    ).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.ticks).toMatchObject({
      accepted: 2,
      rejected: 1,
      rejected_by_reason: { 'row:bad-number': 1 },
    });
    expect(results.ticks.rejected_examples[0].line).toBe(3);
    expect(results.bars).toEqual({ '5m': 2, '30m': 1 });
  });
});

describe('algospace paper with a feed that cannot start', () => {
  it('exits 1 with one line naming the problem instead of hanging on the data handler', async () => {
    const { err } = captureOutput();
    const code = await main(['paper', '--feed', 'ws://exa mple:1', '--metrics-port', '0']);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/algospace: .*Invalid URL/);
  }, 60_000);
});

describe('algospace --help', () => {
  it.each(['backtest', 'paper', 'run', 'serve-feed', 'validate-config'])(
    'prints usage for %s and exits 0',
    async (command) => {
      const { out } = captureOutput();
      expect(await main([command, '--help'])).toBe(0);
      expect(out.join('\n')).toContain(`algospace ${command}`);
    },
  );

  it('rejects an unknown command with exit code 1', async () => {
    captureOutput();
    expect(await main(['frobnicate'])).toBe(1);
  });
});
