// What `sitrep watch` follows and when: the source list (arguments or a file), the polling
// interval, and the backoff after errors. Pure: the CLI reads the files and keeps the clock.
import { InputError } from '../errors.js';

export type SourceKind = 'url' | 'path';

export interface SourceSpec {
  /** The URL or the path as given: the key of its state in the store. */
  source: string;
  kind: SourceKind;
  /** Where it was given, for messages: "argument 2" or "sources.txt:4". */
  origin: string;
}

/** One source as written: an http(s) URL, or a local path that `exists` says is there. */
export function sourceSpec(text: string, origin: string, exists: (p: string) => boolean): SourceSpec {
  const s = text.trim();
  if (s.includes('://')) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new InputError(`${origin}: "${s}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${origin}: "${s}" is not an http or https URL`);
    return { source: url.toString(), kind: 'url', origin };
  }
  if (!exists(s)) throw new InputError(`${origin}: "${s}" is neither an http(s) URL nor an existing file or directory`);
  return { source: s, kind: 'path', origin };
}

/** A sources file: one URL or path a line; blank lines and lines starting with # are skipped. */
export function parseSourceList(text: string, file: string, exists: (p: string) => boolean): SourceSpec[] {
  const out: SourceSpec[] = [];
  text.split('\n').forEach((line, i) => {
    const s = line.trim();
    if (!s || s.startsWith('#')) return;
    out.push(sourceSpec(s, `${file}:${i + 1}`, exists));
  });
  if (!out.length) throw new InputError(`${file}: no sources (one URL or directory a line)`);
  return out;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "10m", "30s", "1h", "500ms" -> milliseconds; "0s" only where zero is allowed (a pause). */
export function parseDuration(s: string, what: string, opts: { zero?: boolean } = {}): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(s.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!Number.isFinite(ms) || ms < 0 || (ms === 0 && !opts.zero)) throw new InputError(`${what} "${s}" is not a duration such as 30s, 10m or 1h`);
  return ms;
}

/** Backoff after errors: the first retry after `baseMs`, doubling each failure in a row. */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 60_000, capMs: 6 * 3_600_000 };

/**
 * The wait before polling a failing source again: exponential in the failures in a row, capped,
 * with "equal jitter" (half fixed, half random) so sources that failed together (a network
 * outage) do not all come back at the same moment.
 */
export function backoffMs(failures: number, b: Backoff, random: () => number): number {
  const exp = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return exp / 2 + (exp / 2) * random();
}

/**
 * The key of a feed item in the watch state: its guid, else its link, else its text's hash,
 * so an item is taken once however its feed is reordered or re-served.
 */
export function itemKey(it: { guid?: string | null; url: string | null }, textHash: () => string): string {
  if (it.guid) return `id:${it.guid}`;
  if (it.url) return `url:${it.url}`;
  return `sha:${textHash()}`;
}
