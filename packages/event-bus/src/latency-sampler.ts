/**
 * Keeps the sampled publish→handler latencies of one bus: a fixed reservoir of the most recent samples plus
 * running count, sum and maximum. Quantiles are computed only when a snapshot is asked for.
 */

/**
 * Publish→handler latency of the sampled events, in microseconds. Quantiles cover the most recent
 * `window` samples; `count`, `meanUs` and `maxUs` cover every sample since the bus was created.
 *
 * @example
 * ```ts
 * const latency = bus.stats().latency;
 * if (latency !== undefined) console.log(`p99 ${latency.p99Us.toFixed(1)} µs over ${latency.count} samples`);
 * ```
 */
export interface LatencyStats {
  /** One event in `sampleEvery` is timed. */
  readonly sampleEvery: number;
  /** Handler invocations timed since the bus was created. */
  readonly count: number;
  /** Number of recent samples the quantiles are computed over. */
  readonly window: number;
  /** Mean over every sample. */
  readonly meanUs: number;
  /** Median of the recent window. */
  readonly p50Us: number;
  /** 90th percentile of the recent window. */
  readonly p90Us: number;
  /** 99th percentile of the recent window. */
  readonly p99Us: number;
  /** Largest sample ever seen. */
  readonly maxUs: number;
}

const windowSize = 4096;

/** Fixed-size reservoir of latency samples (internal to the bus). */
export class LatencySampler {
  readonly sampleEvery: number;
  private readonly samples = new Float64Array(windowSize);
  private count = 0;
  private sum = 0;
  private max = 0;

  constructor(sampleEvery: number) {
    this.sampleEvery = sampleEvery;
  }

  /** Records one latency in milliseconds (the unit of `performance.now()`). */
  record(milliseconds: number): void {
    const micros = milliseconds * 1000;
    this.samples[this.count % windowSize] = micros;
    this.count++;
    this.sum += micros;
    if (micros > this.max) this.max = micros;
  }

  snapshot(): LatencyStats {
    const filled = Math.min(this.count, windowSize);
    const recent = this.samples.slice(0, filled).sort();
    const at = (q: number): number =>
      filled === 0 ? 0 : (recent[Math.min(filled - 1, Math.floor(q * filled))] ?? 0);
    return {
      sampleEvery: this.sampleEvery,
      count: this.count,
      window: filled,
      meanUs: this.count === 0 ? 0 : this.sum / this.count,
      p50Us: at(0.5),
      p90Us: at(0.9),
      p99Us: at(0.99),
      maxUs: this.max,
    };
  }
}
