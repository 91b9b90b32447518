// What the CLI commands share: the outside world (so tests can give their own) and the
// resources every command loads once.
import fs from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIME_LIMIT } from '../core/deadline.js';
import type { Config } from '../config.js';
import path from 'node:path';
import { InputError } from '../errors.js';
import { looksLikeFeed, looksLikeJsonFeed } from '../ingest/feed.js';
import { loadResources } from '../extract/index.js';
import type { Resources } from '../extract/index.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: () => Buffer;
  today: () => string;
}

export const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => fs.readFileSync(0),
  today: () => new Date().toISOString().slice(0, 10),
};

export function readInput(file: string, io: Io): Buffer {
  if (file === '-') return io.stdin();
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(`${file}: no such file`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a report file`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

let cached: { key: string; res: Resources } | null = null;
export function resources(config: Config): Resources {
  const key = JSON.stringify(config);
  if (!cached || cached.key !== key) cached = { key, res: loadResources(config) };
  return cached.res;
}


export const REPORT_EXT = new Set(['.txt', '.text', '.md', '.html', '.htm', '.xhtml']);
export const FEED_EXT = new Set(['.xml', '.rss', '.atom']);
export const BATCH_EXT = new Set(['.jsonl', '.ndjson']);
export const JSON_FEED_EXT = '.json';

/** What an input holds, by its extension, else by its first bytes: a JSON Feed, a JSONL batch, an RSS/Atom feed, or one report. */
export function inputKind(raw: Buffer, name: string | null): 'jsonfeed' | 'batch' | 'feed' | 'report' {
  const ext = name ? path.extname(name).toLowerCase() : '';
  const head = raw.subarray(0, 512).toString('utf8');
  if (ext === JSON_FEED_EXT || looksLikeJsonFeed(head)) return 'jsonfeed';
  if (BATCH_EXT.has(ext) || (!name && /^\s*\{/.test(head))) return 'batch';
  if (FEED_EXT.has(ext) || looksLikeFeed(head)) return 'feed';
  return 'report';
}

export const timeLimitOption = () =>
  new Option('--time-limit <seconds>', 'give up a report whose extraction takes longer (0: no limit); it is refused like a bad item')
    .default(DEFAULT_TIME_LIMIT)
    .argParser((v) => {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds (0 for no limit)');
      return n;
    });
