/**
 * A TCP proxy in front of a Redis server that can lose one reply: the command reaches Redis and runs, and the
 * connection dies before the client reads the answer. That is the failure after which a producer resends
 * events that had already landed, made deterministic for the resend-overlap tests.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface ReplyDroppingProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /**
   * Arms the proxy: the next reply Redis sends on any proxied connection is discarded and that connection is
   * closed on both sides. Resolves once it happened.
   */
  dropNextReply(): Promise<void>;
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

/** Starts a proxy on a free port forwarding to `host:port`. */
export function startReplyDroppingProxy(host: string, port: number): Promise<ReplyDroppingProxy> {
  const sockets = new Set<Socket>();
  let armed: (() => void) | undefined;
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
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      const dropped = armed;
      if (dropped === undefined) {
        client.write(chunk);
        return;
      }
      armed = undefined;
      closeBoth();
      dropped();
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
        dropNextReply: () =>
          new Promise<void>((done) => {
            armed = done;
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
