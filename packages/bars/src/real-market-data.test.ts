/**
 * Real-data reconciliation: ticks from the shared market data aggregated into 1-minute bars and compared
 * with the bars the same vendor published, field by field, with the comparison rule of the data README's
 * `verify_data.py` (`|a − p| ≤ 1e-9 · max(1, |p|)`, same keys, same contract split, size-0 prints kept).
 * Expected match rates are the README's ("Can ticks and bars be cross-checked?").
 */
import { expect, it } from 'vitest';
import { describeWithMarketData, readMarketDataLines } from '../../../test-support/market-data.js';
import {
  type Bar,
  type BarAggregator,
  createBarAggregator,
  createQuoteBarAggregator,
  parseIsoTimestamp,
  type QuoteBar,
} from './index.js';

const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
type Field = (typeof fields)[number];
type Ohlcv = Record<Field, number>;

/** verify_data.py's equality: relative 1e-9 with an absolute floor of 1e-9. */
function same(a: number, p: number): boolean {
  return Math.abs(a - p) <= 1e-9 * Math.max(1, Math.abs(p));
}

function rows(file: string): string[][] {
  return readMarketDataLines(file)
    .slice(1)
    .map((line) => line.split(','));
}

function publishedBar(row: string[], from: number): Ohlcv {
  const [open, high, low, close, volume] = row.slice(from, from + 5).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { open, high, low, close, volume };
}

/** One 1-minute aggregator per key (contract), gap fill off: vendors publish no bars for empty minutes. */
function minuteBarsByKey(): {
  push(key: string, time: number, price: number, size: number): void;
  bars(): Map<string, Bar>;
} {
  const aggregators = new Map<string, BarAggregator>();
  const out = new Map<string, Bar>();
  return {
    push(key, time, price, size) {
      let aggregator = aggregators.get(key);
      if (aggregator === undefined) {
        aggregator = createBarAggregator({
          timeframes: ['1m'],
          gapFill: 'none',
          onBar: (bar) => out.set(`${key}@${bar.timestamp}`, bar),
          onReject: (tick, reason) => {
            throw new Error(`unexpected rejection of ${JSON.stringify(tick)}: ${reason}`);
          },
        });
        aggregators.set(key, aggregator);
      }
      aggregator.push({ timestamp: time, price, size });
    },
    bars() {
      for (const aggregator of aggregators.values()) aggregator.flush();
      return out;
    },
  };
}

function rate(matches: number, total: number): string {
  return (matches / total).toFixed(4);
}

describeWithMarketData(
  'ESU4 Databento trades → Databento ohlcv-1m (same vendor, exact)',
  ['es_trades_databento_ESU4_20240701_2358-0002UTC.csv', 'es_nq_1min_databento_20240701_2340-0010UTC.csv'],
  () => {
    it('reproduces all four published minutes exactly on open, high, low, close and volume', () => {
      const aggregated = minuteBarsByKey();
      for (const row of rows('es_trades_databento_ESU4_20240701_2358-0002UTC.csv')) {
        // Nanosecond ISO times: parseIsoTimestamp truncates past the millisecond, which floors the instant.
        aggregated.push(row[4]!, parseIsoTimestamp(row[0]!), Number(row[1]), Number(row[2]));
      }
      const from = Date.parse('2024-07-01T23:58:00Z');
      const to = Date.parse('2024-07-02T00:02:00Z');
      const published = new Map<string, Ohlcv>();
      for (const row of rows('es_nq_1min_databento_20240701_2340-0010UTC.csv')) {
        const time = parseIsoTimestamp(row[0]!);
        if (row[6] === 'ESU4' && time >= from && time < to)
          published.set(`ESU4@${time}`, publishedBar(row, 1));
      }
      const bars = aggregated.bars();
      expect([...bars.keys()].sort()).toEqual([...published.keys()].sort());
      expect(published.size, 'README: 4/4 bars').toBe(4);
      for (const [key, expected] of published) {
        const bar = bars.get(key)!;
        expect(
          { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume },
          key,
        ).toEqual(expected);
      }
    });
  },
);

describeWithMarketData(
  'GC Lean trades → Lean GC minute bars, 2013-10-07..09, per contract',
  ['gc_trades_lean_20131007-20131009.csv.gz', 'gc_1min_lean_20131007-20131011_2020.csv'],
  () => {
    it('matches OHLC on all 4,681 bars and volume on all GCZ13 bars but the three documented 23:59 ones', () => {
      const aggregated = minuteBarsByKey();
      for (const row of rows('gc_trades_lean_20131007-20131009.csv.gz')) {
        aggregated.push(row[3]!, parseIsoTimestamp(row[0]!), Number(row[1]), Number(row[2]));
      }
      const published = new Map<string, Ohlcv>();
      for (const row of rows('gc_1min_lean_20131007-20131011_2020.csv')) {
        const day = row[0]!.slice(0, 10);
        if (day >= '2013-10-07' && day <= '2013-10-09') {
          published.set(`${row[6]}@${parseIsoTimestamp(row[0]!)}`, publishedBar(row, 1));
        }
      }
      const bars = aggregated.bars();
      expect(bars.size, 'aggregated bars (README: 4,681)').toBe(4681);
      expect([...bars.keys()].sort()).toEqual([...published.keys()].sort());
      const ohlcMismatches: string[] = [];
      const frontVolume: { key: string; tick: number; published: number }[] = [];
      const deferredVolume: { key: string; tick: number; published: number }[] = [];
      for (const [key, p] of published) {
        const bar = bars.get(key)!;
        for (const field of ['open', 'high', 'low', 'close'] as const) {
          if (!same(bar[field], p[field]))
            ohlcMismatches.push(`${key} ${field} ${bar[field]} vs ${p[field]}`);
        }
        if (!same(bar.volume, p.volume)) {
          (key.startsWith('GCZ13@') ? frontVolume : deferredVolume).push({
            key,
            tick: bar.volume,
            published: p.volume,
          });
        }
      }
      const front = [...published.keys()].filter((k) => k.startsWith('GCZ13@')).length;
      const volumeMatches = published.size - frontVolume.length - deferredVolume.length;
      console.info(
        `[GC] ${published.size} bars: OHLC exact ${rate(published.size - ohlcMismatches.length, published.size)}, ` +
          `volume exact ${rate(volumeMatches, published.size)} (README 0.9957), ` +
          `GCZ13 volume exact ${rate(front - frontVolume.length, front)} of ${front} (README 0.9993)`,
      );
      expect(ohlcMismatches, 'README: OHLC exact in 100% of bars').toEqual([]);
      expect(front, 'README: GCZ13 has 4,040 bars').toBe(4040);
      expect(
        frontVolume.map(({ key }) => new Date(Number(key.split('@')[1])).toISOString().slice(11, 16)),
        'README: the 3 GCZ13 volume mismatches are the 23:59 UTC bar of each day',
      ).toEqual(['23:59', '23:59', '23:59']);
      for (const m of frontVolume) {
        expect(
          m.tick - m.published,
          `${m.key}: ticks exceed the bar by 1-2 contracts`,
        ).toBeGreaterThanOrEqual(1);
        expect(m.tick - m.published, `${m.key}: ticks exceed the bar by 1-2 contracts`).toBeLessThanOrEqual(
          2,
        );
      }
      expect(
        deferredVolume,
        'README: 17 deferred-month bars where the tick file holds prints twice',
      ).toHaveLength(17);
      for (const m of deferredVolume) {
        expect(m.tick, `${m.key}: the tick file holds extra (repeated) prints`).toBeGreaterThan(m.published);
        expect(m.tick, `${m.key}: at most every print twice`).toBeLessThanOrEqual(2 * m.published);
      }
    });
  },
);

describeWithMarketData(
  'EUR/USD Oanda quote ticks → Lean minute quote bars, bid and ask sides',
  [
    'eurusd_quotes_lean_oanda_20140501-20140515.csv.gz',
    'eurusd_1min_quotebars_lean_oanda_20140501-20140515.csv',
  ],
  () => {
    it('reproduces all 15,366 bid bars and all 15,366 ask bars exactly', () => {
      const bars = new Map<number, QuoteBar>();
      const quotes = createQuoteBarAggregator({
        timeframes: ['1m'],
        gapFill: 'none',
        onBar: (bar) => bars.set(bar.timestamp, bar),
      });
      for (const row of rows('eurusd_quotes_lean_oanda_20140501-20140515.csv.gz')) {
        quotes.push({ timestamp: parseIsoTimestamp(row[0]!), bid: Number(row[1]), ask: Number(row[2]) });
      }
      quotes.flush();
      expect(quotes.stats().rejected, 'every quote is valid').toBe(0);
      const published = rows('eurusd_1min_quotebars_lean_oanda_20140501-20140515.csv');
      expect(published).toHaveLength(15366);
      expect(bars.size).toBe(published.length);
      let bidMatches = 0;
      let askMatches = 0;
      const mismatches: string[] = [];
      for (const row of published) {
        const time = parseIsoTimestamp(row[0]!);
        const bar = bars.get(time);
        const [bo, bh, bl, bc, ao, ah, al, ac] = row.slice(1, 9).map(Number) as number[];
        const bid = bar !== undefined && [bo, bh, bl, bc].every((p, i) => same(bar.bid[fields[i]!], p!));
        const ask = bar !== undefined && [ao, ah, al, ac].every((p, i) => same(bar.ask[fields[i]!], p!));
        bidMatches += bid ? 1 : 0;
        askMatches += ask ? 1 : 0;
        if (!bid || !ask) mismatches.push(row.join(','));
      }
      console.info(
        `[EUR/USD] ${published.length} bars: bid exact ${rate(bidMatches, published.length)}, ask exact ${rate(askMatches, published.length)} (README 1.0000 both)`,
      );
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  },
);

// AlgoSeek sale-condition bits (Lean TradeConditionFlags.cs), as in the README's better rule.
const CASH = 1 << 1;
const NEXT_DAY = 1 << 2;
const SELLER = 1 << 3;
const OPENING = 1 << 6;
const CLOSING = 1 << 7;
const DERIVATIVELY_PRICED = 1 << 9;
const AVERAGE_PRICE = 1 << 20;
const OFFICIAL_CLOSE = 1 << 24;
const PRIOR_REFERENCE_PRICE = 1 << 25;
const OFFICIAL_OPEN = 1 << 26;
const NOT_PRICE_ELIGIBLE =
  CASH |
  NEXT_DAY |
  SELLER |
  DERIVATIVELY_PRICED |
  AVERAGE_PRICE |
  PRIOR_REFERENCE_PRICE |
  OFFICIAL_CLOSE |
  OFFICIAL_OPEN;
const NOT_VOLUME_ELIGIBLE = OPENING | CLOSING | OFFICIAL_OPEN | OFFICIAL_CLOSE;

/** README rates (4 decimals); a measured rate passes if it rounds to at least the stated figure. */
const spyReadme = {
  naive: { open: 0.9571, high: 0.9465, low: 0.93, close: 0.9537, volume: 0.9969, all: 0.8234 },
  rule: { open: 0.9574, high: 0.9707, low: 0.9571, close: 0.9528, volume: 0.9981, all: 0.8648 },
};

describeWithMarketData(
  'SPY AlgoSeek trades → Lean SPY minute bars, 2013-10-07..11 (vendor filter unpublished)',
  ['spy_trades_lean_20131007-20131011.csv.gz', 'spy_1min_lean_20131004-20131011_20230803.csv'],
  () => {
    it('matches the published bars at no lower a rate than the data README reports, naive and with its rule', () => {
      const all = minuteBarsByKey();
      const priced = minuteBarsByKey();
      const counted = minuteBarsByKey();
      for (const row of rows('spy_trades_lean_20131007-20131011.csv.gz')) {
        const time = parseIsoTimestamp(row[0]!);
        const price = Number(row[1]);
        const size = Number(row[2]);
        const condition = Number.parseInt(row[4]!, 16);
        all.push('', time, price, size);
        if (row[5] === '0' && (condition & NOT_PRICE_ELIGIBLE) === 0) priced.push('', time, price, size);
        if ((condition & NOT_VOLUME_ELIGIBLE) === 0) counted.push('', time, price, size);
      }
      const published = new Map<string, Ohlcv>();
      for (const row of rows('spy_1min_lean_20131004-20131011_20230803.csv')) {
        const day = row[0]!.slice(0, 10);
        if (day >= '2013-10-07' && day <= '2013-10-11')
          published.set(`@${parseIsoTimestamp(row[0]!)}`, publishedBar(row, 1));
      }
      const naiveBars = all.bars();
      const priceBars = priced.bars();
      const volumeBars = counted.bars();
      const nan = Number.NaN;
      const score = (pick: (key: string) => Ohlcv | undefined) => {
        const matches: Record<Field | 'all', number> = {
          open: 0,
          high: 0,
          low: 0,
          close: 0,
          volume: 0,
          all: 0,
        };
        let common = 0;
        for (const [key, p] of published) {
          const a = pick(key);
          if (a === undefined) continue;
          common++;
          let every = true;
          for (const field of fields) {
            if (same(a[field], p[field])) matches[field]++;
            else every = false;
          }
          if (every) matches.all++;
        }
        return {
          common,
          rates: Object.fromEntries(Object.entries(matches).map(([k, v]) => [k, v / common])),
        };
      };
      const naive = score((key) => naiveBars.get(key));
      const rule = score((key) => {
        if (!naiveBars.has(key)) return undefined;
        const p = priceBars.get(key);
        const v = volumeBars.get(key);
        return {
          open: p?.open ?? nan,
          high: p?.high ?? nan,
          low: p?.low ?? nan,
          close: p?.close ?? nan,
          volume: v?.volume ?? 0,
        };
      });
      const line = (label: string, r: Record<string, number>) =>
        `${label}: ${Object.entries(r)
          .map(([k, v]) => `${k}=${v.toFixed(4)}`)
          .join(', ')}`;
      console.info(
        `[SPY] published bars=${published.size} aggregated=${naiveBars.size} common=${naive.common}\n` +
          `  ${line('naive', naive.rates)}\n  ${line('README naive', spyReadme.naive)}\n` +
          `  ${line('rule ', rule.rates)}\n  ${line('README rule ', spyReadme.rule)}`,
      );
      expect(naive.common, 'README: 4,128 common bars').toBe(4128);
      for (const [label, measured, readme] of [
        ['naive', naive.rates, spyReadme.naive],
        ['rule', rule.rates, spyReadme.rule],
      ] as const) {
        for (const [field, floor] of Object.entries(readme)) {
          expect(measured[field]!, `${label} ${field} rate (README ${floor})`).toBeGreaterThanOrEqual(
            floor - 0.00005,
          );
        }
      }
    });
  },
);
