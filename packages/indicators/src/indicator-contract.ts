/**
 * The one contract test suite every indicator of this package registers with (test support; never exported
 * from the package). It checks what `Indicator` promises, in the same words for every implementation:
 *
 * - `requiredInputs` is the spec's warm-up (Appendix B, plus one since Appendix B counts from index 0);
 * - `isReady` is false and the output is the documented not-ready value for exactly the first
 *   `requiredInputs − 1` inputs, and both flip on input number `requiredInputs`;
 * - `reset()` returns to the behaviour of a fresh instance;
 * - `snapshot()` is plain structured-cloneable data, is not aliased to the live state, and `restore()` on a
 *   fresh (or a used) instance continues bit-for-bit like the original;
 * - streaming equals the batch function bit-for-bit on random inputs (fast-check) and on real market data.
 *
 * Price-series arbitraries for the property tests live here too, so every suite draws from the same shapes
 * of data: random walks on a tick grid with plateaus, ties and reversals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWithMarketData } from '../../../test-support/market-data.js';
import type { Indicator } from './indicator.js';

/** Bounds for the length of a generated input sequence. */
export interface SequenceLength {
  readonly minLength: number;
  readonly maxLength: number;
}

/** What an indicator registers with {@link testIndicatorContract}, besides its factory and inputs. */
export interface IndicatorContractOptions<Input, Output> {
  /** The warm-up the spec states, as a count of inputs (Appendix B's first defined index + 1). */
  readonly requiredInputs: number;
  /** True for the indicator's documented not-ready output (e.g. `Number.isNaN` for scalar outputs). */
  readonly isNotReadyOutput: (output: Output) => boolean;
  /**
   * The indicator's batch function over the same parameters as the factory, re-shaped to one output per
   * input (batch functions return columns; the adapter only re-shapes, it must not recompute anything).
   */
  readonly batch: (inputs: readonly Input[]) => readonly Output[];
  /** Real market-data series: the files they need and a loader returning one or more input series. */
  readonly realData?: {
    readonly files: readonly string[];
    readonly load: () => readonly (readonly Input[])[];
  };
  /** fast-check runs per property (default 40; lower it for indicators with O(n²) cost). */
  readonly numRuns?: number;
  /** Longest generated sequence (default `max(150, 3 · requiredInputs)`). */
  readonly maxLength?: number;
}

/**
 * Registers the shared contract tests for one indicator.
 *
 * @param name - the suite title, e.g. `'RSI(14)'`
 * @param factory - returns a fresh indicator, always with the same parameters
 * @param inputs - builds an arbitrary of input sequences within the given length bounds
 * @param options - the spec's warm-up, the not-ready predicate, the batch adapter and optional real data
 */
export function testIndicatorContract<Input, Output, State>(
  name: string,
  factory: () => Indicator<Input, Output, State>,
  inputs: (length: SequenceLength) => fc.Arbitrary<readonly Input[]>,
  options: IndicatorContractOptions<Input, Output>,
): void {
  const required = options.requiredInputs;
  const numRuns = options.numRuns ?? 40;
  const maxLength = Math.max(options.maxLength ?? Math.max(150, 3 * required), required + 2);
  const anyLength = inputs({ minLength: 0, maxLength });
  const pastWarmUp = inputs({ minLength: required + 1, maxLength });

  describe(`${name} satisfies the Indicator contract`, () => {
    it('declares the warm-up the spec states as requiredInputs', () => {
      expect(factory().requiredInputs, 'requiredInputs must equal the spec warm-up (Appendix B + 1)').toBe(
        required,
      );
    });

    it('is not ready, and returns its not-ready value, for exactly the first requiredInputs − 1 inputs', () => {
      fc.assert(
        fc.property(pastWarmUp, (sequence) => {
          const indicator = factory();
          expect(indicator.isReady, 'a fresh indicator is not ready').toBe(false);
          sequence.forEach((input, index) => {
            const output = indicator.update(input);
            const ready = index >= required - 1;
            expect(indicator.isReady, `isReady after input #${index + 1}`).toBe(ready);
            expect(options.isNotReadyOutput(output), `not-ready output after input #${index + 1}`).toBe(
              !ready,
            );
          });
        }),
        { numRuns },
      );
    });

    it('behaves like a fresh instance after reset()', () => {
      fc.assert(
        fc.property(anyLength, anyLength, (before, after) => {
          const used = factory();
          for (const input of before) used.update(input);
          used.reset();
          expect(used.isReady, 'reset() clears readiness').toBe(false);
          expectSameOutputs(run(used, after), run(factory(), after), 'after reset() vs fresh');
        }),
        { numRuns },
      );
    });

    it('continues bit-for-bit from a structured clone of snapshot(), on a fresh or a used instance', () => {
      fc.assert(
        fc.property(anyLength, anyLength, anyLength, (prefix, suffix, noise) => {
          const original = factory();
          for (const input of prefix) original.update(input);
          const state = original.snapshot();
          const frozen = structuredClone(state);

          const fresh = factory();
          fresh.restore(structuredClone(state));
          const used = factory();
          for (const input of noise) used.update(input);
          used.restore(structuredClone(state));
          expect(fresh.isReady, 'isReady is part of the restored state').toBe(original.isReady);

          const expected = run(original, suffix);
          expectSameOutputs(run(fresh, suffix), expected, 'restored on a fresh instance');
          expectSameOutputs(run(used, suffix), expected, 'restored on a used instance');
          expect(state, 'snapshot() must be a copy: later updates must not change it').toEqual(frozen);
        }),
        { numRuns },
      );
    });

    it('streams exactly what its batch function computes (random inputs)', () => {
      fc.assert(
        fc.property(anyLength, (sequence) => {
          expectSameOutputs(run(factory(), sequence), options.batch(sequence), 'streaming vs batch');
        }),
        { numRuns },
      );
    });

    const realData = options.realData;
    if (realData !== undefined) {
      describeWithMarketData(`${name} on real market data`, realData.files, () => {
        it('streams exactly what its batch function computes, and resumes from a mid-series snapshot', () => {
          for (const series of realData.load()) {
            // One streaming pass that also checkpoints half-way, then the batch, then the resumed tail.
            const half = Math.floor(series.length / 2);
            const streaming = factory();
            const streamed: Output[] = [];
            let state: State | undefined;
            series.forEach((input, i) => {
              if (i === half) state = structuredClone(streaming.snapshot());
              streamed.push(streaming.update(input));
            });
            expectSameOutputs(streamed, options.batch(series), 'streaming vs batch on real data');

            const resumed = factory();
            if (state !== undefined) resumed.restore(state);
            const tail: Output[] = [];
            for (let i = half; i < series.length; i++) tail.push(resumed.update(series[i] as Input));
            expectSameOutputs(tail, streamed.slice(half), 'resumed from a mid-series snapshot');
          }
        });
      });
    }
  });
}

function run<Input, Output>(
  indicator: Indicator<Input, Output, unknown>,
  inputs: readonly Input[],
): Output[] {
  return inputs.map((input) => indicator.update(input));
}

/** Asserts two output sequences are identical bit-for-bit (`Object.is` on every number, so NaN = NaN, 0 ≠ −0). */
export function expectSameOutputs(
  actual: readonly unknown[],
  expected: readonly unknown[],
  what: string,
): void {
  expect(actual.length, `${what}: number of outputs`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const difference = firstDifference(actual[i], expected[i], '');
    if (difference !== undefined) {
      expect.fail(`${what}: output #${i + 1} differs at ${difference}`);
    }
  }
}

function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (Object.is(actual, expected)) return undefined;
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      const found = firstDifference(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return `${path || '(value)'}: ${String(actual)} vs ${String(expected)}`;
}

/** One OHLCV bar as the arbitraries produce it (a structural subset of `Bar` from `@algospace/bars`). */
export interface GeneratedBar {
  readonly timestamp: number;
  readonly timeframe: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly synthetic: boolean;
  readonly tickCount: number;
}

/**
 * Random-walk closes on a 0.25 tick grid around 15 000: steps of −8…+8 ticks with flat runs, so ties,
 * plateaus and reversals (the edge cases the spec lists) appear in most sequences.
 */
export function priceWalk(length: SequenceLength): fc.Arbitrary<readonly number[]> {
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
  return fc
    .record({ start: fc.integer({ min: 40_000, max: 80_000 }), steps: fc.array(step, length) })
    .map(({ start, steps }) => {
      let ticks = start;
      return steps.map((s) => {
        ticks = Math.max(4, ticks + s);
        return ticks * 0.25;
      });
    });
}

/**
 * Random OHLCV bars on a 0.25 tick grid: each bar opens at (or gaps a few ticks from) the previous close,
 * wicks extend 0–6 ticks beyond the body, volumes include zeros, and one in ~12 bars is a flat synthetic
 * bar (OHLC = previous close, volume 0) as the bar generator's gap filling produces.
 */
export function barWalk(
  length: SequenceLength,
  timeframe: { readonly label: string; readonly milliseconds: number } = {
    label: '30m',
    milliseconds: 1_800_000,
  },
): fc.Arbitrary<readonly GeneratedBar[]> {
  const bar = fc.record({
    gap: fc.integer({ min: -2, max: 2 }),
    body: fc.integer({ min: -12, max: 12 }),
    upper: fc.integer({ min: 0, max: 6 }),
    lower: fc.integer({ min: 0, max: 6 }),
    volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    synthetic: fc.integer({ min: 0, max: 11 }).map((n) => n === 0),
  });
  return fc
    .record({ start: fc.integer({ min: 40_000, max: 80_000 }), bars: fc.array(bar, length) })
    .map(({ start, bars }) => {
      let close = start;
      const origin = Date.UTC(2024, 0, 2);
      return bars.map((b, index): GeneratedBar => {
        const timestamp = origin + index * timeframe.milliseconds;
        if (b.synthetic) {
          const price = close * 0.25;
          return {
            timestamp,
            timeframe: timeframe.label,
            open: price,
            high: price,
            low: price,
            close: price,
            volume: 0,
            synthetic: true,
            tickCount: 0,
          };
        }
        const open = Math.max(8, close + b.gap);
        const next = Math.max(8, open + b.body);
        close = next;
        return {
          timestamp,
          timeframe: timeframe.label,
          open: open * 0.25,
          high: (Math.max(open, next) + b.upper) * 0.25,
          low: Math.max(1, Math.min(open, next) - b.lower) * 0.25,
          close: next * 0.25,
          volume: b.volume,
          synthetic: false,
          tickCount: b.volume === 0 ? 1 : Math.min(b.volume, 400),
        };
      });
    });
}
