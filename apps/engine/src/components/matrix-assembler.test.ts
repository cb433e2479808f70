import { createEventBus } from '@algospace/event-bus';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotAt, T0 } from './__fixtures__/feature-snapshot.js';
import type { MatrixReadyEvent } from './matrix-assembler.js';
import {
  clip,
  createMatrixAssemblerComponent,
  MatrixAssembler,
  MatrixConfigError,
  RollingNormalizer,
} from './matrix-assembler.js';
import { MATRIX_5M_FEATURES, MatrixAssembler5m } from './matrix-assembler-5m.js';
import { MATRIX_30M_FEATURES, MatrixAssembler30m } from './matrix-assembler-30m.js';
import { MatrixAssemblerRegime } from './matrix-assembler-regime.js';
import type { SignalsEvents } from './signals-component.js';

/** Float32 storage: compare with the float32 rounding of the expected binary64 value. */
const f32 = (x: number) => Math.fround(x);

describe('RollingNormalizer (spec §11.1)', () => {
  it('matches the hand-worked values for 1, 2, 3 during warm-up', () => {
    // n=2: α'=1/2, δ=1 → μ=1.5, σ²=½(0+½·1)=0.25; n=3: α'=1/3, δ=1.5 → μ=2, σ²=⅔(0.25+⅓·2.25)=⅔.
    const n = new RollingNormalizer(0.01);
    n.update(1);
    expect([n.mean, n.variance]).toEqual([1, 0]);
    n.update(2);
    expect([n.mean, n.variance]).toEqual([1.5, 0.25]);
    n.update(3);
    expect(n.mean).toBe(2);
    expect(n.variance).toBeCloseTo(2 / 3, 15);
  });

  it('switches to α after the warm-up samples', () => {
    // warm-up 2, α 0.1: 1, 3 → μ=2, σ²=1; then 5: δ=3, μ=2.3, σ²=0.9·(1 + 0.1·9) = 1.71.
    const n = new RollingNormalizer(0.1, 2);
    for (const v of [1, 3, 5]) n.update(v);
    expect(n.mean).toBeCloseTo(2.3, 14);
    expect(n.variance).toBeCloseTo(1.71, 14);
  });

  it('gives z = 0 before two values and for a flat series, and clips at ±3', () => {
    const n = new RollingNormalizer();
    expect(n.zScore(5)).toBe(0);
    n.update(5);
    n.update(5);
    expect(n.zScore(9), 'σ = 0').toBe(0);
    n.update(7);
    // μ = 17/3, σ² = population variance of 5, 5, 7 = 8/9 → z(100) is far above 3.
    expect(n.zScore(100)).toBe(3);
    expect(n.zScore(-100)).toBe(-3);
    expect(n.zScore(7)).toBeCloseTo((7 - 17 / 3) / Math.sqrt(8 / 9), 12);
  });

  it('equals the batch population mean and variance while warming up (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 100 }),
        (xs) => {
          const n = new RollingNormalizer(0.3);
          for (const x of xs) n.update(x);
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
          expect(Math.abs(n.mean - mean)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(mean)));
          expect(Math.abs(n.variance - variance)).toBeLessThanOrEqual(1e-7 * Math.max(1, variance));
        },
      ),
    );
  });
});

describe('MatrixAssembler common mechanics (spec §11.1)', () => {
  const columns = (values: number[]) =>
    values.map((v, i) => ({ name: `c${i}`, raw: () => v, preprocess: (x: number) => x }));

  it('replaces non-finite raw values by 0 without feeding the normaliser', () => {
    const assembler = new MatrixAssembler({
      name: '30m',
      trigger: '30m',
      windowSize: 3,
      warmupPeriod: 1,
      finalClip: null,
      columns: columns([Number.NaN, Number.POSITIVE_INFINITY, 2]),
      alphas: {},
    });
    assembler.update(snapshotAt('30m', 30));
    expect(Array.from(assembler.latestRow() ?? [])).toEqual([0, 0, 2]);
    expect(assembler.normalizer('c0')?.count).toBe(0);
    expect(assembler.normalizer('c2')?.count).toBe(1);
    expect(assembler.stats().nonFinite).toBe(2);
  });

  it('maps NaN, +∞ and −∞ entries to 0, 1 and −1 before the final clip', () => {
    const entries = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 9, -9];
    const assembler = new MatrixAssembler({
      name: '5m',
      trigger: '5m',
      windowSize: 2,
      warmupPeriod: 1,
      finalClip: [-2, 2],
      columns: entries.map((e, i) => ({ name: `c${i}`, raw: () => 1, preprocess: () => e })),
      alphas: {},
    });
    assembler.update(snapshotAt('5m', 5));
    expect(Array.from(assembler.latestRow() ?? [])).toEqual([0, 1, -1, 2, -2]);
  });

  it('returns rows oldest → newest, only the rows so far, and at most the window', () => {
    let i = 0;
    const assembler = new MatrixAssembler({
      name: '30m',
      trigger: '30m',
      windowSize: 3,
      warmupPeriod: 2,
      finalClip: null,
      columns: [{ name: 'n', raw: () => ++i, preprocess: (x) => x }],
      alphas: {},
    });
    expect(assembler.getMatrix()).toEqual([]);
    assembler.update(snapshotAt('30m', 30));
    expect(assembler.isReady()).toBe(false);
    expect(assembler.getMatrix().map((r) => r[0])).toEqual([1]);
    assembler.update(snapshotAt('30m', 60));
    expect(assembler.isReady(), 'ready after warmupPeriod updates').toBe(true);
    for (let k = 3; k <= 5; k++) assembler.update(snapshotAt('30m', 30 * k));
    expect(assembler.getMatrix().map((r) => r[0])).toEqual([3, 4, 5]);
    expect(assembler.stats()).toMatchObject({ updates: 5, rows: 3, ready: true });
  });

  it('rejects a zero window and an α outside (0, 1] naming the config path', () => {
    expect(() => new MatrixAssembler30m({ windowSize: 0 })).toThrow(
      'matrix_assemblers.30m.window_size: expected an integer ≥ 1, got 0',
    );
    expect(() => new MatrixAssembler5m({ featureConfigs: { volume_ratio: { emaAlpha: 2 } } })).toThrow(
      MatrixConfigError,
    );
  });

  it('clip keeps NaN for the clean-up step', () => {
    expect(clip(Number.NaN, -1, 1)).toBeNaN();
    expect(clip(5, -1, 1)).toBe(1);
  });
});

describe('MatrixAssembler30m (spec §11.2)', () => {
  it('appends only on "30m" snapshots', () => {
    const assembler = new MatrixAssembler30m();
    expect(assembler.update(snapshotAt('5m', 5))).toBe(false);
    expect(assembler.update(snapshotAt('30m', 30))).toBe(true);
    expect(assembler.stats()).toMatchObject({ updates: 1, skipped: 1 });
    expect(assembler.features).toEqual(MATRIX_30M_FEATURES);
  });

  it('preprocesses each column as the spec table says', () => {
    // The 10:30 UTC bar (asOf 11:00): the hour comes from the bar start, h = 10.5.
    const assembler = new MatrixAssembler30m();
    assembler.update(
      snapshotAt('30m', 60, {
        mlmi_value: 50, // 50/200 = 0.25
        mlmi_signal: -1,
        nwrqk_value: 4848, // 100·48/4800 = 1 → 1/5 = 0.2
        nwrqk_slope: 0.05, // first value: tanh(10·0.05) = tanh(0.5) = 0.46211715726
        lvn_distance_points: 24, // exp(−100·24/4800) = exp(−0.5) = 0.60653065971
        lvn_nearest_strength: 75, // 0.75
        current_price: 4800,
      }),
    );
    const row = Array.from(assembler.latestRow() ?? []);
    expect(row).toEqual([
      f32(0.25),
      -1,
      f32(0.2),
      f32(0.46211715726000974),
      f32(0.6065306597126334),
      f32(0.75),
      f32(0.3826834323650899), // sin(2π·10.5/24)
      f32(-0.9238795325112867), // cos(2π·10.5/24)
    ]);
  });

  it('clips MLMI to ±1 and zeroes the price-relative columns when P ≤ 0', () => {
    const assembler = new MatrixAssembler30m();
    assembler.update(
      snapshotAt('30m', 30, { mlmi_value: -900, nwrqk_value: 10, lvn_distance_points: 3, current_price: 0 }),
    );
    const row = assembler.latestRow();
    expect([row?.[0], row?.[2], row?.[4]]).toEqual([-1, 0, 0]);
  });

  it('switches nwrqk_slope to the z-score once its normaliser holds more than 10 values', () => {
    // Slopes 0..10: at the 11th value μ = 5 and σ² = 10 (population variance, warm-up averaging),
    // so z(10) = 5/√10 = 1.5811 → clip to ±2 → /2 = 0.790569415.
    const assembler = new MatrixAssembler30m();
    for (let k = 0; k <= 10; k++) assembler.update(snapshotAt('30m', 30 * (k + 1), { nwrqk_slope: k }));
    expect(assembler.latestRow()?.[3]).toBe(f32(0.7905694150420948));
  });

  it('applies the final clip of ±3', () => {
    const assembler = new MatrixAssembler30m();
    assembler.update(snapshotAt('30m', 30, { mlmi_signal: 7 }));
    expect(assembler.latestRow()?.[1]).toBe(3);
  });

  it('is ready after 48 rows and keeps the last 48', () => {
    const assembler = new MatrixAssembler30m({ features: ['mlmi_signal'] });
    for (let k = 1; k <= 47; k++) assembler.update(snapshotAt('30m', 30 * k, { mlmi_signal: k % 2 }));
    expect(assembler.isReady()).toBe(false);
    assembler.update(snapshotAt('30m', 30 * 48, { mlmi_signal: 0 }));
    expect(assembler.isReady()).toBe(true);
    assembler.update(snapshotAt('30m', 30 * 49, { mlmi_signal: 1 }));
    const matrix = assembler.getMatrix();
    expect(matrix).toHaveLength(48);
    expect(matrix[0]?.[0], 'row 2 (k = 2) is now the oldest').toBe(0);
    expect(matrix[47]?.[0]).toBe(1);
  });

  it('maps an unknown configured feature with clip(v, −10, 10)/10, then z/3 after 10 values', () => {
    const assembler = new MatrixAssembler30m({ features: ['current_volume'] });
    assembler.update(snapshotAt('30m', 30, { current_volume: 25 }));
    expect(assembler.latestRow()?.[0]).toBe(1);
  });
});

describe('MatrixAssembler5m (spec §11.3)', () => {
  it('appends only on "5m" snapshots and maps flags, level and gap size', () => {
    const assembler = new MatrixAssembler5m();
    expect(assembler.update(snapshotAt('30m', 30))).toBe(false);
    assembler.update(
      snapshotAt('5m', 5, {
        fvg_bullish_active: true,
        fvg_nearest_level: 4824, // 100·24/4800 = 0.5 → /2 = 0.25
        fvg_mitigation_signal: true,
        fvg_gap_size_pct: 2.5, // /5 = 0.5
        current_price: 4800,
        current_volume: 100,
      }),
    );
    expect(assembler.features).toEqual(MATRIX_5M_FEATURES);
    // Volume: E = max(100, 1) = 100, ratio 1 → tanh(ln 1) = 0. Momentum: fewer than 6 prices → 0.
    expect(Array.from(assembler.latestRow() ?? [])).toEqual([1, 0, 0.25, 1, 0, 0, 0.5]);
  });

  it('computes 5-bar momentum from the last 6 prices', () => {
    const assembler = new MatrixAssembler5m();
    for (let k = 0; k < 5; k++) assembler.update(snapshotAt('5m', 5 * (k + 1), { current_price: 100 + k }));
    expect(assembler.latestRow()?.[4], 'only 5 prices').toBe(0);
    assembler.update(snapshotAt('5m', 30, { current_price: 102.5 }));
    // 100·(102.5 − 100)/100 = 2.5 → /5 = 0.5
    expect(assembler.latestRow()?.[4]).toBe(0.5);
    assembler.update(snapshotAt('5m', 35, { current_price: 150 }));
    // 100·(150 − 101)/101 = 48.5 → clip 10 → /5 = 2 → clip to 1
    expect(assembler.latestRow()?.[4]).toBe(1);
  });

  it('updates the volume EMA before taking the ratio', () => {
    // E: 100, then 100 + 0.02·(200 − 100) = 102; ratio 200/102 = 1.96078 → tanh(ln 1.96078) = 0.58717562.
    const assembler = new MatrixAssembler5m();
    assembler.update(snapshotAt('5m', 5, { current_volume: 100 }));
    assembler.update(snapshotAt('5m', 10, { current_volume: 200 }));
    expect(assembler.latestRow()?.[5]).toBe(f32(0.5871756209824617));
  });

  it('seeds the volume EMA with 1 when the first volume is 0 and maps a 0 ratio to 0', () => {
    const assembler = new MatrixAssembler5m();
    assembler.update(snapshotAt('5m', 5, { current_volume: 0 }));
    expect(assembler.latestRow()?.[5]).toBe(0);
  });

  it('maps the recognised extras', () => {
    const assembler = new MatrixAssembler5m({
      features: ['fvg_age', 'fvg_gap_size', 'fvg_mitigation_depth', 'fvg_mitigation_strength'],
      featureConfigs: { fvg_mitigation_strength: { emaAlpha: 0.5 } },
    });
    assembler.update(
      snapshotAt('5m', 5, {
        fvg_age: 10,
        fvg_gap_size: 12,
        fvg_mitigation_depth: 1.7,
        fvg_mitigation_strength: 0.8,
      }),
    );
    // exp(−1) = 0.36787944; min(100·12/4800/5, 1) = 0.05; clip(1.7, 0, 1) = 1; EMA seeded with 0.8.
    expect(Array.from(assembler.latestRow() ?? [])).toEqual([f32(Math.exp(-1)), f32(0.05), 1, f32(0.8)]);
    assembler.update(snapshotAt('5m', 10, { fvg_mitigation_strength: 0.4 }));
    expect(assembler.latestRow()?.[3], '0.8 + 0.5·(0.4 − 0.8)').toBe(f32(0.6));
  });

  it('is ready after 20 rows', () => {
    const assembler = new MatrixAssembler5m();
    for (let k = 1; k <= 19; k++) assembler.update(snapshotAt('5m', 5 * k));
    expect(assembler.isReady()).toBe(false);
    assembler.update(snapshotAt('5m', 100));
    expect(assembler.isReady()).toBe(true);
  });
});

describe('MatrixAssemblerRegime (spec §11.4)', () => {
  it('has 19 columns: the 16 MMD values then volatility, skew and acceleration', () => {
    const assembler = new MatrixAssemblerRegime();
    expect(assembler.features).toHaveLength(19);
    expect(assembler.features[0]).toBe('mmd_features.P');
    expect(assembler.features[14]).toBe('mmd_features.mmd_48_vs_prev_48');
    expect(assembler.features.slice(16)).toEqual([
      'volatility_30',
      'volume_profile_skew',
      'price_acceleration',
    ]);
  });

  it('clips the MMD values to ±3 and applies no final clip', () => {
    const assembler = new MatrixAssemblerRegime();
    const mmd = Array.from({ length: 16 }, (_, i) => (i === 0 ? 5 : i === 1 ? -4 : i / 10));
    assembler.update(snapshotAt('30m', 30, { mmd_features: mmd }));
    const row = Array.from(assembler.latestRow() ?? []);
    expect(row.slice(0, 3)).toEqual([3, -3, f32(0.2)]);
  });

  it('computes volatility, skew and acceleration from the prices and volumes it has seen', () => {
    // Prices 100, 110, 99 → returns +0.1, −0.1 → std₀ = 0.1 → volatility 10 → tanh(10) (≤ 10 values).
    // Volumes 1, 1, 4 → m = 2, s = √2 → mean z³ = 0.70711 → /3 = 0.2357023.
    // Acceleration: the first computation (3rd price) is 0 by the faithful quirk.
    const assembler = new MatrixAssemblerRegime();
    const bars = [
      [100, 1],
      [110, 1],
      [99, 4],
    ] as const;
    bars.forEach(([price, volume], k) => {
      assembler.update(snapshotAt('30m', 30 * (k + 1), { current_price: price, current_volume: volume }));
    });
    const row = assembler.latestRow();
    expect(row?.[16]).toBe(f32(Math.tanh(10)));
    expect(row?.[17]).toBe(f32(0.23570226039551578));
    expect(row?.[18]).toBe(0);
    // 4th price 99: v1 = 100·(99 − 110)/110 = −10, v2 = 0 → clip(10, −5, 5) = 5 → /5 = 1.
    assembler.update(snapshotAt('30m', 120, { current_price: 99, current_volume: 1 }));
    expect(assembler.latestRow()?.[18]).toBe(1);
  });

  it('reports zero volatility, skew and acceleration with too little history', () => {
    const assembler = new MatrixAssemblerRegime();
    assembler.update(snapshotAt('30m', 30, { current_price: 100, current_volume: 5 }));
    assembler.update(snapshotAt('30m', 60, { current_price: 101, current_volume: 6 }));
    const row = assembler.latestRow();
    expect([row?.[16], row?.[17], row?.[18]]).toEqual([0, 0, 0]);
  });

  it('is ready after 30 rows and keeps 96', () => {
    const assembler = new MatrixAssemblerRegime();
    for (let k = 1; k <= 29; k++) assembler.update(snapshotAt('30m', 30 * k));
    expect(assembler.isReady()).toBe(false);
    for (let k = 30; k <= 100; k++) assembler.update(snapshotAt('30m', 30 * k));
    expect(assembler.isReady()).toBe(true);
    expect(assembler.getMatrix()).toHaveLength(96);
  });
});

describe('createMatrixAssemblerComponent', () => {
  it('publishes MATRIX_READY after each appended row once warmed up', () => {
    const bus = createEventBus<SignalsEvents>();
    const component = createMatrixAssemblerComponent(new MatrixAssembler5m({ warmupPeriod: 2 }));
    const events: MatrixReadyEvent[] = [];
    bus.subscribe('MATRIX_READY', (e) => events.push(e));
    component.init({ bus });
    bus.publish('INDICATORS_READY', snapshotAt('5m', 5));
    bus.publish('INDICATORS_READY', snapshotAt('30m', 5));
    expect(events, 'one row, not yet warmed up; the 30m snapshot appends nothing').toEqual([]);
    bus.publish('INDICATORS_READY', snapshotAt('5m', 10));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ assembler: '5m', timestamp: T0 + 10 * 60_000 });
    expect(events[0]?.matrix).toHaveLength(2);
    expect(component.name).toBe('matrix-assembler-5m');
    component.stop();
    bus.publish('INDICATORS_READY', snapshotAt('5m', 15));
    expect(events).toHaveLength(1);
  });
});

describe('matrix assemblers on arbitrary input (property)', () => {
  const anyNumber = fc.oneof(
    fc.double(),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  );
  const snapshotInput = fc.record({
    trigger: fc.constantFrom('5m' as const, '30m' as const),
    mlmi_value: anyNumber,
    mlmi_signal: anyNumber,
    nwrqk_value: anyNumber,
    nwrqk_slope: anyNumber,
    lvn_distance_points: anyNumber,
    lvn_nearest_strength: anyNumber,
    fvg_nearest_level: anyNumber,
    fvg_gap_size_pct: anyNumber,
    current_price: anyNumber,
    current_volume: anyNumber,
    mmd: fc.array(anyNumber, { minLength: 16, maxLength: 16 }),
  });

  it('keeps every entry finite and inside the final clip, whatever the snapshot holds', () => {
    fc.assert(
      fc.property(fc.array(snapshotInput, { minLength: 1, maxLength: 40 }), (inputs) => {
        const assemblers = [
          [new MatrixAssembler30m(), 3],
          [new MatrixAssembler5m(), 2],
          [new MatrixAssemblerRegime(), 3],
        ] as const;
        inputs.forEach(({ trigger, mmd, ...values }, k) => {
          const snapshot = snapshotAt(trigger, 30 * (k + 1), { ...values, mmd_features: mmd });
          for (const [assembler] of assemblers) assembler.update(snapshot);
        });
        for (const [assembler, bound] of assemblers) {
          for (const row of assembler.getMatrix()) {
            for (const value of row) {
              if (!(Math.abs(value) <= bound)) {
                throw new Error(`${assembler.name}: entry ${value} outside ±${bound}`);
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
