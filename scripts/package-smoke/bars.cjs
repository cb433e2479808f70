// Smoke check for @algospace/bars as installed from its tarball.
module.exports = (m) => {
  const ms = m.parseTimeframe('30m');
  if (ms !== 1_800_000) throw new Error(`expected parseTimeframe('30m') = 1800000, got ${ms}`);
  return `30m = ${ms} ms`;
};
