import { describe, expect, it } from 'vitest';
import { describeWithMarketData, marketDataPath } from '../../../test-support/market-data.js';
import { backtest, consistencyProblems } from './engine-run-support.js';

const MINUTE = 60_000;
const bucketsBetween = (first: number, last: number, minutes: number) =>
  Math.floor(last / (minutes * MINUTE)) - Math.floor(first / (minutes * MINUTE)) + 1;

describeWithMarketData(
  'backtest on SPY trades (1.89 million ticks, gzip)',
  ['spy_trades_lean_20131007-20131011.csv.gz'],
  () => {
    it('accepts every row into gap-filled bars spanning the first to the last trade', {
      timeout: 180_000,
    }, async () => {
      const results = await backtest(marketDataPath('spy_trades_lean_20131007-20131011.csv.gz'), {
        risk_management: { point_value: 1 },
      });
      expect(consistencyProblems(results)).toEqual([]);
      expect(results.ticks.accepted, 'README: 1,887,460 rows, none zero or negative').toBe(1_887_460);
      // README: first trade 2013-10-07 04:00:00.464 ET (08:00 UTC), last 2013-10-11 19:59:32.543 ET (23:59 UTC)
      const first = Date.UTC(2013, 9, 7, 8, 0, 0, 464);
      const last = Date.UTC(2013, 9, 11, 23, 59, 32, 543);
      expect(results.bars['5m']).toBe(bucketsBetween(first, last, 5));
      expect(results.bars['30m']).toBe(bucketsBetween(first, last, 30));
    });
  },
);

describeWithMarketData(
  'backtest on gold futures trades (one contract of a merged file)',
  ['gc_trades_lean_20131007-20131009.csv.gz'],
  () => {
    it('keeps GCZ13 only, counts the other months as filtered and loses no GCZ13 trade', {
      timeout: 120_000,
    }, async () => {
      const results = await backtest(marketDataPath('gc_trades_lean_20131007-20131009.csv.gz'), {
        data_handler: { symbol_filter: { column: 'contract', value: 'GCZ13' } },
      });
      expect(consistencyProblems(results)).toEqual([]);
      expect(results.ticks.accepted + results.ticks.filtered, 'README: 157,849 rows in all').toBe(157_849);
      expect(results.ticks.accepted / 157_849, 'README: 99.1 % of rows are GCZ13').toBeGreaterThan(0.985);
    });
  },
);

describeWithMarketData(
  'backtest on the ES Databento trades (ESH4, one hour)',
  ['es_trades_databento_ESH4_20231225_2300-2400UTC.csv'],
  () => {
    it('builds the hour 23:00–24:00 into twelve 5-minute and two 30-minute bars holding all 2,973 trades', async () => {
      const results = await backtest(marketDataPath('es_trades_databento_ESH4_20231225_2300-2400UTC.csv'));
      expect(consistencyProblems(results)).toEqual([]);
      expect(results.ticks.accepted).toBe(2_973);
      expect(results.bars).toEqual({ '5m': 12, '30m': 2 });
      expect((results.source as { timestamp_format: string }).timestamp_format).toBe('iso');
    });
  },
);

describe('backtest on 1-minute bar files through bars-from-bars', () => {
  describeWithMarketData(
    'BTC perpetual, a month of 1-minute bars',
    ['btcperp_1min_nautilus_20211231-20220201.csv'],
    () => {
      it('resamples every bar, keeps the snapshots finite, and finds synergies and trades', {
        timeout: 120_000,
      }, async () => {
        const results = await backtest(marketDataPath('btcperp_1min_nautilus_20211231-20220201.csv'), {
          risk_management: { point_value: 1 },
        });
        expect(consistencyProblems(results)).toEqual([]);
        expect(results.ticks.unit).toBe('source bars');
        expect(results.ticks.accepted).toBe(45_031);
        // README: consecutive minutes 2021-12-31 23:01 … 2022-02-01 05:31, no gaps, so no synthetic bars
        expect(results.bars['5m']).toBe(
          bucketsBetween(Date.UTC(2021, 11, 31, 23, 1), Date.UTC(2022, 1, 1, 5, 31), 5),
        );
        expect(results.bar_details.synthetic).toEqual({ '5m': 0, '30m': 0 });
        expect(results.synergies.length, 'a month of 30-minute bars produces synergies').toBeGreaterThan(0);
        expect(results.performance.filled, 'and the DecisionCore trades some of them').toBeGreaterThan(0);
        for (const synergy of results.synergies) expect(synergy.signal_sequence).toHaveLength(3);
      });
    },
  );

  describeWithMarketData(
    '6E futures, end-labelled 1-minute bars (gzip)',
    ['6EH4_1min_nautilus_databento_202401.csv.gz'],
    () => {
      it('relabels the bars by their start so the first session bar (23:01 end) lands in the 23:00 bucket', {
        timeout: 120_000,
      }, async () => {
        const results = await backtest(marketDataPath('6EH4_1min_nautilus_databento_202401.csv.gz'), {
          data_handler: { bar_input: { label: 'end' } },
          risk_management: { point_value: 125_000 },
          execution: { tick_size: 0.00005 },
        });
        expect(consistencyProblems(results)).toEqual([]);
        expect(results.ticks.accepted).toBe(29_996);
        // first bar ends 2024-01-01 23:01 (starts 23:00), last ends 2024-01-31 23:59 (starts 23:58)
        expect(results.bars['5m']).toBe(
          bucketsBetween(Date.UTC(2024, 0, 1, 23, 0), Date.UTC(2024, 0, 31, 23, 58), 5),
        );
      });
    },
  );

  describeWithMarketData(
    'ES 1-minute bars (Lean), the ESZ13 contract',
    ['es_1min_lean_2013-2020_sample_days.csv'],
    () => {
      it('filters one contract out of the merged file and resamples it', { timeout: 120_000 }, async () => {
        const results = await backtest(marketDataPath('es_1min_lean_2013-2020_sample_days.csv'), {
          data_handler: { symbol_filter: { column: 'contract', value: 'ESZ13' } },
        });
        expect(consistencyProblems(results)).toEqual([]);
        expect(results.ticks.filtered).toBeGreaterThan(0);
        expect(results.ticks.accepted + results.ticks.filtered + results.ticks.rejected).toBe(23_948);
        expect(results.snapshots.total).toBeGreaterThan(0);
      });
    },
  );
});
