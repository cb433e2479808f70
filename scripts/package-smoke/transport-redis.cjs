// Smoke check for @algospace/transport-redis as installed from its tarball. It runs without a Redis server:
// it round-trips an engine bar through the default codec, checks NaN is refused with the typed error, and
// validates options without connecting.
module.exports = (m) => {
  const bar = {
    timestamp: 1704206100000,
    timeframe: '5m',
    open: 4810.25,
    high: 4812.5,
    low: 4809.75,
    close: 4811,
    volume: 1843,
    synthetic: false,
    tickCount: 412,
  };
  const text = m.jsonCodec.encode(bar);
  const back = m.jsonCodec.decode(text);
  if (JSON.stringify(back) !== JSON.stringify(bar))
    throw new Error(`codec round trip changed the bar: ${text}`);
  let code;
  try {
    m.jsonCodec.encode({ close: Number.NaN });
  } catch (error) {
    if (!m.TransportRedisError.isInstance(error)) throw error;
    code = error.code;
  }
  if (code !== 'TRANSPORT_REDIS_NON_FINITE_NUMBER')
    throw new Error(`expected NaN to be refused, got ${code}`);
  const bus = { publish() {}, subscribe: () => () => {} };
  const transport = m.createRedisTransport({
    bus,
    redis: 'redis://127.0.0.1:6379',
    outbound: { topics: ['bar'] },
  });
  if (transport.state !== 'created') throw new Error(`expected a created transport, got ${transport.state}`);
  return `bar round-tripped (${text.length} bytes), NaN refused with ${code}`;
};
