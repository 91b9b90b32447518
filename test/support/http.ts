// A loopback HTTP server whose routes a test sets and changes between polls, recording every
// request (and how many were in flight at once). Never the internet: 127.0.0.1 only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Route = (req: Seen, res: http.ServerResponse) => void | Promise<void>;

export interface Loopback {
  url: (path: string) => string;
  routes: Map<string, Route>;
  requests: Seen[];
  /** Most requests in flight at once, per host:port (all share one). */
  maxInFlight: number;
  close: () => Promise<void>;
}

export async function loopback(): Promise<Loopback> {
  const routes = new Map<string, Route>();
  const requests: Seen[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = http.createServer(async (req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const seen: Seen = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(seen);
    const route = routes.get(new URL(seen.path, 'http://x').pathname);
    if (!route) {
      res.writeHead(404).end('no such page');
      return;
    }
    try {
      await route(seen, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    routes,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A route answering with a body and validators, 304 when the client sends them back. */
export function conditional(get: () => { body: string; type: string; etag: string }): Route {
  return (req, res) => {
    const { body, type, etag } = get();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, etag, 'last-modified': 'Sat, 21 Aug 2021 10:00:00 GMT' }).end(body);
  };
}
