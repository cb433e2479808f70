/**
 * A Prometheus histogram that is cheap to observe on a hot path. prom-client's `Histogram.observe` costs
 * microseconds (label hashing and validation on every call), which a 1-in-16 sample of a ~150 ns publish
 * cannot afford; here each (topic, component) series owns a Float64Array of bucket counts that an observation
 * increments, and prom-client only sees the totals at scrape time through a custom metric.
 */
import type { Registry } from 'prom-client';

/** One labelled series: cumulative-at-scrape bucket counts, sum and count. */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A registered histogram whose series hand out allocation-free observers. */
export class SampledLatencyHistogram {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: Float64Array;
  readonly #series = new Map<string, Series>();

  constructor(name: string, help: string, bounds: readonly number[], registry: Registry) {
    this.#name = name;
    this.#help = help;
    this.#bounds = Float64Array.from(bounds);
    const metric = {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: () => this.#snapshot(),
      reset: () => this.#series.clear(),
    };
    // prom-client renders any registered object with name/help/type/get(); its types only admit its classes.
    registry.registerMetric(metric as never);
  }

  /** Returns the observer (seconds) of the series with `labels`; call once per subscription, not per event. */
  observer(labels: Readonly<Record<string, string>>): (seconds: number) => void {
    const key = JSON.stringify(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    const target = series;
    const bounds = this.#bounds;
    return (seconds) => {
      let index = 0;
      while (index < bounds.length && seconds > bounds[index]!) index++;
      target.counts[index]!++;
      target.sum += seconds;
      target.count++;
    };
  }

  #snapshot() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      for (let index = 0; index <= this.#bounds.length; index++) {
        cumulative += series.counts[index]!;
        const le = index < this.#bounds.length ? this.#bounds[index]! : '+Inf';
        values.push({
          labels: { ...series.labels, le },
          value: cumulative,
          metricName: `${this.#name}_bucket`,
        });
      }
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.#name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.#name}_count` });
    }
    return { name: this.#name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
  }
}
