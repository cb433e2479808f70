import { describe, expect, it } from 'vitest';
import { NQ_30_MINUTE_FILE, readNqSegments } from './algospace-bar-csv.js';
import { batchWithReadiness, toColumns, withReadiness } from './engine-indicator-adapters.js';
import { FVG, type FvgBar, type FvgFeatures } from './fvg.js';
import { barWalk, testIndicatorContract } from './indicator-contract.js';
import { IndicatorParameterError, IndicatorStateError } from './indicators-error.js';

function bar(open: number, high: number, low: number, close: number, volume = 10): FvgBar {
  return { open, high, low, close, volume };
}

/** A flat candle (doji with no range): never a middle body, never a gap edge in these scenarios. */
function flat(price: number, volume = 10): FvgBar {
  return bar(price, price, price, price, volume);
}

function feed(fvg: FVG, bars: readonly FvgBar[]): FvgFeatures[] {
  return bars.map((b) => fvg.update(b));
}

const noGap: FvgFeatures = {
  fvg_bullish_active: false,
  fvg_bearish_active: false,
  fvg_nearest_level: 0,
  fvg_age: 0,
  fvg_gap_size: 0,
  fvg_gap_size_pct: 0,
  fvg_mitigation_signal: false,
  fvg_mitigation_strength: 0,
  fvg_mitigation_depth: 0,
  fvg_bullish_mitigated: false,
  fvg_bearish_mitigated: false,
  fvg_bullish_mitigated_size: 0,
  fvg_bearish_mitigated_size: 0,
};

// The worked scenario of spec §6.2–§6.5 used by several tests below (volumes 10, 30, 20, 10, 40):
//  b=1 O100   H101   L99    C100.5  body 0.5
//  b=2 O100.5 H106   L100.5 C105.5  body 5    (the middle candle)
//  b=3 O105.5 H107   L103   C106    → bullish gap [101, 103]: L 103 > H 101, 5 > 1.5 · mean(0.5)
//  b=4 O106   H106   L101.5 C102    → close 102 < 103: maxPen (103 − 102)/2 = 0.5
//  b=5 O102   H102   L100   C100.5  → close ≤ 101: mitigated; also a bearish gap [102, 103] (H 102 < L 103,
//                                      middle body |102 − 106| = 4 > 1.5 · mean(0.5, 5, 0.5) = 3)
const scenario: FvgBar[] = [
  bar(100, 101, 99, 100.5, 10),
  bar(100.5, 106, 100.5, 105.5, 30),
  bar(105.5, 107, 103, 106, 20),
  bar(106, 106, 101.5, 102, 10),
  bar(102, 102, 100, 100.5, 40),
];

describe('FVG detection, body mode (spec §6.2)', () => {
  it('reports no gap on the first two candles, and is ready from the third (spec §6.6)', () => {
    const fvg = new FVG();
    const [first, second] = feed(fvg, scenario.slice(0, 2));
    expect(first, 'features are defined (no gap) from bar 0').toEqual(noGap);
    expect(second).toEqual(noGap);
    expect(fvg.isReady, 'detection needs three candles').toBe(false);
    fvg.update(scenario[2] as FvgBar);
    expect(fvg.isReady).toBe(true);
  });

  it('detects the bullish gap [H(t−2), L(t)] when the middle body beats 1.5 × the average body before it', () => {
    const out = feed(new FVG(), scenario.slice(0, 3))[2] as FvgFeatures;
    expect(out).toEqual({
      ...noGap,
      fvg_bullish_active: true,
      // Bullish: the level is `upper` (103); the distance used to rank gaps is |106 − lower|.
      fvg_nearest_level: 103,
      fvg_age: 0,
      fvg_gap_size: 2,
      fvg_gap_size_pct: (100 * 2) / 106,
    });
  });

  it('tracks penetration by the close, then mitigates on a close at or through the far edge (spec §6.4)', () => {
    const out = feed(new FVG(), scenario);
    expect(out[3]?.fvg_mitigation_depth, 'close 102 is halfway into [101, 103]').toBe(0.5);
    expect(out[3]?.fvg_age).toBe(1);
    const mitigation = out[4] as FvgFeatures;
    // s = 5 − 3 = 2 bars; maxPen = (103 − 100.5)/2 = 1.25 → capped at 1; volRatio = 40 / mean(10,30,20,10,40) = 40/22.
    const strength = 0.4 * 1 + 0.3 * (1 - 2 / 20) + 0.2 * Math.min(40 / 22 / 2, 1) + 0.1 * (1 - 2 / 50);
    expect(mitigation).toEqual({
      ...noGap,
      fvg_bearish_active: true,
      fvg_nearest_level: 102,
      fvg_age: 0,
      fvg_gap_size: 1,
      fvg_gap_size_pct: (100 * 1) / 100.5,
      fvg_mitigation_signal: true,
      fvg_mitigation_strength: strength,
      fvg_mitigation_depth: 0,
      fvg_bullish_mitigated: true,
      fvg_bullish_mitigated_size: 2,
    });
    expect(strength, 'the hand-computed score').toBeCloseTo(0.9478181818, 9);
  });

  it('raises the mitigation signal on the mitigation bar and the signalWindow bars after, then drops it (spec §6.5)', () => {
    const fvg = new FVG();
    feed(fvg, scenario);
    const after = feed(
      fvg,
      Array.from({ length: 6 }, () => flat(100.5)),
    );
    expect(
      after.map((f) => f.fvg_mitigation_signal),
      'mitigated at b=5: true for b=6…10, false at b=11',
    ).toEqual([true, true, true, true, true, false]);
    expect(after[4]?.fvg_mitigation_strength).toBeCloseTo(0.9478181818, 9);
    expect(after[5]?.fvg_mitigation_strength).toBe(0);
    expect(
      after.map((f) => f.fvg_bullish_mitigated),
      'the NEW mitigated keys are edge-triggered',
    ).toEqual([false, false, false, false, false, false]);
  });

  it('detects a bearish gap [H(t), L(t−2)] symmetrically, mitigated by a close at or above its upper edge', () => {
    const bars = [
      bar(100, 101, 99, 99.5, 10), // body 0.5
      bar(99.5, 99.5, 94, 94.5, 10), // body 5
      bar(94.5, 97, 93, 96, 10), // H 97 < L 99 → bearish [97, 99]
      bar(96, 99.5, 96, 99, 10), // close 99 ≥ upper 99 → mitigated, maxPen (99 − 97)/2 = 1
    ];
    const out = feed(new FVG(), bars);
    expect(out[2]).toMatchObject({ fvg_bearish_active: true, fvg_nearest_level: 97, fvg_gap_size: 2 });
    expect(out[3]).toMatchObject({
      fvg_bearish_active: false,
      fvg_bearish_mitigated: true,
      fvg_bearish_mitigated_size: 2,
      fvg_mitigation_signal: true,
    });
    // s = 1; volRatio = 10 / mean(10,10,10,10) = 1.
    const strength = 0.4 * 1 + 0.3 * (1 - 1 / 20) + 0.2 * 0.5 + 0.1 * (1 - 1 / 50);
    expect(out[3]?.fvg_mitigation_strength).toBe(Math.min(strength, 1));
  });

  it('never treats equality as a gap (L(t) = H(t−2) fails the strict test, spec §6.6)', () => {
    const out = feed(new FVG(), [
      bar(100, 101, 99, 100.5),
      bar(100.5, 106, 100.5, 105.5),
      bar(105.5, 107, 101, 106),
    ]);
    expect(out[2]?.fvg_bullish_active).toBe(false);
  });

  it('never passes a middle doji through the filter, however large the gap (spec §6.6)', () => {
    const out = feed(new FVG(), [
      bar(100, 101, 99, 100.5),
      bar(103, 110, 102, 103),
      bar(105.5, 107, 105, 106),
    ]);
    expect(out[2]?.fvg_bullish_active).toBe(false);
  });

  it('floors the average body at minAvgBody = 0.001 price units (spec §6.1)', () => {
    // Doji history: average body 0 → floored to 0.001, so the middle body must exceed 0.0015.
    const run = (middleBody: number) =>
      feed(new FVG(), [
        flat(100),
        bar(100, 100 + middleBody, 100, 100 + middleBody),
        bar(101, 101, 100.5, 101),
      ])[2];
    expect(run(0.002)?.fvg_bullish_active, '0.002 > 1.5 · 0.001').toBe(true);
    expect(run(0.0014)?.fvg_bullish_active, '0.0014 < 1.5 · 0.001').toBe(false);
  });

  it('averages up to `lookback` bodies before the middle candle only (spec §6.2: j = max(0, t−11) … t−2)', () => {
    // Twelve candles of body 4, then eleven of body 1 … the last ten bodies before the middle are 1, so a
    // middle body of 2 passes (2 > 1.5); had the older bodies of 4 been included it would not.
    const history = [
      ...Array.from({ length: 12 }, () => bar(100, 104, 100, 104)),
      ...Array.from({ length: 11 }, () => bar(104, 105, 104, 105)),
    ];
    const fvg = new FVG();
    feed(fvg, history);
    fvg.update(bar(105, 107, 105, 107)); // middle, body 2
    expect(
      fvg.update(bar(107, 108, 105.5, 108)).fvg_bullish_active,
      'L 105.5 > H 105, body 2 > 1.5 · 1',
    ).toBe(true);
  });
});

describe('FVG detection, prd mode (spec §6.3)', () => {
  const prd = () => new FVG({ detectionMode: 'prd' });

  it('needs L(t) > H(t−2), a middle close above H(t−2) and a gap above 0.1 % of that close, with no body filter', () => {
    // Middle candle is a doji at 100.2: the body filter would reject it, the prd rule does not.
    const gap = feed(prd(), [bar(99.5, 100, 99, 99.8), flat(100.2), bar(100.2, 100.4, 100.15, 100.3)])[2];
    expect(gap?.fvg_bullish_active, 'g = 0.15, 0.15/100.2 ≈ 0.15 % > 0.1 %').toBe(true);
    expect(gap?.fvg_gap_size).toBeCloseTo(0.15, 12);
    const small = feed(prd(), [bar(99.5, 100, 99, 99.8), flat(100.2), bar(100.2, 100.4, 100.05, 100.3)])[2];
    expect(small?.fvg_bullish_active, 'g = 0.05 ≈ 0.05 % of 100.2').toBe(false);
    const weakMiddle = feed(prd(), [
      bar(99.5, 100, 99, 99.8),
      flat(99.9),
      bar(100.2, 100.4, 100.15, 100.3),
    ])[2];
    expect(weakMiddle?.fvg_bullish_active, 'middle close 99.9 is not above H(t−2) = 100').toBe(false);
  });

  it('detects bearish gaps with the mirrored rule', () => {
    const gap = feed(prd(), [bar(100.5, 101, 100, 100.2), flat(99.8), bar(99.8, 99.85, 99.6, 99.7)])[2];
    expect(gap).toMatchObject({ fvg_bearish_active: true, fvg_nearest_level: 99.85 });
  });
});

describe('FVG lifecycle edges (spec §6.4–§6.6)', () => {
  it('reports a gap active up to age maxAge, expires it after, but still mitigates it at age maxAge + 1', () => {
    const head = scenario.slice(0, 3); // bullish [101, 103] created at b=3
    const expiring = new FVG({ maxAge: 2 });
    const ages = feed(expiring, [...head, flat(104), flat(104), flat(104)]).slice(2);
    expect(ages.map((f) => f.fvg_bullish_active)).toEqual([true, true, true, false]);
    expect(ages.map((f) => f.fvg_age)).toEqual([0, 1, 2, 0]);

    const lastChance = new FVG({ maxAge: 2 });
    const out = feed(lastChance, [...head, flat(104), flat(104), flat(100)]);
    expect(out[5]?.fvg_bullish_mitigated, 'age 3 = maxAge + 1: step 4 runs before step 6').toBe(true);
  });

  it('uses a volume ratio of 1 when the stored volumes average 0 (spec §6.4 step 3)', () => {
    const zeroVolume = scenario.slice(0, 3).map((b) => ({ ...b, volume: 0 }));
    const out = feed(new FVG(), [...zeroVolume, bar(106, 106, 100, 100.5, 0)]);
    // s = 1, maxPen = 1.25 → 1, volRatio = 1.
    const strength = 0.4 + 0.3 * (1 - 1 / 20) + 0.2 * 0.5 + 0.1 * (1 - 1 / 50);
    expect(out[3]?.fvg_mitigation_strength).toBe(Math.min(strength, 1));
  });

  it('reports a gap size percentage of 0 when the close is not positive (spec §6.6)', () => {
    const out = feed(new FVG(), [bar(1.6, 2, 1.5, 1.7), bar(1.5, 1.5, 0.2, 0.2), bar(0.2, 0.5, -0.5, 0)]);
    expect(out[2]).toMatchObject({ fvg_bearish_active: true, fvg_gap_size: 1, fvg_gap_size_pct: 0 });
  });

  it('picks the nearest active gap by the distance from the close to its far edge (spec §6.5)', () => {
    // Bullish [101, 103] (b=3) and bullish [106.5, 108] (b=6, middle body 6 > 1.5 · mean(0.5, 5, 0.5, 0.25)).
    // At close 110 the distances to the lower edges are 9 and 3.5 → the second gap; its level is its upper edge.
    const fvg = new FVG();
    const out = feed(fvg, [
      ...scenario.slice(0, 3),
      bar(106, 106.5, 105.5, 106.25, 10),
      bar(107.5, 114, 107.5, 113.5, 10),
      bar(113.5, 114, 108, 110, 10),
    ]);
    expect(out[5]).toMatchObject({
      fvg_bullish_active: true,
      fvg_nearest_level: 108,
      fvg_gap_size: 1.5,
      fvg_age: 0,
    });
    const next = fvg.update(bar(110, 110, 107, 107, 10));
    expect(next, 'close 107 penetrates the second gap by (108 − 107)/1.5').toMatchObject({
      fvg_nearest_level: 108,
      fvg_age: 1,
      fvg_mitigation_depth: 1 / 1.5,
    });
  });
});

describe('FVG nearest-gap ties (spec §6.5)', () => {
  it('lets the first created gap win a distance tie', () => {
    // Bullish [101, 103] (b=3). b=4 up, b=5 a 5.5-point down body, b=6 H 105.5 < L(b=4) 106 → bearish
    // [105.5, 106] (middle body 5.5 > 1.5 · mean(0.5, 5, 0.5, 4.5)). Close 103.5: |103.5 − 101| = 2.5 =
    // |103.5 − 106| → the bullish gap (created first) is the nearest: level 103, age 3, size 2.
    const out = feed(new FVG(), [
      ...scenario.slice(0, 3),
      bar(106, 111, 106, 110.5),
      bar(110.5, 110.5, 104.5, 105),
      bar(105, 105.5, 103.5, 103.5),
    ]);
    expect(out[5]).toMatchObject({
      fvg_bullish_active: true,
      fvg_bearish_active: true,
      fvg_nearest_level: 103,
      fvg_age: 3,
      fvg_gap_size: 2,
    });
  });
});

describe('FVG parameters and batch form', () => {
  it('rejects invalid parameters with an IndicatorParameterError naming them', () => {
    expect(() => new FVG({ lookback: 0 })).toThrow(IndicatorParameterError);
    expect(() => new FVG({ lookback: 0 })).toThrow(/lookback/);
    expect(() => new FVG({ maxAge: 1.5 })).toThrow(/maxAge/);
    expect(() => new FVG({ bodyMult: -1 })).toThrow(/bodyMult/);
    // @ts-expect-error an unknown mode must be rejected at run time too
    expect(() => new FVG({ detectionMode: 'wick' })).toThrow(/detectionMode/);
  });

  it('rejects a state that does not fit with an IndicatorStateError and stays unchanged', () => {
    const fvg = new FVG();
    feed(fvg, [...scenario, ...Array.from({ length: 8 }, () => flat(100.5))]);
    const state = fvg.snapshot();
    const broken = { ...state, gaps: [{ ...state.gaps[0], lower: 'x' }] } as unknown as typeof state;
    expect(() => fvg.restore(broken)).toThrow(IndicatorStateError);
    expect(() => new FVG({ lookback: 2 }).restore(state), 'state of a larger lookback').toThrow(/candles/);
    expect(fvg.snapshot()).toEqual(state);
  });

  it('computes in batch exactly what it streams', () => {
    const columns = {
      open: scenario.map((b) => b.open),
      high: scenario.map((b) => b.high),
      low: scenario.map((b) => b.low),
      close: scenario.map((b) => b.close),
      volume: scenario.map((b) => b.volume),
    };
    expect(FVG.batch(columns)).toEqual(feed(new FVG(), scenario));
  });
});

testIndicatorContract(
  'FVG (body mode)',
  () => withReadiness(new FVG(), (features) => features),
  (length) => barWalk(length, { label: '5m', milliseconds: 300_000 }),
  {
    requiredInputs: 3,
    isNotReadyOutput: (output) => !output.ready,
    batch: (bars) => batchWithReadiness(FVG.batch(toColumns(bars)), 3),
    realData: { files: [NQ_30_MINUTE_FILE], load: () => readNqSegments() },
  },
);

testIndicatorContract(
  'FVG (prd mode)',
  () => withReadiness(new FVG({ detectionMode: 'prd' }), (features) => features),
  barWalk,
  {
    requiredInputs: 3,
    isNotReadyOutput: (output) => !output.ready,
    batch: (bars) => batchWithReadiness(FVG.batch(toColumns(bars), { detectionMode: 'prd' }), 3),
  },
);
