/**
 * Test support (never exported from the package): adapters that let FVG, LVN and MMD register with the
 * shared contract suite without changing what they return.
 *
 * - FVG's features are defined from the first bar (spec §6.6), and LVN can be ⊥ after its warm-up (an empty
 *   LVN set, spec §7.5), so neither output alone tells warm-up apart; the adapter pairs each output with the
 *   indicator's own `isReady`.
 * - MMD returns one reused Float64Array (no allocation per update); the adapter copies it so a sequence of
 *   outputs can be compared.
 */
import type { Indicator } from './indicator.js';

/** An output paired with the indicator's readiness right after producing it. */
export interface ReadyOutput<Output> {
  readonly ready: boolean;
  readonly value: Output;
}

/** Wraps `indicator` so each output is `map(output)` plus `isReady`; everything else is delegated. */
export function withReadiness<Input, Output, Mapped, State>(
  indicator: Indicator<Input, Output, State>,
  map: (output: Output) => Mapped,
): Indicator<Input, ReadyOutput<Mapped>, State> {
  return {
    get isReady() {
      return indicator.isReady;
    },
    requiredInputs: indicator.requiredInputs,
    update: (input) => {
      const value = map(indicator.update(input));
      return { ready: indicator.isReady, value };
    },
    reset: () => indicator.reset(),
    snapshot: () => indicator.snapshot(),
    restore: (state) => indicator.restore(state),
  };
}

/** The batch counterpart of {@link withReadiness}: readiness is by index (`t ≥ requiredInputs − 1`). */
export function batchWithReadiness<Mapped>(
  values: readonly Mapped[],
  requiredInputs: number,
): ReadyOutput<Mapped>[] {
  return values.map((value, t) => ({ ready: t >= requiredInputs - 1, value }));
}

/** Column-wise OHLCV arrays of a bar sequence. */
export function toColumns(
  bars: readonly { open: number; high: number; low: number; close: number; volume: number }[],
) {
  return {
    open: bars.map((b) => b.open),
    high: bars.map((b) => b.high),
    low: bars.map((b) => b.low),
    close: bars.map((b) => b.close),
    volume: bars.map((b) => b.volume),
  };
}
