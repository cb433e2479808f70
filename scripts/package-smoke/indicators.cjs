// Smoke check for @algospace/indicators as installed from its tarball: each real entry point once, with values
// worked out by hand (spec §2, §3.1, §3.3, §4, §5), throwing on any wrong result.
module.exports = (m) => {
  const fail = (what) => {
    throw new Error(`@algospace/indicators smoke: ${what}`);
  };

  // SMA(2) of [1, 3] = 2; WMA(3) of [1, 2, 4] = 17/6; RSI(3) of [10, 12, 11, 14] = 100 − 100/6.
  const sma = new m.SMA(2);
  sma.update(1);
  if (sma.update(3) !== 2) fail('SMA(2) of [1, 3] is not 2');
  if (m.WMA.batch([1, 2, 4], 3)[2] !== 17 / 6) fail('WMA(3) of [1, 2, 4] is not 17/6');
  const rsi = m.RSI.batch([10, 12, 11, 14], 3)[3];
  if (Math.abs(rsi - (100 - 100 / 6)) > 1e-9) fail(`RSI(3) is ${rsi}, expected ${100 - 100 / 6}`);

  // Heiken Ashi of one bar: haC = (10 + 12 + 9 + 11)/4 = 10.5, haO = (10 + 11)/2 = 10.5.
  const candle = new m.HeikinAshi().update({ open: 10, high: 12, low: 9, close: 11 });
  if (candle.close !== 10.5 || candle.open !== 10.5) fail(`HA candle ${JSON.stringify(candle)}`);

  // NW-RQK on a rising line rises; MLMI on flat prices stores nothing and predicts 0 once ready.
  const nwrqk = new m.NWRQK();
  const mlmi = new m.MLMI();
  let nw;
  let ml;
  for (let i = 0; i < 60; i++) {
    nw = nwrqk.update(15000 + i);
    ml = mlmi.update(15000);
  }
  if (!(nw.slope > 0) || !nwrqk.isReady) fail(`NW-RQK slope ${nw.slope} on a rising line`);
  if (ml.value !== 0 || ml.memorySize !== 1 || !mlmi.isReady)
    fail(`MLMI on flat prices ${JSON.stringify(ml)}`);

  // Typed errors name the parameter.
  try {
    new m.NWRQK({ h: 2, lag: 2 });
    fail('NWRQK accepted h − lag = 0');
  } catch (error) {
    if (!m.IndicatorsError.isInstance(error) || error.code !== 'INDICATORS_INVALID_PARAMETER') throw error;
  }

  // The engine answers a 30-minute bar with a snapshot carrying every readiness flag.
  const engine = m.createIndicatorEngine();
  const snapshot = engine.update({
    timestamp: Date.UTC(2024, 0, 2, 10, 30),
    timeframe: '30m',
    open: 15000,
    high: 15002,
    low: 14999,
    close: 15001,
    volume: 100,
    synthetic: false,
    tickCount: 10,
  });
  if (snapshot?.trigger !== '30m' || snapshot.mlmi_ready !== false) {
    fail(`engine snapshot ${JSON.stringify(snapshot)}`);
  }
  return `RSI(3) = ${rsi.toFixed(4)}, HA close ${candle.close}, NW-RQK slope ${nw.slope.toFixed(4)}, engine trigger ${snapshot.trigger}`;
};
