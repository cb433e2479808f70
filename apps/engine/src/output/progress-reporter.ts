/**
 * Progress output while a run reads its input: a one-line bar redrawn in place on a TTY (records/s, percent
 * of the file, ETA), plain log lines every few seconds otherwise, or nothing.
 */

/**
 * Options of {@link startProgress}.
 *
 * @example
 * ```ts
 * const options: ProgressOptions = { style: 'auto', stream: process.stderr, unit: 'ticks', sample: () => ({ records: 0, fraction: 0 }) };
 * ```
 */
export interface ProgressOptions {
  /** `auto` picks `bar` on a TTY and `lines` otherwise. */
  readonly style: 'auto' | 'bar' | 'lines' | 'off';
  /** Where to write (stderr, so stdout keeps the summary). */
  readonly stream: NodeJS.WriteStream;
  /** Unit label, e.g. `ticks`. */
  readonly unit: string;
  /** Reads the current count and completed fraction (NaN when unknown). */
  readonly sample: () => { records: number; fraction: number };
  /** Redraw period, ms. Default 200 (bar) or 5000 (lines). */
  readonly intervalMs?: number;
}

/**
 * A running progress display.
 *
 * @example
 * ```ts
 * const progress = startProgress(options);
 * await run();
 * progress.stop();
 * ```
 */
export interface Progress {
  /** Draws the final state and stops. */
  stop(): void;
}

/**
 * Starts a progress display.
 *
 * @example
 * ```ts
 * const progress = startProgress({ style: 'auto', stream: process.stderr, unit: 'ticks', sample: () => ({ records: n, fraction: n / total }) });
 * ```
 */
export function startProgress(options: ProgressOptions): Progress {
  const style = options.style === 'auto' ? (options.stream.isTTY ? 'bar' : 'lines') : options.style;
  if (style === 'off') return { stop() {} };
  const started = performance.now();
  const draw = (final: boolean): void => {
    const { records, fraction } = options.sample();
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? records / seconds : 0;
    const known = Number.isFinite(fraction);
    const percent = known ? `${(Math.min(1, fraction) * 100).toFixed(1).padStart(5)} %` : '';
    const eta =
      known && fraction > 0 && !final ? ` ETA ${formatSeconds((seconds / fraction) * (1 - fraction))}` : '';
    const counts = `${formatCount(records)} ${options.unit}, ${formatCount(rate)} ${options.unit}/s`;
    if (style === 'bar') {
      const width = 24;
      const filled = known ? Math.round(Math.min(1, fraction) * width) : 0;
      const bar = known ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent} ` : '';
      options.stream.write(`\r\u001b[2K${bar}${counts}${eta}${final ? '\n' : ''}`);
    } else {
      options.stream.write(`progress: ${known ? `${percent.trim()}, ` : ''}${counts}${eta}\n`);
    }
  };
  const timer = setInterval(() => draw(false), options.intervalMs ?? (style === 'bar' ? 200 : 5000));
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw(true);
    },
  };
}

function formatCount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)
    .toString()
    .padStart(2, '0')}s`;
}
