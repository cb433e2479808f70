/**
 * Representative payloads of every engine topic, written by hand in the shapes of apps/engine/src/events.ts
 * (Tick, Bar, FeatureSnapshot with the spec §9.2 keys, SynergyEvent §10.5, TradeOrder, ClosedTrade,
 * EndOfStream). The transport depends on the event bus only, so these are structural copies, not imports; the
 * split-engine test in apps/engine checks the real types end to end.
 */

/** 2024-01-02T14:35:00.000Z, a 5-minute boundary. */
const t0 = Date.UTC(2024, 0, 2, 14, 35);

export const tick = { timestamp: t0 + 1_234, price: 4810.25, size: 3, bid: 4810, ask: 4810.25 };

export const bar5m = {
  timestamp: t0,
  timeframe: '5m',
  open: 4810.25,
  high: 4812.5,
  low: 4809.75,
  close: 4811,
  volume: 1843,
  synthetic: false,
  tickCount: 412,
};

/** A gap-filled bar: flat at the previous close, zero volume. */
export const bar30mSynthetic = {
  timestamp: t0 - 5 * 60_000,
  timeframe: '30m',
  open: 4808.5,
  high: 4808.5,
  low: 4808.5,
  close: 4808.5,
  volume: 0,
  synthetic: true,
  tickCount: 0,
};

export const featureSnapshot = {
  mlmi_value: 63.27104581249,
  mlmi_signal: 1,
  nwrqk_value: 4810.718253360284,
  nwrqk_slope: 0.1337,
  nwrqk_signal: 0,
  lvn_nearest_price: 4805.25,
  lvn_nearest_strength: 0.8125,
  lvn_distance_points: 5.75,
  fvg_bullish_active: true,
  fvg_bearish_active: false,
  fvg_nearest_level: 4807.5,
  fvg_age: 3,
  fvg_gap_size: 1.25,
  fvg_gap_size_pct: 0.00025987,
  fvg_mitigation_signal: false,
  fvg_mitigation_strength: 0,
  fvg_mitigation_depth: 0,
  fvg_bullish_mitigated: false,
  fvg_bearish_mitigated: false,
  fvg_bullish_mitigated_size: 0,
  fvg_bearish_mitigated_size: 0,
  // 16 numbers; includes -0 (an exactly flat slope), 5e-324 (the smallest double) and 0.1 + 0.2.
  mmd_features: [
    0.0213, -0.0045, 1.75, -0, 0.30000000000000004, 5e-324, 1e21, 12, 0.5, 0.25, -1.5, 3, 0.001, 2.2e-16, 7,
    0,
  ],
  mlmi_minus_nwrqk: -4747.447207547794,
  mlmi_div_nwrqk: 0.013152,
  current_price: 4811,
  current_volume: 1843,
  timestamp: t0,
  trigger: '5m',
  asOf: t0 + 5 * 60_000,
  last_update_5min: t0,
  last_update_30min: null,
  mlmi_ready: true,
  nwrqk_ready: true,
  lvn_ready: true,
  mmd_ready: true,
  fvg_ready: true,
};

export const synergy = {
  synergy_type: 'TYPE_1',
  direction: 1,
  confidence: 1,
  timestamp: t0,
  signal_sequence: [
    { signal_type: 'mlmi', direction: 1, value: 63.27, timestamp: t0 - 600_000, strength: 0.54 },
    { signal_type: 'nwrqk', direction: 1, value: 4810.71, timestamp: t0 - 300_000, strength: 0.33 },
    { signal_type: 'fvg', direction: 1, value: 4807.5, timestamp: t0, strength: 0.2 },
  ],
  signal_strengths: { mlmi: 0.54, nwrqk: 0.33, fvg: 0.2 },
  market_context: { current_price: 4811, nearest_lvn: { price: 4805.25, strength: 0.8125, distance: 5.75 } },
  metadata: { bars_to_complete: 3, pattern_quality: 0.356 },
};

export const tradeOrder = {
  id: 'T-000001',
  timestamp: t0,
  direction: 1,
  side: 'buy',
  size: 2,
  entry: 4811,
  stop: 4803.5,
  target: 4826,
  synergyType: 'TYPE_1',
  reason: 'TYPE_1 long, regime trending (0.71), risk 1% of 100000',
};

export const closedTrade = {
  id: 'T-000001',
  synergyType: 'TYPE_1',
  direction: 1,
  size: 2,
  orderTime: t0,
  entryTime: t0 + 1_500,
  entryPrice: 4811.25,
  exitTime: t0 + 45 * 60_000,
  exitPrice: 4826,
  stop: 4803.5,
  target: 4826,
  exitReason: 'target',
  grossPnl: 1475,
  commission: 4.8,
  pnl: 1470.2,
};

export const endOfStream = { reason: 'input exhausted', lastTimestamp: t0 + 86_400_000 };

/** Topic → representative payload, one per engine topic carried over Redis. */
export const engineEventFixtures = {
  NEW_TICK: tick,
  NEW_5MIN_BAR: bar5m,
  NEW_30MIN_BAR: bar30mSynthetic,
  INDICATORS_READY: featureSnapshot,
  SYNERGY_DETECTED: synergy,
  EXECUTE_TRADE: tradeOrder,
  TRADE_CLOSED: closedTrade,
  END_OF_STREAM: endOfStream,
} as const;

/** The engine-like event map of the fixtures. */
export type FixtureEvents = {
  -readonly [K in keyof typeof engineEventFixtures]: (typeof engineEventFixtures)[K];
};
