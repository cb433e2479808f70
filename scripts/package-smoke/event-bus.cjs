// Smoke check for @algospace/event-bus as installed from its tarball: publish one event, return what arrived.
module.exports = (m) => {
  const bus = m.createEventBus();
  let seen;
  bus.subscribe('tick', (payload) => {
    seen = payload.price;
  });
  bus.publish('tick', { price: 101.25 });
  if (seen !== 101.25) throw new Error(`expected the handler to receive 101.25, got ${seen}`);
  return `delivered ${seen}`;
};
