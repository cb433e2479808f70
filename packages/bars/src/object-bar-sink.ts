/**
 * The sink that turns engine output into `Bar` objects for the callback-based entry points. Bars are queued
 * and delivered after the engine's state is consistent; a throwing callback leaves the rest queued for the
 * next delivery. Not exported from the package.
 */
import type { Bar } from './bar.js';
import type { BarSink } from './time-bar-engine.js';

/** @internal */
export class ObjectBarSink implements BarSink {
  readonly pending: Bar[] = [];
  head = 0;
  timeframes: readonly string[];

  constructor(timeframes: readonly string[]) {
    this.timeframes = timeframes;
  }

  bar(
    frame: number,
    timestamp: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    tickCount: number,
    synthetic: boolean,
  ): void {
    this.pending.push({
      timestamp,
      timeframe: this.timeframes[frame]!,
      open,
      high,
      low,
      close,
      volume,
      synthetic,
      tickCount,
    });
  }

  deliver(onBar: (bar: Bar) => void): void {
    const pending = this.pending;
    while (this.head < pending.length) {
      // Advance first: a bar whose callback threw has been delivered and must not be delivered again.
      const bar = pending[this.head++]!;
      onBar(bar);
    }
    pending.length = 0;
    this.head = 0;
  }
}
