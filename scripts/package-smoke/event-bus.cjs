// Smoke check for @algospace/event-bus as installed from its tarball: ordered delivery, isolation of a throwing
// handler, the recursion guard, counters and queueing, through the real entry points. Throws on a wrong result.
module.exports = (m) => {
  const failures = [];
  const bus = m.createEventBus({ maxDepth: 3 });
  bus.onError((failure) => failures.push(`${failure.kind}:${failure.handlerName}`));
  const seen = [];
  bus.subscribe('tick', (tick) => seen.push(`a${tick.price}`));
  bus.subscribe(
    'tick',
    () => {
      throw new Error('boom');
    },
    { name: 'thrower' },
  );
  bus.subscribe('tick', (tick) => seen.push(`c${tick.price}`));
  bus.publish('tick', { price: 101.25 });
  if (seen.join(',') !== 'a101.25,c101.25')
    throw new Error(`expected a101.25,c101.25, got ${seen.join(',')}`);

  bus.subscribe('loop', (n) => bus.publish('loop', n + 1), { name: 'looper' });
  bus.publish('loop', 0);
  if (failures.join(',') !== 'threw:thrower,recursion-limit:looper') {
    throw new Error(`expected threw:thrower,recursion-limit:looper, got ${failures.join(',')}`);
  }
  if (!m.EventBusError.isInstance(new m.EventBusRecursionError(['a', 'a'], 1))) {
    throw new Error('expected EventBusError.isInstance to recognise a recursion error');
  }

  if (bus.enqueue('tick', { price: 102 }) !== undefined)
    throw new Error('expected enqueue to return undefined');
  const stats = bus.stats();
  if (stats.queueDepth !== 1) throw new Error(`expected queue depth 1, got ${stats.queueDepth}`);
  const tick = stats.topics.tick;
  if (tick.published !== 2 || tick.delivered !== 3 || tick.failed !== 1) {
    throw new Error(`expected tick published 2, delivered 3, failed 1, got ${JSON.stringify(tick)}`);
  }
  return `delivered ${seen.length}, isolated 1, stopped a loop at depth 3, queued 1`;
};
