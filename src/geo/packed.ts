// The packed place index as it sits on disk (scripts/build-data.ts writes it, `sitrep geo
// import` writes the user's part of it), kept in memory as the bytes read: rows and names are
// Buffers with a table of line starts, and a line becomes a string only when a lookup reads it.
//   places.tsv.gz   one row a line (src/geo/rows.ts)
//   names.tsv.gz    "key<TAB>refs", sorted by the bytes of key+TAB: refs are row numbers,
//                   "12" for a row's own name, "12a" for an alternate name
//   blocks.bin      per country, a gzip member of "loose<TAB>key<TAB>refs" lines (its rows
//                   only, by loose key): read on the first lookup that needs that country's
//                   spellings (the loose key and the fuzzy step), never at load
//   meta.json       countries, fold version, and where each country's block lies in blocks.bin
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseRow, type Row } from './rows.js';
import { foldName, looseKey } from './fold.js';

/** Byte offsets of the starts of lines, with one more entry: line i is [s[i], s[i+1] - 1). */
function lineStarts(buf: Buffer): Uint32Array {
  let s = new Uint32Array(Math.max(16, buf.length >> 4));
  let k = 1;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 10) continue;
    if (k + 1 >= s.length) {
      const grown = new Uint32Array(s.length * 2);
      grown.set(s);
      s = grown;
    }
    s[k++] = i + 1;
  }
  s[k] = buf.length + 1;
  return s.slice(0, k + 1);
}

/** Gunzips a file in one output chunk: the gzip trailer gives the size, so nothing is copied twice. */
export function gunzipFile(file: string): Buffer {
  const raw = fs.readFileSync(file);
  const size = raw.length >= 4 ? raw.readUInt32LE(raw.length - 4) : 0;
  return zlib.gunzipSync(raw, { chunkSize: Math.max(64 * 1024, size + 1) });
}

/**
 * A country's names by spelling, what the loose key and the fuzzy step search: the block's
 * "loose<TAB>key<TAB>refs" lines as bytes, sorted by loose key, read in place.
 */
export class CountryBlock {
  private readonly buf: Buffer;
  private readonly at: Uint32Array;
  private readonly base: number;
  /** Line numbers of Latin strict keys of 4+ letters by first letter and length, built on first fuzzy need. */
  private buckets: Map<number, number[]> | null = null;

  constructor(buf: Buffer, base: number) {
    this.buf = buf;
    this.at = lineStarts(buf);
    this.base = base;
  }

  get size(): number {
    return this.buf.length ? this.at.length - 1 : 0;
  }

  /** The strict key and rows of line k. */
  entry(k: number): [string, number[]] {
    const s = this.at[k]!;
    const e = this.at[k + 1]! - 1;
    const t1 = this.buf.indexOf(9, s);
    const t2 = this.buf.indexOf(9, t1 + 1);
    const rows: number[] = [];
    for (const r of parseRefs(this.buf.toString('latin1', t2 + 1, e), this.base)) rows.push(r.row);
    return [this.buf.toString('utf8', t1 + 1, t2), rows];
  }

  /** [strict key, rows] of every name of this loose key. */
  loose(key: string): [string, number[]][] {
    const probe = Buffer.from(`${key}\t`);
    let lo = 0;
    let hi = this.size;
    const cmp = (k: number) => {
      const s = this.at[k]!;
      return this.buf.compare(probe, 0, probe.length, s, Math.min(s + probe.length, this.at[k + 1]! - 1));
    };
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(mid) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: [string, number[]][] = [];
    for (let k = lo; k < this.size && cmp(k) === 0; k++) out.push(this.entry(k));
    return out;
  }

  /** [strict key, rows] of the Latin keys of 4+ letters that start with this letter and have this length. */
  *bucket(first: string, length: number): Generator<[string, number[]]> {
    for (const k of this.fuzzyBuckets().get(first.charCodeAt(0) * 256 + length) ?? []) yield this.entry(k);
  }

  private fuzzyBuckets(): Map<number, number[]> {
    if (this.buckets) return this.buckets;
    const b = new Map<number, number[]>();
    const buf = this.buf;
    for (let k = 0; k < this.size; k++) {
      let i = this.at[k]!;
      while (buf[i] !== 9) i++;
      const start = ++i;
      let latin = true;
      while (buf[i] !== 9) {
        const c = buf[i]!;
        if (c < 97 || c > 122) latin = false;
        i++;
      }
      const len = i - start;
      if (!latin || len < 4) continue;
      const id = buf[start]! * 256 + len;
      const list = b.get(id);
      if (list) list.push(k);
      else b.set(id, [k]);
    }
    return (this.buckets = b);
  }
}

/** One file set (the shipped index, or one imported country): its rows are numbered from base. */
export class PackedPart {
  readonly base: number;
  readonly rowCount: number;
  private readonly rows: Buffer;
  private readonly rowAt: Uint32Array;
  private readonly names: Buffer;
  private readonly nameAt: Uint32Array;
  private readonly blocksFile: string | null;
  private readonly blockIndex: Record<string, [number, number]>;

  constructor(dir: string, base: number, blockIndex: Record<string, [number, number]>, prefix = '') {
    this.base = base;
    this.rows = gunzipFile(path.join(dir, `${prefix}places.tsv.gz`));
    this.rowAt = lineStarts(this.rows);
    this.rowCount = this.rowAt.length - 1;
    this.names = gunzipFile(path.join(dir, `${prefix}names.tsv.gz`));
    this.nameAt = lineStarts(this.names);
    const blocks = path.join(dir, `${prefix}blocks.bin`);
    this.blocksFile = fs.existsSync(blocks) ? blocks : null;
    this.blockIndex = blockIndex;
  }

  /** Row line i of this part (local number). */
  line(i: number): string {
    return this.rows.toString('utf8', this.rowAt[i]!, this.rowAt[i + 1]! - 1);
  }
  /** The level letter of row i, read off its line. */
  levelOf(i: number): string {
    return String.fromCharCode(this.rows[this.rowAt[i]!] ?? 0);
  }

  get nameCount(): number {
    return this.nameAt.length - 1;
  }
  nameLine(k: number): string {
    return this.names.toString('utf8', this.nameAt[k]!, this.nameAt[k + 1]! - 1);
  }
  /** Compares name line k with the bytes of a probe ("key\t" for a key, the bare prefix for a range). */
  private cmp(k: number, probe: Buffer): number {
    const s = this.nameAt[k]!;
    const e = this.nameAt[k + 1]! - 1;
    return this.names.compare(probe, 0, probe.length, s, Math.min(s + probe.length, e));
  }
  /** Index of the first name line not below the probe. */
  lowerBound(probe: Buffer): number {
    let lo = 0;
    let hi = this.nameCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(mid, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Does name line k start with the probe? */
  startsWith(k: number, probe: Buffer): boolean {
    return k < this.nameCount && this.cmp(k, probe) === 0;
  }
  /** The refs of a key ("12,40a"), or undefined. */
  refs(probe: Buffer): string | undefined {
    const k = this.lowerBound(probe);
    if (!this.startsWith(k, probe)) return undefined;
    return this.names.toString('latin1', this.nameAt[k]! + probe.length, this.nameAt[k + 1]! - 1);
  }

  /** A country's block, or null when it has none. */
  block(iso2: string): CountryBlock | null {
    const at = this.blockIndex[iso2];
    if (!at || !this.blocksFile) return null;
    const fd = fs.openSync(this.blocksFile, 'r');
    try {
      const buf = Buffer.alloc(at[1]);
      fs.readSync(fd, buf, 0, at[1], at[0]);
      return new CountryBlock(zlib.gunzipSync(buf), this.base);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Parses "12,40a" into row numbers (base added) and whether each came by an alternate name. */
export function parseRefs(refs: string, base: number, out: { row: number; alt: boolean }[] = []): { row: number; alt: boolean }[] {
  let start = 0;
  while (start < refs.length) {
    let end = refs.indexOf(',', start);
    if (end < 0) end = refs.length;
    const alt = refs.charCodeAt(end - 1) === 97;
    out.push({ row: base + parseInt(refs.slice(start, alt ? end - 1 : end), 10), alt });
    start = end + 1;
  }
  return out;
}

/** The shipped index and the user's imported parts as one numbering of rows. */
export class PackedIndex {
  readonly parts: PackedPart[];
  readonly rowCount: number;
  private readonly parsed = new Map<number, Row>();
  private readonly blockCache = new Map<string, CountryBlock[]>();

  constructor(parts: PackedPart[]) {
    this.parts = parts;
    const last = parts[parts.length - 1];
    this.rowCount = last ? last.base + last.rowCount : 0;
  }

  private partOf(i: number): PackedPart | undefined {
    for (let p = this.parts.length - 1; p >= 0; p--) if (i >= this.parts[p]!.base) return i - this.parts[p]!.base < this.parts[p]!.rowCount ? this.parts[p] : undefined;
    return undefined;
  }

  line(i: number): string | undefined {
    const p = this.partOf(i);
    return p ? p.line(i - p.base) : undefined;
  }
  levelOf(i: number): string {
    const p = this.partOf(i);
    return p ? p.levelOf(i - p.base) : '';
  }
  isCountryRow(i: number): boolean {
    return this.levelOf(i) === 'c';
  }
  /** Row i parsed (kept: a lookup reads the same rows again). */
  at(i: number): Row | undefined {
    let r = this.parsed.get(i);
    if (r) return r;
    const l = this.line(i);
    if (l === undefined) return undefined;
    r = parseRow(l);
    this.parsed.set(i, r);
    return r;
  }

  /** Every row a key names, in every part. */
  refs(key: string): { row: number; alt: boolean }[] {
    const out: { row: number; alt: boolean }[] = [];
    const probe = Buffer.from(`${key}\t`);
    for (const p of this.parts) {
      const r = p.refs(probe);
      if (r) parseRefs(r, p.base, out);
    }
    return out;
  }

  /** The shipped part's name lines from the first whose key starts with prefix (country keys live there). */
  *namesFrom(prefix: string): Generator<string> {
    const p = this.parts[0];
    if (!p) return;
    const probe = Buffer.from(prefix);
    for (let k = p.lowerBound(probe); p.startsWith(k, probe); k++) yield p.nameLine(k);
  }

  /** A country's spellings in every part, read on first need. */
  blocks(iso2: string): CountryBlock[] {
    let b = this.blockCache.get(iso2);
    if (!b) this.blockCache.set(iso2, (b = this.parts.map((p) => p.block(iso2)).filter((x): x is CountryBlock => x !== null)));
    return b;
  }
}

/** Writes "key<TAB>refs" lines sorted as the loader searches them (by the bytes of key+TAB). */
export function namesText(names: Map<string, Iterable<string>>): string {
  return [...names]
    .map(([k, v]) => [Buffer.from(`${k}\t`), `${k}\t${[...v].join(',')}`] as const)
    .sort((a, b) => Buffer.compare(a[0], b[0]))
    .map(([, line]) => line)
    .join('\n');
}

/**
 * Writes the country blocks: for each country, "loose<TAB>key" → refs of its rows' names, as
 * one gzip member; returns the file's bytes and where each country's member lies.
 */
export function blocksData(byCountry: Map<string, Map<string, Set<string>>>): { bytes: Buffer; index: Record<string, [number, number]> } {
  const chunks: Buffer[] = [];
  const index: Record<string, [number, number]> = {};
  let offset = 0;
  for (const c of [...byCountry.keys()].sort()) {
    const lines = [...byCountry.get(c)!]
      .map(([k, refs]) => [Buffer.from(`${k}\t`), `${k}\t${[...refs].join(',')}`] as const)
      .sort((x, y) => Buffer.compare(x[0], y[0]))
      .map(([, l]) => l);
    const gz = zlib.gzipSync(Buffer.from(lines.join('\n')), { level: 9 });
    index[c] = [offset, gz.length];
    offset += gz.length;
    chunks.push(gz);
  }
  return { bytes: Buffer.concat(chunks), index };
}

/** Adds a name's spelling to its country's block table (build-data and geo import). */
export function addSpelling(byCountry: Map<string, Map<string, Set<string>>>, iso2: string, loose: string, key: string, ref: string): void {
  if (!loose || !key) return;
  let t = byCountry.get(iso2);
  if (!t) byCountry.set(iso2, (t = new Map()));
  const k = `${loose}\t${key}`;
  let refs = t.get(k);
  if (!refs) t.set(k, (refs = new Set()));
  refs.add(ref.replace(/a$/, ''));
}

/** Latin alternates only (no airport codes, abbreviations or digits): what the index keeps of GeoNames' alternatenames. */
const LATIN = /^[\p{Script=Latin}\p{M}\s'’ʿʾ`.\-()]+$/u;
export const keepAlt = (a: string): boolean => a.length >= 3 && LATIN.test(a) && !/^[A-Z]{2,5}$/.test(a);

/**
 * Indexes one name of row `i` (build-data and geo import): its folded key in `names` ("12" for a
 * primary name, "12a" for an alternate; a primary name wins over the same key as an alternate)
 * and, below the country level, its spelling in the country's block.
 */
export function indexName(names: Map<string, Set<string>>, spellings: Map<string, Map<string, Set<string>>>, r: Row | undefined, i: number, name: string, alt: boolean): void {
  const key = foldName(name);
  if (key.length < 2) return;
  if (r && r.level !== 'c') addSpelling(spellings, r.iso2, looseKey(name, r.iso2), key, String(i));
  let set = names.get(key);
  if (!set) names.set(key, (set = new Set()));
  if (!alt) set.delete(`${i}a`);
  else if (set.has(String(i))) return;
  set.add(alt ? `${i}a` : String(i));
}
