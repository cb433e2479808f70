/**
 * Bars from bars: hand-built 1-minute bars resampled to 5 minutes, and the input checks.
 */
import { describe, expect, it } from 'vitest';
import { type Bar, createBarResampler, type RejectReason } from './index.js';

function minute(
  clock: string,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  timeframe = '1m',
): Bar {
  return {
    timestamp: Date.parse(`2024-01-02T${clock}Z`),
    timeframe,
    open,
    high,
    low,
    close,
    volume,
    synthetic: false,
    tickCount: 2,
  };
}

function resample(input: Bar[], options: Partial<Parameters<typeof createBarResampler>[0]> = {}) {
  const bars: Bar[] = [];
  const rejected: RejectReason[] = [];
  const resampler = createBarResampler({
    timeframes: ['5m'],
    ...options,
    onBar: (b) => bars.push(b),
    onReject: (_, reason) => rejected.push(reason),
  });
  for (const bar of input) resampler.push(bar);
  resampler.flush();
  return { bars, rejected, stats: resampler.stats() };
}

describe('createBarResampler', () => {
  it('takes the first open, the highest high, the lowest low, the last close and the summed volume', () => {
    const { bars } = resample([
      minute('10:30', 10, 12, 9, 11, 5),
      minute('10:31', 11, 15, 10, 14, 7),
      minute('10:34', 14, 14, 8, 9, 1),
    ]);
    expect(bars).toEqual([
      {
        timestamp: Date.parse('2024-01-02T10:30:00Z'),
        timeframe: '5m',
        open: 10,
        high: 15,
        low: 8,
        close: 9,
        volume: 13,
        synthetic: false,
        tickCount: 6,
      },
    ]);
  });

  it('fills an empty 5-minute interval from the previous close, as the tick aggregator does', () => {
    const { bars } = resample([minute('10:30', 10, 12, 9, 11, 5), minute('10:41', 11, 15, 10, 14, 7)]);
    expect(
      bars.map((b) => [new Date(b.timestamp).toISOString().slice(11, 16), b.close, b.synthetic]),
    ).toEqual([
      ['10:30', 11, false],
      ['10:35', 11, true],
      ['10:40', 14, false],
    ]);
  });

  it('skips synthetic input bars and counts them', () => {
    const filler = { ...minute('10:35', 11, 11, 11, 11, 0), synthetic: true, tickCount: 0 };
    const { bars, stats } = resample([
      minute('10:30', 10, 12, 9, 11, 5),
      filler,
      minute('10:36', 12, 12, 12, 12, 1),
    ]);
    expect(bars[1], 'the 10:35 bar opens at the first real minute, not at the filler').toMatchObject({
      open: 12,
      tickCount: 2,
    });
    expect(stats.syntheticInputsSkipped).toBe(1);
  });

  it('rejects an input bar that does not fit inside one target interval', () => {
    const { rejected } = resample([minute('10:02', 1, 1, 1, 1, 1, '2m')], { timeframes: ['3m'] });
    expect(rejected).toEqual(['bar-straddles-interval']);
  });

  it('rejects a bar whose high is below its close, and one earlier than the last accepted bar', () => {
    const { rejected, stats } = resample([
      minute('10:31', 10, 12, 9, 11, 5),
      minute('10:32', 10, 10, 9, 11, 5),
      minute('10:30', 10, 12, 9, 11, 5),
    ]);
    expect(rejected).toEqual(['bar-inconsistent', 'timestamp-before-last-tick']);
    expect(stats.accepted).toBe(1);
  });

  it("reads close-labelled input with sourceLabel 'close'", () => {
    const { bars } = resample([minute('10:35', 10, 12, 9, 11, 5)], { sourceLabel: 'close' });
    expect(new Date(bars[0]!.timestamp).toISOString()).toBe('2024-01-02T10:30:00.000Z');
  });
});
