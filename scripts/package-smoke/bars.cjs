// Smoke check for @algospace/bars as installed from its tarball: the streaming aggregator, the batch API and
// the ISO parser on the spec §1.4 example (10:30 bar, next tick 10:42:17 → synthetic 10:35 only).
module.exports = (m) => {
  const t0 = m.parseIsoTimestamp('2024-01-02T10:30:00-00:00');
  const t1 = m.parseIsoTimestamp('2024-01-02T05:42:17.000-05:00');
  if (t0 !== Date.UTC(2024, 0, 2, 10, 30) || t1 !== Date.UTC(2024, 0, 2, 10, 42, 17)) {
    throw new Error(
      `parseIsoTimestamp: expected ${Date.UTC(2024, 0, 2, 10, 30)}, ${Date.UTC(2024, 0, 2, 10, 42, 17)}, got ${t0}, ${t1}`,
    );
  }
  const bars = [];
  const aggregator = m.createBarAggregator({
    timeframes: ['5m', '30m'],
    gapFill: 'forward-fill',
    onBar: (b) => bars.push(b),
  });
  aggregator.push({ timestamp: t0, price: 5150.25, size: 2 });
  aggregator.push({ timestamp: t1, price: 5151, size: 1 });
  aggregator.flush();
  const got = bars
    .map(
      (b) => `${b.timeframe}@${new Date(b.timestamp).toISOString().slice(11, 16)}${b.synthetic ? 'S' : ''}`,
    )
    .join(' ');
  const expected = '5m@10:30 5m@10:35S 5m@10:40 30m@10:30';
  if (got !== expected) throw new Error(`createBarAggregator: expected ${expected}, got ${got}`);
  const { bars: columns } = m.aggregateTicks(
    {
      timestamps: Float64Array.of(t0, t1),
      prices: Float64Array.of(5150.25, 5151),
      sizes: Float64Array.of(2, 1),
    },
    { timeframes: ['5m', '30m'] },
  );
  const batch = `${columns['5m'].length} ${columns['30m'].volume[0]}`;
  if (batch !== '3 3')
    throw new Error(`aggregateTicks: expected '3 3' (5m bars, 30m volume), got '${batch}'`);
  return got;
};
