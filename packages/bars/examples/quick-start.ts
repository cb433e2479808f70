/**
 * Quick start: the spec §1.4 example. A 10:30 tick, then one at 10:42:17: the 10:30 bar closes, 10:35 is
 * filled, 10:40 opens. Run: `node --import tsx examples/quick-start.ts` from packages/bars.
 */
import { type Bar, createBarAggregator } from '@algospace/bars';

const show = (bar: Bar) =>
  `${bar.timeframe.padStart(3)} ${new Date(bar.timestamp).toISOString().slice(11, 16)} ` +
  `O=${bar.open} H=${bar.high} L=${bar.low} C=${bar.close} V=${bar.volume}${bar.synthetic ? ' synthetic' : ''}`;

const aggregator = createBarAggregator({
  timeframes: ['5m', '30m'],
  onBar: (bar) => console.log(show(bar)),
  onReject: (tick, reason) => console.log(`rejected ${JSON.stringify(tick)}: ${reason}`),
});

aggregator.push({ timestamp: Date.parse('2024-01-02T10:30:00Z'), price: 5150.25, size: 2 });
aggregator.push({ timestamp: Date.parse('2024-01-02T10:31:10Z'), price: -1, size: 1 }); // bad price
aggregator.push({ timestamp: Date.parse('2024-01-02T10:42:17Z'), price: 5151, size: 1 });
console.log('-- flush');
aggregator.flush();
console.log(aggregator.stats());
