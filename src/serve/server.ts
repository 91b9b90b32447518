// Runs the API and the map on a port: opens the store once for the server's life (a directory
// store takes a lock, so no other process may open it meanwhile) and closes it on stop.
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Config } from '../config.js';
import { ROOT } from '../config.js';
import { InputError } from '../errors.js';
import type { Resources } from '../extract/index.js';
import { Store } from '../store/store.js';
import { createApp } from './app.js';
import { allowedOrigins, isLoopback } from './guard.js';
import type { Listening } from './guard.js';

export interface ServeOptions {
  db: string;
  host: string;
  port: number;
  token: string | null;
  open: boolean;
  /** Origins whose pages may write besides the server's own (--allow-origin), as URLs. */
  allowOrigins?: string[];
  config: Config;
  resources: () => Resources;
  today: () => string;
  maxBody?: number;
  /** Keep answers until the next write (see AppOptions.cache); undefined: by store kind. */
  cache?: boolean;
  log?: (s: string) => void;
}

export interface Running {
  url: string;
  store: Store;
  close(): Promise<void>;
}

export const version = (): string => (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export async function startServer(o: ServeOptions): Promise<Running> {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new InputError(`--port ${o.port}: expected 0..65535`);
  if (o.open && !o.token && !isLoopback(o.host)) throw new InputError(`--open allows writes without a token, so only on a loopback host (127.0.0.1, ::1), not ${o.host}; set --token instead`);
  if (o.token !== null && o.token.length < 8) throw new InputError('the token is too short: use at least 8 characters');
  const allowOrigins = allowedOrigins(o.allowOrigins ?? []);
  const store = await Store.open(o.db);
  let listening: Listening | null = null;
  const app = createApp({
    store,
    config: o.config,
    resources: o.resources,
    token: o.token,
    open: o.open,
    listening: () => listening,
    allowOrigins,
    today: o.today,
    version: version(),
    maxBody: o.maxBody,
    cache: o.cache,
    log: o.log,
  });
  let server: ReturnType<typeof serve>;
  let info: AddressInfo;
  try {
    info = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, resolve);
      server.once('error', reject);
    });
  } catch (e) {
    await store.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new InputError(`cannot listen on ${o.host}:${o.port} (${code})`);
    throw e;
  }
  listening = { host: o.host, port: info.port };
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return {
    url: `http://${host}:${info.port}/`,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (a browser's) would hold close() open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await store.close();
    },
  };
}
