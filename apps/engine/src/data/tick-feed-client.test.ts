import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { EngineError } from '../engine-error.js';
import { connectTickFeed } from './tick-feed-client.js';

// Feeds that misbehave at the connection level, served for real on loopback.
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function listen(server: Server | WebSocketServer): Promise<number> {
  return new Promise((resolve) => {
    const onListening = () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    };
    if (server instanceof WebSocketServer) server.once('listening', onListening);
    else server.listen(0, '127.0.0.1', onListening);
  });
}

describe('connectTickFeed against a feed that never delivers', () => {
  it('gives up after maxReconnects when the server accepts and drops every connection, recording one outage', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'hello' }));
      socket.close();
    });
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = await listen(server);
    const client = connectTickFeed({
      url: `ws://127.0.0.1:${port}`,
      onTick: () => undefined,
      reconnectInitialMs: 10,
      reconnectMaxMs: 20,
      maxReconnects: 3,
    });
    const error = await client.done.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(EngineError.isInstance(error) && error.code).toBe('ENGINE_FEED_LOST');
    const report = client.report();
    expect(report.gaps, 'the flapping is one outage, not one gap per connection').toHaveLength(1);
    expect(report.connections).toBeLessThanOrEqual(4);
  });

  it('fails an opening handshake that never completes instead of waiting forever', async () => {
    const silent = createServer(() => undefined); // accepts TCP, never answers the upgrade
    const sockets = new Set<import('node:net').Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const port = await listen(silent);
    const client = connectTickFeed({
      url: `ws://127.0.0.1:${port}`,
      onTick: () => undefined,
      handshakeTimeoutMs: 200,
      reconnectInitialMs: 10,
      reconnectMaxMs: 20,
      maxReconnects: 2,
    });
    expect(client.connected()).toBe(false);
    const error = await client.done.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(EngineError.isInstance(error) && error.code).toBe('ENGINE_FEED_LOST');
  }, 20_000);
});
