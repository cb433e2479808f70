/**
 * Cross-checks of the primitives against trading-signals (and technicalindicators where its definitions agree)
 * on the real NQ 30-minute series, both segments either side of the file's bad stretch, to 1e-9 relative.
 */
import { SMA as TiSMA, WMA as TiWMA } from 'technicalindicators';
import * as ts from 'trading-signals';
import { expect, it } from 'vitest';
import { describeWithMarketData } from '../../../test-support/market-data.js';
import { type CsvBar, NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { ATR } from './atr.js';
import { EMA } from './ema.js';
import { RSI } from './rsi.js';
import { SMA } from './sma.js';
import { WMA } from './wma.js';

interface Peer<Input> {
  update(input: Input, replace: boolean): unknown;
  readonly isStable: boolean;
  getResultOrThrow(): number;
}

/** Asserts our values are NaN exactly where the peer is not yet stable, and within 1e-9 relative elsewhere. */
function expectAgreement<Input>(
  name: string,
  ours: Float64Array,
  peer: Peer<Input>,
  inputs: readonly Input[],
): number {
  let compared = 0;
  inputs.forEach((input, i) => {
    peer.update(input, false);
    const a = ours[i] as number;
    if (!peer.isStable) {
      if (!Number.isNaN(a)) expect.fail(`${name} #${i}: ours ${a}, trading-signals not yet stable`);
      return;
    }
    const b = peer.getResultOrThrow();
    if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) {
      expect.fail(`${name} #${i}: ours ${a} vs trading-signals ${b} (tolerance 1e-9 relative)`);
    }
    compared++;
  });
  return compared;
}

describeWithMarketData('primitives vs trading-signals on NQ 30-minute bars', [NQ_30_MINUTE_FILE], () => {
  const segments = (): CsvBar[][] => readNqSegments();

  it.each([5, 14, 20])(
    'SMA, EMA, WMA and RSI of length %i agree to 1e-9 relative on every close',
    (length) => {
      for (const bars of segments()) {
        const closes = bars.map((b) => b.close);
        const n = closes.length;
        expect(expectAgreement('SMA', SMA.batch(closes, length), new ts.SMA(length), closes)).toBe(
          n - length + 1,
        );
        expect(expectAgreement('EMA', EMA.batch(closes, length), new ts.EMA(length), closes)).toBe(
          n - length + 1,
        );
        expect(expectAgreement('WMA', WMA.batch(closes, length), new ts.WMA(length), closes)).toBe(
          n - length + 1,
        );
        expect(expectAgreement('RSI', RSI.batch(closes, length), new ts.RSI(length), closes)).toBe(
          n - length,
        );
      }
    },
  );

  it.each([14, 20])('ATR of length %i agrees to 1e-9 relative on every bar', (length) => {
    for (const bars of segments()) {
      const columns = {
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
      };
      const compared = expectAgreement('ATR', ATR.batch(columns, length), new ts.ATR(length), bars);
      expect(compared).toBe(bars.length - length + 1);
    }
  });

  it('SMA and WMA also agree with technicalindicators (whose RSI rounds to 2 decimals and whose ATR skips bar 0)', () => {
    for (const bars of segments()) {
      const closes = bars.map((b) => b.close);
      for (const [ours, theirs] of [
        [SMA.batch(closes, 20), TiSMA.calculate({ values: closes, period: 20 })],
        [WMA.batch(closes, 20), TiWMA.calculate({ values: closes, period: 20 })],
      ] as const) {
        expect(theirs.length).toBe(closes.length - 19);
        theirs.forEach((b, i) => {
          const a = ours[i + 19] as number;
          if (!(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))) expect.fail(`#${i + 19}: ${a} vs ${b}`);
        });
      }
    }
  });
});
