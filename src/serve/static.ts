// The web map's files: ui/ (the front end), the world's country outlines and, from node_modules,
// MapLibre GL JS and topojson-client. Nothing is fetched from elsewhere, so the page works with the network off.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { ROOT } from '../config.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // maplibre-gl 6 ships ES modules only, and loads its worker module from beside itself.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

// The page loads scripts, styles, workers and data from this server only; report text that
// slipped into markup could run nothing (the UI also builds every node with textContent).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const UI_DIR = path.join(ROOT, 'ui');
/** Country outlines drawn under every view (scripts/build-world.ts). */
const WORLD_FILE = path.join(ROOT, 'data', 'world', 'countries.topo.json');
const MAPLIBRE_DIR = path.dirname(fileURLToPath(import.meta.resolve('maplibre-gl')));
const TOPOJSON_FILE = createRequire(import.meta.url).resolve('topojson-client');

/** Files of one flat directory by name (no separators, no dot files: nothing outside it). */
function fileIn(dir: string, name: string): string | null {
  if (!/^[\w-][\w.-]*$/.test(name)) return null;
  const file = path.join(dir, name);
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

function send(file: string, cache: string): Response {
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
  return new Response(fs.readFileSync(file), { headers });
}

export function registerStatic(app: Hono): void {
  const notFound = (what: string) => Response.json({ error: { code: 'not_found', message: `no file ${what}` } }, { status: 404 });
  app.get('/', () => send(path.join(UI_DIR, 'index.html'), 'no-cache'));
  // Browsers ask for it unprompted; the page has none.
  app.get('/favicon.ico', () => new Response(null, { status: 204 }));
  app.get('/ui/:name', (c) => {
    const f = fileIn(UI_DIR, c.req.param('name'));
    return f ? send(f, 'no-cache') : notFound(c.req.path);
  });
  app.get('/vendor/maplibre-gl/:name', (c) => {
    const f = fileIn(MAPLIBRE_DIR, c.req.param('name'));
    return f ? send(f, 'max-age=86400') : notFound(c.req.path);
  });
  app.get('/vendor/topojson-client.js', () => send(TOPOJSON_FILE, 'max-age=86400'));
  app.get('/data/world/countries.topo.json', () => send(WORLD_FILE, 'max-age=86400'));
}
