// Reading reports: one text or HTML file -> Doc, and a JSONL batch -> items.
//
// Offsets: for plain text, line endings are normalised (CRLF and CR -> LF) and a BOM is
// removed, and `doc.text` is that normalised text; for HTML, `doc.text` is the extracted
// plain text (blocks joined by blank lines). Every span in the Doc points into `doc.text`.
import path from 'node:path';
import type { Doc, StageResult } from '../core/types.js';
import { findDateline } from '../extract/dates.js';
import { InputError } from '../errors.js';
import { cleanField, decodeInput, decodeLines } from './decode.js';
import { checkPublished } from './dates.js';
import { looksLikeHtml, readHtml } from './html.js';
import { layoutText } from './layout.js';

export type InputFormat = 'text' | 'html';

export interface ReadOptions {
  published?: string | null;
  source?: string | null;
  filename?: string | null;
  format?: InputFormat | 'auto';
  /** What to call the input in messages (default: the file name, else "input"). */
  what?: string;
  /** Largest report in characters (default MAX_REPORT_CHARS). */
  maxChars?: number;
}

/**
 * Largest report read, in characters of its text: a report is refused above it, never cut and
 * read in part. Extraction is about linear (`npm run bench:extract` times 1, 5 and 20 MB), but
 * 5 MB is already a book, not a news report; larger input is a batch or a site dump to split.
 */
export const MAX_REPORT_CHARS = 5_000_000;

function formatOf(text: string, opts: ReadOptions): InputFormat {
  if (opts.format && opts.format !== 'auto') return opts.format;
  const ext = opts.filename ? path.extname(opts.filename).toLowerCase() : '';
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return 'html';
  if (ext === '.txt' || ext === '.text' || ext === '.md') return 'text';
  return looksLikeHtml(text) ? 'html' : 'text';
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Raw bytes of one report -> Doc. Throws InputError for empty input, binary content,
 * invalid UTF-8 (with the byte offset), a UTF-16 file that does not decode, or a
 * malformed `published` (it must be a real YYYY-MM-DD date).
 */
export function readDocument(raw: Buffer | string, opts: ReadOptions): StageResult<Doc> {
  // Check the option first: a typo there should not wait for the file to be read.
  const given = opts.published != null ? checkPublished(opts.published) : null;
  const what = opts.what ?? opts.filename ?? 'input';
  const max = opts.maxChars ?? MAX_REPORT_CHARS;
  const size = typeof raw === 'string' ? raw.length : raw.length;
  if (size > max) {
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    throw new InputError(`${what} is ${mb(size)}, over the ${mb(max)} a report may have; split it into reports (a JSONL batch takes one per line)`);
  }
  const decoded = decodeInput(raw, what);
  const warnings = [...decoded.warnings];
  const format = formatOf(decoded.text, opts);

  let text: string;
  let layout: Pick<Doc, 'title' | 'blocks'>;
  let metaPublished: string | null = null;
  let source = opts.source ?? null;
  if (format === 'html') {
    const h = readHtml(decoded.text);
    warnings.push(...h.warnings.map((w) => `${what}: ${w}`));
    if (!h.text.trim()) throw new InputError(`${what}: the HTML page has no readable text once navigation, scripts and page furniture are removed`);
    text = h.text;
    layout = h;
    metaPublished = h.published;
    source ??= h.siteName;
  } else {
    text = decoded.text;
    layout = layoutText(text);
  }

  let published: string | null = given;
  let publishedFrom: Doc['publishedFrom'] = given ? 'option' : 'none';
  if (!published && metaPublished) {
    // The page states its own date; the Doc type has no separate 'metadata' origin.
    published = metaPublished;
    publishedFrom = 'dateline';
  }
  if (!published) {
    const dl = findDateline(text);
    if (dl) {
      published = dl.date;
      publishedFrom = 'dateline';
    }
  }
  if (!published) warnings.push(`no publication date given or found; dates resolved against today (${today()})`);

  return { value: { text, title: layout.title, blocks: layout.blocks, published, publishedFrom, source }, warnings };
}

export interface BatchItem {
  id: string;
  text: string;
  published: string | null;
  source: string | null;
  url: string | null;
  title: string | null;
  line: number;
  /** A feed item whose text is only the feed's summary of an article at `url`. */
  summaryOnly?: boolean;
  /** A feed item's own id (guid, Atom id), when it has one. */
  guid?: string | null;
}

function optString(o: Record<string, unknown>, key: string, line: number, warnings: string[]): string | null {
  const v = o[key];
  if (v == null) return null;
  if (typeof v === 'string') {
    const { value, changed } = cleanField(v);
    if (changed) warnings.push(`line ${line}: "${key}" held control characters or a lone surrogate; replaced`);
    return value || null;
  }
  warnings.push(`line ${line}: "${key}" is not a string; ignored`);
  return null;
}

/**
 * JSONL batch: one {"id","text","published","source","url"?,"title"?} object per line.
 * A bad line becomes a warning naming its line number and is skipped; a file with no
 * usable line at all throws InputError. A line without an id is named by its line number,
 * with a warning when the caller's output is keyed by id (`idsShown`).
 */
export function readJsonl(raw: Buffer | string, opts: { idsShown?: boolean } = {}): StageResult<BatchItem[]> {
  const idsShown = opts.idsShown ?? true;
  const { lines } = decodeLines(raw, 'batch file');
  const warnings: string[] = [];
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  const bad = (msg: string) => {
    problems.push(msg);
    warnings.push(`${msg}; line skipped`);
  };
  for (const { line, text: lineText, problem } of lines) {
    if (lineText === null) {
      bad(`line ${line}: ${problem}`);
      continue;
    }
    if (!lineText.trim()) continue;
    let o: unknown;
    try {
      o = JSON.parse(lineText);
    } catch (e) {
      bad(`line ${line}: not valid JSON (${(e as Error).message})`);
      continue;
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      bad(`line ${line}: not a JSON object`);
      continue;
    }
    const rec = o as Record<string, unknown>;
    if (typeof rec.text !== 'string' || !rec.text.trim()) {
      bad(`line ${line}: no "text"`);
      continue;
    }
    const rawId = rec.id;
    const given = typeof rawId === 'string' ? optString(rec, 'id', line, warnings) : typeof rawId === 'number' ? String(rawId) : null;
    const id = given ?? `line-${line}`;
    if (rawId == null && idsShown) warnings.push(`line ${line}: no "id"; using "${id}"`);
    if (seen.has(id)) {
      bad(`line ${line}: duplicate id "${id}"`);
      continue;
    }
    let published = optString(rec, 'published', line, warnings);
    if (published) {
      try {
        published = checkPublished(published, `line ${line}: "published"`);
      } catch (e) {
        warnings.push(`${(e as Error).message}; treated as not given`);
        published = null;
      }
    }
    seen.add(id);
    items.push({
      id,
      text: rec.text,
      published,
      source: optString(rec, 'source', line, warnings),
      url: optString(rec, 'url', line, warnings),
      title: optString(rec, 'title', line, warnings),
      line,
    });
  }
  if (items.length === 0) {
    if (!problems.length) throw new InputError('batch file is empty: it contains only whitespace');
    const why = problems.length ? `: ${problems.slice(0, 3).join('; ')}` : '';
    throw new InputError(`batch file has no usable line${why} (expected one JSON object with a "text" per line)`);
  }
  return { value: items, warnings };
}
