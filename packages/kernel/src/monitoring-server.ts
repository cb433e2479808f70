/**
 * The monitoring HTTP server (node:http): `/metrics` in Prometheus text format, `/health` (liveness) and
 * `/ready` (every component running). Bound to 127.0.0.1 unless told otherwise: metrics reveal internals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KernelError } from './kernel-error.js';

/** A probe answer: HTTP status and a JSON body. */
export interface ProbeAnswer {
  readonly ok: boolean;
  readonly body: unknown;
}

/** What the server serves. */
export interface MonitoringRoutes {
  metrics(): Promise<{ readonly contentType: string; readonly text: string }>;
  health(): ProbeAnswer;
  ready(): ProbeAnswer;
}

/** A listening monitoring server. */
export interface MonitoringServer {
  readonly address: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

/** Starts the server; rejects with `KERNEL_MONITORING_LISTEN` when the port cannot be bound. */
export function startMonitoringServer(
  host: string,
  port: number,
  routes: MonitoringRoutes,
  onError: (error: unknown) => void,
): Promise<MonitoringServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('method not allowed\n');
      return;
    }
    const head = request.method === 'HEAD';
    if (path === '/metrics') {
      routes.metrics().then(
        ({ contentType, text }) => {
          response.writeHead(200, { 'content-type': contentType }).end(head ? undefined : text);
        },
        (error: unknown) => {
          onError(error);
          response
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(head ? undefined : 'metrics failed\n');
        },
      );
      return;
    }
    if (path === '/health' || path === '/ready') {
      const answer = path === '/health' ? routes.health() : routes.ready();
      response
        .writeHead(answer.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(head ? undefined : `${JSON.stringify(answer.body)}\n`);
      return;
    }
    response
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('not found: try /metrics, /health, /ready\n');
  });
  // A scraper that keeps its connection open must not hold shutdown hostage.
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) => {
      reject(
        new KernelError(
          'KERNEL_MONITORING_LISTEN',
          `expected to serve monitoring on ${host}:${port}, got ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onListenError);
    server.listen(port, host, () => {
      server.off('error', onListenError);
      server.on('error', onError);
      const address = server.address() as AddressInfo;
      resolve({
        address: { host: address.address, port: address.port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
