/**
 * A TCP proxy in front of a Redis server that can lose one reply: the command reaches Redis and runs, and the
 * connection dies before the client reads the answer. That is the failure after which a producer resends
 * events that had already landed, made deterministic for the resend-overlap tests.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Which reply `dropNextReply` discards; by default the next one on any connection. */
export interface ReplyMatch {
  /** Only on a connection whose client sent this text (e.g. its `CLIENT SETNAME algospace-consumer…`). */
  readonly clientSent?: string;
  /** Only a reply chunk containing this text (e.g. `+QUEUED` for a transaction, a stream key for a read). */
  readonly replyContains?: string;
}

/** A running proxy. */
export interface ReplyDroppingProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /**
   * Arms the proxy: the next reply Redis sends on a proxied connection (that `match` selects) is discarded and
   * that connection is closed on both sides. Resolves once it happened.
   */
  dropNextReply(match?: ReplyMatch): Promise<void>;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

/** Starts a proxy on a free port forwarding to `host:port`. */
export function startReplyDroppingProxy(host: string, port: number): Promise<ReplyDroppingProxy> {
  const sockets = new Set<Socket>();
  let armed: { readonly match: ReplyMatch; readonly done: () => void } | undefined;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    let sent = '';
    client.on('data', (chunk) => {
      // Only the start of a connection is kept: that is where the client names itself.
      if (sent.length < 4096) sent += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const dropped = armed;
      if (
        dropped === undefined ||
        (dropped.match.clientSent !== undefined && !sent.includes(dropped.match.clientSent)) ||
        (dropped.match.replyContains !== undefined &&
          !chunk.toString('latin1').includes(dropped.match.replyContains))
      ) {
        client.write(chunk);
        return;
      }
      armed = undefined;
      closeBoth();
      dropped.done();
    });
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        reject(new Error('the proxy has no port'));
        return;
      }
      resolve({
        url: `redis://127.0.0.1:${address.port}`,
        dropNextReply: (match = {}) =>
          new Promise<void>((done) => {
            armed = { match, done };
          }),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
