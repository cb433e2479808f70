import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportBar, ReportData } from './report-data.js';
import { renderReport } from './report-html.js';
import { buildReportModel, formatUtc } from './report-model.js';
import { writeReport } from './write-report.js';

const T = Date.UTC(2024, 0, 2, 10, 0);
const min = (n: number) => T + n * 60_000;
const sec = (ms: number) => ms / 1000;

function bar(minute: number, close = 100): ReportBar {
  return { timestamp: min(minute), open: close - 1, high: close + 1, low: close - 2, close };
}

function data(overrides: Partial<ReportData> = {}): ReportData {
  return {
    title: 'unit',
    simulated: false,
    bars: [bar(0), bar(5), bar(10), bar(15)],
    nwrqk: [],
    fvgZones: [],
    synergies: [],
    trades: [],
    equity: [],
    ...overrides,
  };
}

describe('buildReportModel', () => {
  it('sorts bars, keeps the last of a repeated start, drops non-finite bars and says so', () => {
    const model = buildReportModel(
      data({ bars: [bar(10), bar(0), bar(5, 101), bar(5, 102), { ...bar(15), close: Number.NaN }] }),
    );
    expect(model.candles.map((c) => [c.time, c.close])).toEqual([
      [sec(min(0)), 100],
      [sec(min(5)), 102],
      [sec(min(10)), 100],
    ]);
    expect(model.notes).toEqual(['2 bars with non-finite fields or repeated start times were not charted.']);
  });

  it('draws a synergy on the candle that ends at its asOf, and an NW-RQK point on the bar that produced it', () => {
    // asOf 10:10 is the end of the 10:05 candle.
    const model = buildReportModel(
      data({
        synergies: [{ synergy_type: 'TYPE_2', direction: -1, timestamp: min(10) }],
        nwrqk: [{ timestamp: min(10), value: 99.5 }],
      }),
    );
    expect(model.markers).toEqual([
      { time: sec(min(5)), position: 'aboveBar', shape: 'arrowDown', color: '#ff6d00', text: 'T2', size: 2 },
    ]);
    expect(model.nwrqk).toEqual([{ time: sec(min(5)), value: 99.5 }]);
  });

  it('marks trade entries and exits at their prices on the candles containing the fills', () => {
    const model = buildReportModel(
      data({
        trades: [
          {
            direction: 1,
            size: 2,
            entryTime: min(6),
            entryPrice: 99.75,
            exitTime: min(14),
            exitPrice: 98.5,
            pnl: -130,
            exitReason: 'stop',
          },
        ],
      }),
    );
    expect(model.markers.map((m) => [m.time, m.price, m.shape, m.text])).toEqual([
      [sec(min(5)), 99.75, 'circle', 'L'],
      [sec(min(10)), 98.5, 'square', 'x'],
    ]);
    expect(model.tradeLines).toEqual([
      { from: sec(min(5)), to: sec(min(10)), fromPrice: 99.75, toPrice: 98.5, win: false },
    ]);
    expect(model.tradeRows).toEqual([
      ['2024-01-02 10:06', '2024-01-02 10:14', 'long', '2', '99.75', '98.5', '-130.00', 'stop', ''],
    ]);
  });

  it('counts, rather than drops silently, events outside the charted bars and unfilled trades', () => {
    const model = buildReportModel(
      data({
        synergies: [{ synergy_type: 'TYPE_1', direction: 1, timestamp: min(-30) }],
        trades: [
          {
            direction: -1,
            size: 1,
            entryTime: null,
            entryPrice: Number.NaN,
            exitTime: min(5),
            exitPrice: Number.NaN,
            pnl: 0,
          },
        ],
        fvgZones: [{ bullish: true, lower: 99, upper: 101, start: min(60), end: null, mitigated: false }],
      }),
    );
    expect(model.markers).toEqual([]);
    expect(model.notes).toEqual([
      '1 FVG zones fall outside the charted bars.',
      '1 synergies fall outside the charted bars.',
      '1 trades (unfilled or outside the charted bars) are not drawn.',
    ]);
    expect(model.tradeRows[0]?.[0]).toBe('not filled');
  });

  it('extends an active zone to the last candle', () => {
    const model = buildReportModel(
      data({
        fvgZones: [{ bullish: false, lower: 99, upper: 101, start: min(5), end: null, mitigated: false }],
      }),
    );
    expect(model.zones).toEqual([
      { from: sec(min(5)), to: sec(min(15)), lower: 99, upper: 101, bullish: false, mitigated: false },
    ]);
  });

  it('keeps an NW-RQK point of a 30-minute bar that ends after the last candle, on that candle', () => {
    // Last candle 10:15; a 30-minute bar 10:00–10:30 flushed at the end has asOf 10:30.
    const model = buildReportModel(
      data({
        nwrqk: [
          { timestamp: min(30), value: 99 },
          { timestamp: min(50), value: 98 },
        ],
      }),
    );
    expect(model.nwrqk).toEqual([{ time: sec(min(15)), value: 99 }]);
    expect(model.notes).toEqual(['1 NW-RQK points fall outside the charted bars.']);
  });

  it('extends the equity line flat to the last candle', () => {
    const model = buildReportModel(
      data({
        equity: [
          { timestamp: min(0), value: 1000 },
          { timestamp: min(7), value: 1200 },
        ],
      }),
    );
    expect(model.equity).toEqual([
      { time: sec(min(0)), value: 1000 },
      { time: sec(min(7)), value: 1200 },
      { time: sec(min(15)), value: 1200 },
    ]);
  });

  it('formats UTC times to the minute', () => {
    expect(formatUtc(Date.UTC(2024, 6, 1, 23, 58, 59))).toBe('2024-07-01 23:58');
  });
});

describe('renderReport', () => {
  it('inlines the chart library and the page script, and references nothing external', () => {
    const html = renderReport(data());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Lightweight Charts™ v5.2.1');
    expect(html).toContain('document.body.dataset.rendered');
    expect(html, 'no external scripts, styles or images').not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it('escapes the title and keeps embedded data from closing its script element', () => {
    const html = renderReport(
      data({ title: '<b>ES</b> & "NQ"', summary: [{ label: '</script><x>', value: 1 }] }),
    );
    expect(html).toContain('<h1>&#60;b&#62;ES&#60;/b&#62; &#38; &#34;NQ&#34;</h1>');
    const json = html.slice(
      html.indexOf('id="report-data"'),
      html.indexOf('</script>', html.indexOf('id="report-data"')),
    );
    expect(json).not.toContain('</script');
    expect(json).toContain('\\u003c/script>');
  });

  it('labels simulated data', () => {
    expect(renderReport(data({ simulated: true }))).toContain('SIMULATED DATA');
    expect(renderReport(data({ simulated: false }))).not.toContain('SIMULATED DATA');
  });

  it('is deterministic: the same data gives the same bytes', () => {
    expect(renderReport(data())).toBe(renderReport(data()));
  });

  it('writes the file, creating its directory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'algospace-report-unit-'));
    try {
      const file = join(directory, 'nested', 'report.html');
      const bytes = await writeReport(file, data());
      const text = await readFile(file, 'utf8');
      expect(Buffer.byteLength(text)).toBe(bytes);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
