// Smoke check for @algospace/indicators as installed from its tarball.
module.exports = (m) => {
  const sma = new m.SMA(2);
  sma.update(1);
  const value = sma.update(3);
  if (value !== 2) throw new Error(`expected SMA(2) of [1, 3] = 2, got ${value}`);
  return `SMA(2) = ${value}`;
};
