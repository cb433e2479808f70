import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Bar, Tick } from '@algospace/bars';
import { describe, expect, it } from 'vitest';
import { DataRowError, EngineError } from '../engine-error.js';
import type { LayoutOptions } from './file-layout.js';
import { type BadRowPolicy, readMarketDataFile } from './market-data-file-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'algospace-reader-'));
let counter = 0;
function file(content: string | Buffer, name = `f${counter++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(
  path: string,
  options: {
    policy?: BadRowPolicy;
    layout?: LayoutOptions;
    format?: 'auto' | 'day-first';
    timezone?: string;
  } = {},
) {
  const ticks: Tick[] = [];
  const bars: Bar[] = [];
  const report = await readMarketDataFile({
    path,
    layout: options.layout ?? {},
    timestamp: { format: options.format ?? 'auto', timezone: options.timezone ?? 'UTC' },
    badRows: { policy: options.policy ?? 'fail', maxExamples: 2 },
    barTimeframe: '1m',
    onTick: (tick) => ticks.push(tick),
    onBar: (bar) => bars.push(bar),
  });
  return { report, ticks, bars };
}

const TRADES = 'timestamp,price,size\n2024-01-02T10:00:00Z,4800.25,2\n2024-01-02T10:00:01Z,4800.5,1\n';

describe('reading tick files', () => {
  it('recognises a trades header and delivers every row as a tick', async () => {
    const { report, ticks } = await read(file(TRADES));
    expect(report.layout.kind).toBe('trades');
    expect(report.rows).toBe(2);
    expect(ticks).toEqual([
      { timestamp: Date.UTC(2024, 0, 2, 10), price: 4800.25, size: 2 },
      { timestamp: Date.UTC(2024, 0, 2, 10, 0, 1), price: 4800.5, size: 1 },
    ]);
  });

  it('reads the same file gzip-compressed, recognised by its bytes not its name', async () => {
    const { ticks } = await read(file(gzipSync(TRADES), 'trades-without-gz-suffix.csv'));
    expect(ticks).toHaveLength(2);
  });

  it('reads rows and multi-byte characters that straddle read chunks, and a last row without a newline', async () => {
    // 60 000 rows of ~40 bytes span several 512 KiB read chunks; the symbol column holds a two-byte 'é' and a
    // three-byte '€', so some chunk boundary falls inside a row (and likely inside a character).
    const rows = Array.from(
      { length: 60_000 },
      (_, i) => `2024-01-02T10:00:00Z,${4800 + (i % 100) / 4},${i + 1},é€`,
    );
    const text = `timestamp,price,size,symbol\n${rows.join('\n')}`;
    const { report, ticks } = await read(file(text), {
      layout: { symbol: { column: 'symbol', value: 'é€' } },
    });
    expect(report.rows).toBe(60_000);
    expect(report.filtered).toBe(0);
    expect(ticks).toHaveLength(60_000);
    expect(ticks[59_999]).toEqual({
      timestamp: Date.UTC(2024, 0, 2, 10),
      price: 4800 + 99 / 4,
      size: 60_000,
    });
  });

  it('reads NDJSON with the same column names', async () => {
    const path = file(
      '{"time":"2024-01-02T10:00:00Z","price":4800.25,"qty":2}\n{"time":1704189601000,"price":"4800.5","qty":1}\n',
      'ticks.ndjson',
    );
    const { report, ticks } = await read(path);
    expect(report.layout.format).toBe('ndjson');
    expect(ticks.map((tick) => tick.price)).toEqual([4800.25, 4800.5]);
  });

  it('reads quotes as mid-price ticks that keep bid and ask', async () => {
    const { report, ticks } = await read(
      file('timestamp,bid,ask\n2014-05-01T00:00:00.292Z,1.38676,1.38686\n'),
    );
    expect(report.layout.kind).toBe('quotes');
    expect(ticks[0]).toEqual({
      timestamp: Date.UTC(2014, 4, 1, 0, 0, 0, 292),
      price: (1.38676 + 1.38686) / 2,
      size: 0,
      bid: 1.38676,
      ask: 1.38686,
    });
  });

  it('reads a header-less file through 0-based column indices', async () => {
    const { ticks } = await read(file('1704189600000;4800.25;2\n'), {
      layout: { header: false, kind: 'trades', columns: { timestamp: 0, price: 1, size: 2 } },
    });
    expect(ticks).toEqual([{ timestamp: Date.UTC(2024, 0, 2, 10), price: 4800.25, size: 2 }]);
  });

  it('keeps one contract of a merged file and counts the others as filtered', async () => {
    const path = file(
      'timestamp,price,size,contract\n2013-10-07T00:00:00Z,1313.7,1,GCZ13\n2013-10-07T00:00:01Z,1320.1,1,GCG14\n',
    );
    const { report, ticks } = await read(path, {
      layout: { symbol: { column: 'contract', value: 'GCZ13' } },
    });
    expect(ticks).toHaveLength(1);
    expect(report.filtered).toBe(1);
  });

  it('reads CRLF line ends and a misspelt column mapped in the config', async () => {
    const path = file('Timestamp,Open,High,Llow,Close,Volume\r\n13/07/2020 01:00:00,1,3,0.5,2,10\r\n');
    const { bars } = await read(path, { layout: { columns: { low: 'Llow' } }, format: 'day-first' });
    expect(bars).toEqual([
      {
        timestamp: Date.UTC(2020, 6, 13, 1),
        timeframe: '1m',
        open: 1,
        high: 3,
        low: 0.5,
        close: 2,
        volume: 10,
        synthetic: false,
        tickCount: 1,
      },
    ]);
  });
});

describe('bad input', () => {
  const BAD =
    'timestamp,price,size\n' +
    '2024-01-02T10:00:00Z,4800.25,2\n' + // line 2 ok
    '2024-01-02T10:00:01Z,abc,1\n' + // line 3 bad number
    '2024-01-02T10:00:02Z\n' + // line 4 missing column
    'not a date,4800,1\n' + // line 5 bad timestamp
    '2024-01-02T09:59:00Z,4800,1\n' + // line 6 out of order
    '2024-01-02T10:00:03Z,4801,1\n'; // line 7 ok

  it('fails at the first bad row with the file, line and reason under the fail policy', async () => {
    const path = file(BAD, 'bad.csv');
    await expect(read(path)).rejects.toThrow("bad.csv:3: column 'price': expected a number, got 'abc'");
    try {
      await read(path);
    } catch (error) {
      expect(DataRowError.isInstance(error)).toBe(true);
      expect((error as DataRowError).line).toBe(3);
    }
  });

  it('skips and counts every bad row with its reason under the skip policy, keeping the good rows', async () => {
    const { report, ticks } = await read(file(BAD), { policy: 'skip' });
    expect(
      ticks.map((tick) => tick.price),
      'rows 2 and 7 survive',
    ).toEqual([4800.25, 4801]);
    expect(report.rows).toBe(6);
    expect(report.rejected).toBe(4);
    expect(report.rejectedByReason).toEqual({
      'bad-number': 1,
      'missing-column': 1,
      'bad-timestamp': 1,
      'out-of-order': 1,
    });
    expect(
      report.examples.map((example) => example.line),
      'the first max_examples rows are kept',
    ).toEqual([3, 4]);
    expect(report.accepted + report.rejected + report.filtered).toBe(report.rows);
  });

  it('names what the header lacks when the columns cannot be recognised', async () => {
    await expect(read(file('when,what\n1,2\n'))).rejects.toThrow(
      /expected a header naming timestamp\/time and price/,
    );
  });

  it('refuses an empty file', async () => {
    await expect(read(file(''))).rejects.toSatisfy(
      (error: unknown) => EngineError.isInstance(error) && error.code === 'ENGINE_EMPTY_FILE',
    );
  });

  it('refuses a missing file', async () => {
    await expect(read(join(dir, 'missing.csv'))).rejects.toThrow(/expected a readable data file/);
  });

  it('rejects an inconsistent bar (high below close)', async () => {
    const path = file('timestamp,open,high,low,close,volume\n2024-01-02T10:00:00Z,1,1.5,0.5,2,10\n');
    await expect(read(path)).rejects.toThrow(/expected low ≤ open, close ≤ high/);
  });
});
