import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar, Tick } from '@algospace/bars';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine-error.js';
import type { LayoutOptions } from './file-layout.js';
import { type BadRowPolicy, readMarketDataFile } from './market-data-file-reader.js';

// Files a reviewer fed the reader that it once read wrongly without saying so.
const dir = mkdtempSync(join(tmpdir(), 'algospace-hostile-'));
let counter = 0;
function file(content: string | Buffer, name = `h${counter++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, options: { policy?: BadRowPolicy; layout?: LayoutOptions } = {}) {
  const ticks: Tick[] = [];
  const bars: Bar[] = [];
  const report = await readMarketDataFile({
    path,
    layout: options.layout ?? {},
    timestamp: { format: 'auto', timezone: 'UTC' },
    badRows: { policy: options.policy ?? 'fail', maxExamples: 10 },
    barTimeframe: '1m',
    onTick: (tick) => ticks.push(tick),
    onBar: (bar) => bars.push(bar),
  });
  return { report, ticks, bars };
}

function lineEndsError(error: unknown): boolean {
  return EngineError.isInstance(error) && error.code === 'ENGINE_BAD_LINE_ENDS';
}

describe('bare CR line ends', () => {
  it('refuses a small file whose lines end in a bare \\r, naming the file', async () => {
    const path = file(
      'timestamp,price,size\r2024-01-02T10:00:00Z,100.5,1\r2024-01-02T10:00:01Z,100.6,2\r',
      'mac.csv',
    );
    await expect(read(path)).rejects.toSatisfy(lineEndsError);
    await expect(read(path)).rejects.toThrow(/mac\.csv:1: expected lines ending in \\n or \\r\\n/);
  });

  it('refuses a large bare-\\r file after one line limit instead of carrying the whole file', async () => {
    const row = '2024-01-02T10:00:00Z,100.5,1\r';
    const path = file(`timestamp,price,size\r${row.repeat(100_000)}`);
    await expect(read(path)).rejects.toSatisfy(lineEndsError);
  });

  it('refuses a line longer than the limit even without any \\r', async () => {
    const path = file(`timestamp,price,size\n2024-01-02T10:00:00Z,1,${'9'.repeat(1.5 * 2 ** 20)}\n`);
    await expect(read(path)).rejects.toThrow(/longer than 1048576 bytes/);
  });
});

describe('values that cannot be real', () => {
  const TRADES =
    'timestamp,price,size\n' +
    '2024-01-02T10:00:00Z,0,1\n' + // 2 zero price
    '2024-01-02T10:00:01Z,-5,2\n' + // 3 negative price
    '2024-01-02T10:00:02Z,100,-3\n' + // 4 negative size
    '2024-01-02T10:00:03Z,100,0\n' + // 5 size 0 is fine
    '2024-01-02T10:00:04Z,0x10,1\n'; // 6 hex

  it('fails at a zero price with the line and what was expected', async () => {
    await expect(read(file(TRADES, 'nums.csv'))).rejects.toThrow(
      "nums.csv:2: column 'price': expected a positive number, got '0'",
    );
  });

  it('skips and counts non-positive prices, negative sizes and hex as bad numbers; size 0 passes', async () => {
    const { report, ticks } = await read(file(TRADES), { policy: 'skip' });
    expect(ticks).toEqual([{ timestamp: Date.UTC(2024, 0, 2, 10, 0, 3), price: 100, size: 0 }]);
    expect(report.rejectedByReason).toEqual({ 'bad-number': 4 });
    expect(report.examples.map((example) => [example.line, example.reason])).toEqual([
      [2, "column 'price': expected a positive number, got '0'"],
      [3, "column 'price': expected a positive number, got '-5'"],
      [4, "column 'size': expected a number ≥ 0, got '-3'"],
      [6, "column 'price': expected a number, got '0x10'"],
    ]);
  });

  it('rejects a zero bid or ask in a quote file', async () => {
    const path = file('timestamp,bid,ask\n2024-01-02T10:00:00Z,1.1,0\n');
    await expect(read(path)).rejects.toThrow(":2: column 'ask': expected a positive number, got '0'");
  });

  it('rejects bar prices ≤ 0 and a negative volume, keeping volume 0', async () => {
    const path = file(
      'timestamp,open,high,low,close,volume\n' +
        '2024-01-02T10:00:00Z,0,2,0,1,5\n' +
        '2024-01-02T10:01:00Z,1,2,1,1,-1\n' +
        '2024-01-02T10:02:00Z,1,2,1,1,0\n',
    );
    const { report, bars } = await read(path, { policy: 'skip' });
    expect(bars.map((bar) => bar.volume)).toEqual([0]);
    expect(report.examples.map((example) => example.reason)).toEqual([
      "column 'open': expected a positive number, got '0'",
      "column 'volume': expected a number ≥ 0, got '-1'",
    ]);
  });

  it('applies the same checks to NDJSON', async () => {
    const path = file(
      '{"time":"2024-01-02T10:00:00Z","price":-1,"qty":1}\n' +
        '{"time":"2024-01-02T10:00:01Z","price":5,"qty":-2}\n' +
        '{"time":"2024-01-02T10:00:02Z","price":"0x10","qty":1}\n' +
        '{"time":"2024-01-02T10:00:03Z","price":5,"qty":0}\n',
      'v.ndjson',
    );
    const { report, ticks } = await read(path, { policy: 'skip' });
    expect(ticks).toHaveLength(1);
    expect(report.examples.map((example) => example.reason)).toEqual([
      "field 'price': expected a positive number, got -1",
      "field 'qty': expected a number ≥ 0, got -2",
      'field \'price\': expected a number, got "0x10"',
    ]);
  });
});

describe('byte order mark', () => {
  const BOM = '\uFEFF';

  it('strips it from an NDJSON file', async () => {
    const path = file(`${BOM}{"time":"2024-01-02T10:00:00Z","price":4800.25,"qty":2}\n`, 'bom.ndjson');
    const { report, ticks } = await read(path);
    expect(report.rejected).toBe(0);
    expect(ticks).toEqual([{ timestamp: Date.UTC(2024, 0, 2, 10), price: 4800.25, size: 2 }]);
  });

  it('strips it from a header-less CSV file', async () => {
    const path = file(`${BOM}1704189600000,4800.25,2\n1704189601000,4800.5,1\n`);
    const { ticks } = await read(path, {
      layout: { header: false, kind: 'trades', columns: { timestamp: 0, price: 1, size: 2 } },
    });
    expect(ticks.map((tick) => tick.timestamp)).toEqual([
      Date.UTC(2024, 0, 2, 10),
      Date.UTC(2024, 0, 2, 10, 0, 1),
    ]);
  });
});

describe('whitespace-only lines', () => {
  it('treats them as empty lines, in CSV and NDJSON', async () => {
    const csv = file(
      'timestamp,price,size\n\n2024-01-02T10:00:00Z,100.5,1\n   \n \t \r\n2024-01-02T10:00:01Z,100.6,2\t\n\n',
    );
    const { report, ticks } = await read(csv);
    expect(ticks).toHaveLength(2);
    expect(report.rows).toBe(2);
    const ndjson = file(
      '  \n{"time":"2024-01-02T10:00:00Z","price":1,"qty":2}\n \t\n{"time":"2024-01-02T10:00:01Z","price":1,"qty":2}\n',
      'w.ndjson',
    );
    const second = await read(ndjson);
    expect(second.ticks).toHaveLength(2);
    expect(second.report.rows).toBe(2);
  });
});

describe('zone-less local times around daylight-saving changes', () => {
  const readIn = async (path: string, policy: BadRowPolicy) => {
    const ticks: Tick[] = [];
    const report = await readMarketDataFile({
      path,
      layout: {},
      timestamp: { format: 'auto', timezone: 'America/New_York' },
      badRows: { policy, maxExamples: 10 },
      barTimeframe: '1m',
      onTick: (tick) => ticks.push(tick),
      onBar: () => undefined,
    });
    return { report, ticks };
  };

  it('reads the repeated autumn hour in file order and refuses a skipped spring time, saying why', async () => {
    const autumn = file(
      'timestamp,price,size\n2024-11-03 01:50:00,100,1\n2024-11-03 01:10:00,100,1\n2024-11-03 01:50:00,100,1\n2024-11-03 02:10:00,100,1\n',
    );
    const { ticks } = await readIn(autumn, 'fail');
    // 01:50 EDT, then the clock goes back: 01:10 and 01:50 EST, then 02:10 EST.
    expect(ticks.map((tick) => new Date(tick.timestamp).toISOString())).toEqual([
      '2024-11-03T05:50:00.000Z',
      '2024-11-03T06:10:00.000Z',
      '2024-11-03T06:50:00.000Z',
      '2024-11-03T07:10:00.000Z',
    ]);
    const spring = file('timestamp,price,size\n2024-03-10 01:59:00,100,1\n2024-03-10 02:30:00,100,1\n');
    await expect(readIn(spring, 'fail')).rejects.toThrow(
      /:3: column 'timestamp': expected an iso timestamp, got '2024-03-10 02:30:00': local time does not exist in America\/New_York/,
    );
  });
});
