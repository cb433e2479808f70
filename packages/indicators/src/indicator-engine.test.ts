import type { Bar } from '@algospace/bars';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeatureSnapshot } from './feature-snapshot.js';
import { FVG } from './fvg.js';
import { HeikinAshi } from './heikin-ashi.js';
import { barWalk } from './indicator-contract.js';
import { createIndicatorEngine } from './indicator-engine.js';
import { IndicatorParameterError, IndicatorsError } from './indicators-error.js';
import { LVN } from './lvn.js';
import { MLMI } from './mlmi.js';
import { MMD } from './mmd.js';
import { NWRQK } from './nwrqk.js';

/** The keys of spec §9.2, spelled out from the table (13 fvg_* keys of §6.5). */
const SPEC_KEYS = [
  'mlmi_value',
  'mlmi_signal',
  'nwrqk_value',
  'nwrqk_slope',
  'nwrqk_signal',
  'lvn_nearest_price',
  'lvn_nearest_strength',
  'lvn_distance_points',
  'fvg_bullish_active',
  'fvg_bearish_active',
  'fvg_nearest_level',
  'fvg_age',
  'fvg_gap_size',
  'fvg_gap_size_pct',
  'fvg_mitigation_signal',
  'fvg_mitigation_strength',
  'fvg_mitigation_depth',
  'fvg_bullish_mitigated',
  'fvg_bearish_mitigated',
  'fvg_bullish_mitigated_size',
  'fvg_bearish_mitigated_size',
  'mmd_features',
  'mlmi_minus_nwrqk',
  'mlmi_div_nwrqk',
  'current_price',
  'current_volume',
  'timestamp',
  'trigger',
  'asOf',
  'last_update_5min',
  'last_update_30min',
  'mlmi_ready',
  'nwrqk_ready',
  'lvn_ready',
  'mmd_ready',
  'fvg_ready',
].sort();

const T0 = Date.UTC(2024, 0, 2, 10, 0);
const MINUTE = 60_000;

function bar(timeframe: '5m' | '30m', timestamp: number, close: number, volume = 100): Bar {
  return {
    timestamp,
    timeframe,
    open: close - 0.5,
    high: close + 1,
    low: close - 1,
    close,
    volume,
    synthetic: false,
    tickCount: 10,
  };
}

/** Every number in the snapshot (including the 16 MMD values) is finite. */
function allFinite(snapshot: object): boolean {
  return Object.values(snapshot).every((value) => {
    if (typeof value === 'number') return Number.isFinite(value);
    if (Array.isArray(value)) return value.every((v) => typeof v === 'number' && Number.isFinite(v));
    return true;
  });
}

describe('IndicatorEngine emission rules (spec §9.1)', () => {
  it('returns null for 5-minute bars until a 30-minute bar has been processed, but still updates the store', () => {
    const engine = createIndicatorEngine();
    expect(engine.update(bar('5m', T0, 100))).toBeNull();
    const view = engine.snapshot();
    expect(view.last_update_5min).toBe(T0);
    expect(view.last_update_30min).toBeNull();
    expect(view.current_price).toBe(100);
    expect(engine.stats()).toMatchObject({
      fiveMinuteBars: 1,
      snapshotsEmitted: 0,
      fiveMinuteBarsBeforeFirst30m: 1,
    });
  });

  it('always emits on a 30-minute bar, and on every 5-minute bar after that', () => {
    const engine = createIndicatorEngine();
    const first = engine.update(bar('30m', T0, 100));
    expect(first?.trigger).toBe('30m');
    expect(first?.asOf, 'asOf = bar start + 30 minutes').toBe(T0 + 30 * MINUTE);
    expect(first?.timestamp, 'timestamp stays the bar start').toBe(T0);
    const five = engine.update(bar('5m', T0 + 30 * MINUTE, 101));
    expect(five?.trigger).toBe('5m');
    expect(five?.asOf).toBe(T0 + 35 * MINUTE);
    expect(five?.last_update_30min, '5-minute snapshots carry the previous 30-minute values').toBe(T0);
  });

  it('emits a "5m" then a "30m" snapshot on a 30-minute boundary, with equal asOf and timestamps 25 minutes apart', () => {
    const engine = createIndicatorEngine();
    engine.update(bar('30m', T0 - 30 * MINUTE, 99));
    const five = engine.update(bar('5m', T0 + 25 * MINUTE, 100)) as FeatureSnapshot;
    const thirty = engine.update(bar('30m', T0, 100)) as FeatureSnapshot;
    expect(five.asOf).toBe(thirty.asOf);
    expect(five.timestamp - thirty.timestamp).toBe(25 * MINUTE);
    expect(five.last_update_30min, 'the 5m snapshot still holds the previous 30-minute bar').toBe(
      T0 - 30 * MINUTE,
    );
    expect(thirty.last_update_30min).toBe(T0);
    expect(thirty.last_update_5min).toBe(T0 + 25 * MINUTE);
  });
});

describe('IndicatorEngine Feature Store (spec §9.2)', () => {
  it('has exactly the §9.2 keys with their before-ready values, before any bar and after the first', () => {
    const engine = createIndicatorEngine();
    const empty = engine.snapshot();
    expect(Object.keys(empty).sort()).toEqual(SPEC_KEYS);
    expect(empty).toMatchObject({
      mlmi_value: 0,
      mlmi_signal: 0,
      nwrqk_value: 0,
      lvn_nearest_price: 0,
      fvg_bullish_active: false,
      fvg_nearest_level: 0,
      mlmi_minus_nwrqk: 0,
      mlmi_div_nwrqk: 1,
      last_update_5min: null,
      last_update_30min: null,
      trigger: null,
      mlmi_ready: false,
      nwrqk_ready: false,
      lvn_ready: false,
      mmd_ready: false,
      fvg_ready: false,
    });
    expect(empty.mmd_features).toEqual(new Array(16).fill(0));
    const first = engine.update(bar('30m', T0, 100)) as FeatureSnapshot;
    expect(Object.keys(first).sort()).toEqual(SPEC_KEYS);
    expect(first.mlmi_div_nwrqk, 'nwrqk_value 0 → sign(mlmi_value) = sign(0)').toBe(0);
  });

  it('hands out frozen snapshots that later bars do not change', () => {
    const engine = createIndicatorEngine();
    const first = engine.update(bar('30m', T0, 100)) as FeatureSnapshot;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.mmd_features)).toBe(true);
    expect(Object.isFrozen(engine.snapshot())).toBe(true);
    engine.update(bar('30m', T0 + 30 * MINUTE, 105));
    expect(first.current_price).toBe(100);
    expect(first.timestamp).toBe(T0);
  });

  it('routes per spec §0.3: FVG on standard 5m bars; MLMI, NW-RQK and MMD on the HA close; LVN on standard bars', () => {
    const engine = createIndicatorEngine();
    const ha = new HeikinAshi();
    const mlmi = new MLMI();
    const nwrqk = new NWRQK();
    const lvn = new LVN();
    const mmd = new MMD();
    const fvg = new FVG();
    let seed = 11;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    let price = 15000;
    for (let i = 0; i < 260; i++) {
      const t = T0 + i * 30 * MINUTE;
      for (let k = 0; k < 6; k++) {
        price += Math.round((next() - 0.5) * 40) * 0.25;
        const five: Bar = {
          timestamp: t + k * 5 * MINUTE,
          timeframe: '5m',
          open: price,
          high: price + Math.round(next() * 8) * 0.25,
          low: price - Math.round(next() * 8) * 0.25,
          close: price + Math.round((next() - 0.5) * 8) * 0.25,
          volume: Math.round(next() * 500),
          synthetic: false,
          tickCount: 5,
        };
        const features = fvg.update(five);
        const snapshot = engine.update(five);
        if (i > 0) {
          expect(snapshot?.fvg_gap_size).toBe(features.fvg_gap_size);
          expect(snapshot?.fvg_mitigation_signal).toBe(features.fvg_mitigation_signal);
        }
      }
      const standard: Bar = {
        timestamp: t,
        timeframe: '30m',
        open: price - 3,
        high: price + 4,
        low: price - 5.5,
        close: price,
        volume: Math.round(next() * 3000),
        synthetic: false,
        tickCount: 50,
      };
      const candle = ha.update(standard);
      const m = mlmi.update(candle.close);
      const n = nwrqk.update(candle.close);
      const l = lvn.update(standard);
      const v = mmd.update({ close: candle.close, volume: standard.volume });
      const s = engine.update(standard) as FeatureSnapshot;
      expect(s.mlmi_value).toBe(Number.isNaN(m.value) ? 0 : m.value);
      expect(s.mlmi_ready).toBe(mlmi.isReady);
      expect(s.nwrqk_value).toBe(Number.isNaN(n.value) ? 0 : n.value);
      expect(s.nwrqk_slope).toBe(Number.isNaN(n.slope) ? 0 : n.slope);
      expect(s.nwrqk_signal).toBe(n.signal);
      expect(s.lvn_nearest_price).toBe(Number.isNaN(l.price) ? 0 : l.price);
      expect(s.lvn_ready).toBe(!Number.isNaN(l.price));
      expect(s.mmd_features).toEqual(v.every(Number.isFinite) ? Array.from(v) : new Array(16).fill(0));
      expect(s.mlmi_minus_nwrqk).toBe(s.mlmi_value - s.nwrqk_value);
      if (Math.abs(s.nwrqk_value) > 1e-8) expect(s.mlmi_div_nwrqk).toBe(s.mlmi_value / s.nwrqk_value);
      expect(s.current_price, 'current_price is the standard close, not the HA close').toBe(price);
    }
    const last = engine.snapshot();
    expect([last.mlmi_ready, last.nwrqk_ready, last.mmd_ready, last.fvg_ready]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('never lets NaN or Infinity out, on random interleaved 5m/30m streams (property)', () => {
    const fiveMinute = { label: '5m', milliseconds: 5 * MINUTE };
    fc.assert(
      fc.property(
        barWalk({ minLength: 0, maxLength: 300 }, fiveMinute),
        barWalk({ minLength: 0, maxLength: 150 }),
        (fives, thirties) => {
          const engine = createIndicatorEngine();
          let f = 0;
          for (const thirty of thirties) {
            for (let k = 0; k < 2 && f < fives.length; k++, f++) {
              const out = engine.update(fives[f] as Bar);
              if (out !== null) expect(allFinite(out)).toBe(true);
            }
            const out = engine.update(thirty as Bar);
            expect(out !== null && allFinite(out)).toBe(true);
          }
          expect(allFinite(engine.snapshot())).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('replaces an MMD vector with a non-positive HA close by 16 zeros and mmd_ready false (spec §8.4, §9.2)', () => {
    const engine = createIndicatorEngine({
      mmd: { signatureWindow: 2, shortVolWindow: 2, longVolWindow: 2, mmdHalf: 2, volumeWindow: 2 },
    });
    let out: FeatureSnapshot | null = null;
    for (let i = 0; i < 8; i++) out = engine.update(bar('30m', T0 + i * 30 * MINUTE, 100 + i));
    expect(out?.mmd_ready).toBe(true);
    out = engine.update({ ...bar('30m', T0 + 8 * 30 * MINUTE, 0), open: 0, high: 0, low: 0 });
    expect(out?.mmd_ready).toBe(false);
    expect(out?.mmd_features).toEqual(new Array(16).fill(0));
  });
});

describe('IndicatorEngine options and input errors', () => {
  it('rejects invalid parameters with a typed error naming the parameter', () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const lag = attempt(() => createIndicatorEngine({ nwrqk: { h: 2, lag: 2 } }));
    expect(lag).toBeInstanceOf(IndicatorParameterError);
    expect((lag as IndicatorParameterError).message, 'h − lag ≤ 0').toMatch(/lag/);
    expect(() => createIndicatorEngine({ mlmi: { k: 0 } })).toThrow(/\bk\b/);
    expect(() => createIndicatorEngine({ fvg: { maxAge: -1 } })).toThrow(/maxAge/);
    expect(() => createIndicatorEngine({ lvn: { binSize: 0 } })).toThrow(/binSize/);
    expect(() => createIndicatorEngine({ mmd: { mmdHalf: 0 } })).toThrow(/mmdHalf/);
    // @ts-expect-error an unknown LVN source must be rejected at run time too
    expect(() => createIndicatorEngine({ lvn: { source: 'renko' } })).toThrow(/source/);
    // @ts-expect-error a misspelt option must not be ignored silently
    expect(() => createIndicatorEngine({ lvn: { binsize: 0.01 } })).toThrow(/lvn\.binsize/);
    // @ts-expect-error nor a misspelt section
    expect(() => createIndicatorEngine({ mmdd: {} })).toThrow(/mmdd/);
  });

  it('rejects a bar of any other timeframe with INDICATORS_UNSUPPORTED_TIMEFRAME', () => {
    const engine = createIndicatorEngine();
    let caught: unknown;
    try {
      engine.update({ ...bar('5m', T0, 100), timeframe: '1m' });
    } catch (error) {
      caught = error;
    }
    expect(IndicatorsError.isInstance(caught)).toBe(true);
    expect((caught as IndicatorsError).code).toBe('INDICATORS_UNSUPPORTED_TIMEFRAME');
    expect((caught as Error).message).toMatch(/'5m' or '30m', got "1m"/);
  });

  it('feeds LVN the Heiken Ashi bars when lvn.source is heikin_ashi', () => {
    const standard = createIndicatorEngine();
    const heikin = createIndicatorEngine({ lvn: { source: 'heikin_ashi' } });
    const ha = new HeikinAshi();
    const lvn = new LVN();
    let a: FeatureSnapshot | null = null;
    let b: FeatureSnapshot | null = null;
    for (let i = 0; i < 30; i++) {
      const input = bar('30m', T0 + i * 30 * MINUTE, 100 + ((i * 7) % 11) * 0.25, 100 + i);
      const candle = ha.update(input);
      const expected = lvn.update({ ...candle, volume: input.volume });
      a = standard.update(input);
      b = heikin.update(input);
      expect(b?.lvn_nearest_price).toBe(Number.isNaN(expected.price) ? 0 : expected.price);
    }
    expect(a?.lvn_ready && b?.lvn_ready).toBe(true);
  });

  it('reset() returns the engine to its initial state', () => {
    const engine = createIndicatorEngine();
    for (let i = 0; i < 5; i++) engine.update(bar('30m', T0 + i * 30 * MINUTE, 100 + i));
    engine.reset();
    expect(engine.snapshot()).toEqual(createIndicatorEngine().snapshot());
    expect(engine.update(bar('5m', T0, 100))).toBeNull();
  });
});

describe('IndicatorEngine checkpoint and restore', () => {
  /** A deterministic interleaved stream: six 5-minute bars then their 30-minute bar, 160 times. */
  function stream(): Bar[] {
    const out: Bar[] = [];
    let price = 15000;
    let seed = 5;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 160; i++) {
      const start = T0 + i * 30 * MINUTE;
      const open = price;
      for (let k = 0; k < 6; k++) {
        price += Math.round((next() - 0.5) * 24) * 0.25;
        out.push(bar('5m', start + k * 5 * MINUTE, price, Math.round(next() * 400)));
      }
      out.push({ ...bar('30m', start, price, Math.round(next() * 3000)), open });
    }
    return out;
  }

  it('continues from a structured clone of a mid-stream checkpoint exactly like the uninterrupted engine', () => {
    const bars = stream();
    const original = createIndicatorEngine();
    const expected = bars.map((b) => original.update(b));
    const cut = 700;
    const first = createIndicatorEngine();
    for (const b of bars.slice(0, cut)) first.update(b);
    const resumed = createIndicatorEngine();
    resumed.update(bar('30m', T0, 1)); // a used engine: restore must replace everything
    resumed.restore(structuredClone(first.checkpoint()));
    expect(resumed.snapshot()).toEqual(first.snapshot());
    expect(resumed.stats()).toEqual(first.stats());
    const tail = bars.slice(cut).map((b) => resumed.update(b));
    expect(tail).toEqual(expected.slice(cut));
    expect(Object.isFrozen(resumed.snapshot().mmd_features)).toBe(true);
  });

  it('rejects a checkpoint that does not fit with an IndicatorStateError and keeps its state', () => {
    const engine = createIndicatorEngine();
    for (const b of stream().slice(0, 50)) engine.update(b);
    const before = engine.snapshot();
    const good = engine.checkpoint();
    const bad = [
      { ...good, version: 2 },
      { ...good, store: { ...good.store, mlmi_value: Number.NaN } },
      { ...good, store: { ...good.store, mmd_features: [1, 2, 3] } },
      { ...good, mmd: { ...good.mmd, returns: [1] } },
    ];
    for (const checkpoint of bad) {
      let caught: unknown;
      try {
        engine.restore(checkpoint as typeof good);
      } catch (error) {
        caught = error;
      }
      expect(IndicatorsError.isInstance(caught), JSON.stringify(Object.keys(checkpoint))).toBe(true);
      expect((caught as IndicatorsError).code).toBe('INDICATORS_INVALID_STATE');
      expect(engine.snapshot()).toEqual(before);
    }
  });
});
