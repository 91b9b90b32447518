// RSS 2.0 and Atom feeds -> report items, with fast-xml-parser (a real XML parser: entities,
// CDATA and namespaces handled, no regex over markup).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { StageResult } from '../core/types.js';
import { InputError } from '../errors.js';
import { decodeInput } from './decode.js';
import type { BatchItem } from './read.js';
import { firstTagIs } from './sniff.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', cdataPropName: false, processEntities: true, htmlEntities: true });

const FEED_TAG = /<(?:rss|feed|rdf:RDF)\b/iy;

/** Content sniffing: an XML declaration, comments, then an RSS, Atom or RDF root. */
export function looksLikeFeed(text: string): boolean {
  return firstTagIs(text, FEED_TAG, { xmlDeclaration: true });
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function textOf(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && '#text' in (v as object)) return String((v as Record<string, unknown>)['#text'] ?? '');
  return '';
}

/** A feed date (RFC 822 in RSS, RFC 3339 in Atom) as YYYY-MM-DD, or null. */
export function feedDate(v: unknown): string | null {
  const s = textOf(v).trim();
  if (!s) return null;
  // RFC 3339 keeps its own calendar date; RFC 822 dates are read by Date and taken in UTC.
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  if (iso) return iso[1]!;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

function atomLink(v: unknown): string | null {
  for (const l of list(v as Record<string, string> | Record<string, string>[])) {
    if (typeof l === 'string') return l;
    if (l && (!l['@rel'] || l['@rel'] === 'alternate') && l['@href']) return l['@href'];
  }
  return null;
}

interface FeedEntry {
  title: string;
  body: string;
  /** The body is the feed's summary (RSS description, Atom summary), not the article's content. */
  summaryOnly: boolean;
  url: string | null;
  date: string | null;
  id: string | null;
}

const rssEntry = (it: any): FeedEntry => {
  const content = textOf(it['content:encoded']);
  return {
    title: textOf(it.title),
    body: content || textOf(it.description),
    summaryOnly: !content,
    url: textOf(it.link).trim() || null,
    date: feedDate(it.pubDate ?? it['dc:date']),
    id: textOf(it.guid).trim() || null,
  };
};

const atomEntry = (en: any): FeedEntry => {
  const content = textOf(en.content);
  return {
    title: textOf(en.title),
    body: content || textOf(en.summary),
    summaryOnly: !content,
    url: atomLink(en.link),
    date: feedDate(en.published ?? en.updated),
    id: textOf(en.id).trim() || null,
  };
};

export interface FeedOptions {
  /** A feed with no items is no error (a followed feed between stories), only a file given to ingest is. */
  allowEmpty?: boolean;
}

/** A feed's bytes: decoded (see decodeInput), then read by readFeed. */
export function readFeedFile(raw: Buffer | string, what: string): StageResult<BatchItem[]> {
  const { text, warnings } = decodeInput(raw, what);
  const feed = readFeed(text, what);
  return { value: feed.value, warnings: [...warnings, ...feed.warnings] };
}

/**
 * Each item or entry becomes one report: its title, then its content (HTML is kept as HTML,
 * the reader turns it into text). An item with no text is skipped with a warning. A feed that
 * is not well-formed XML keeps its well-formed items: each <item> or <entry> is read on its
 * own, and a broken one is a warning ending in "; item skipped" that names it.
 */
export function readFeed(xml: string, what = 'feed', opts: FeedOptions = {}): StageResult<BatchItem[]> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return readBrokenFeed(xml, what, `line ${valid.err.line}: ${valid.err.msg}`, opts);
  const doc = parser.parse(xml) as Record<string, any>;
  const channel = doc.rss?.channel ?? doc['rdf:RDF'];
  const feedTitle = textOf(channel?.title ?? doc.feed?.title).trim() || null;
  let entries: FeedEntry[];
  if (channel) entries = list(channel.item ?? doc['rdf:RDF']?.item).map(rssEntry);
  else if (doc.feed) entries = list(doc.feed.entry).map(atomEntry);
  else throw new InputError(`${what}: XML but neither an RSS nor an Atom feed`);
  return feedItems(entries.map((e, i) => ({ entry: e, n: i + 1 })), feedTitle, what, [], opts);
}

/** Feed entries (RSS, Atom or JSON Feed), each with its number in the feed, as report items. */
function feedItems(entries: { entry: FeedEntry; n: number }[], feedTitle: string | null, what: string, warnings: string[], opts: FeedOptions): StageResult<BatchItem[]> {
  const items: BatchItem[] = [];
  for (const { entry: e, n } of entries) {
    const title = e.title.trim();
    const body = e.body.trim();
    if (!body && !title) {
      warnings.push(`${what}: item ${n} has no title or text; skipped`);
      continue;
    }
    // The title leads, as a headline does; an HTML body stays HTML for the reader.
    const text = hasMarkup(body) ? `<h1>${escapeHtml(title)}</h1>\n${body}` : `${title}\n\n${body}`;
    items.push({ id: e.id ?? e.url ?? `item-${n}`, text, published: e.date, source: feedTitle, url: e.url, title: title || null, line: n, summaryOnly: e.summaryOnly && !!e.url, guid: e.id });
  }
  if (!items.length && !opts.allowEmpty) throw new InputError(`${what}: the feed has no items with text`);
  return { value: items, warnings };
}

/** Whether a body holds a tag: "<" and a letter, then a ">" (/<[a-z][\s\S]*>/ took quadratic time on "<a<a<a..."). */
function hasMarkup(body: string): boolean {
  const open = /<[a-z]/i.exec(body);
  return open !== null && body.indexOf('>', open.index + 2) >= 0;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Content sniffing for JSON Feed (jsonfeed.org): an object whose "version" names the spec. */
export function looksLikeJsonFeed(text: string): boolean {
  const head = text.trimStart().slice(0, 4096);
  return head.startsWith('{') && head.includes('jsonfeed.org/version/');
}

/** A JSON Feed (version 1 or 1.1): each item with content_html, content_text or a summary is one report. */
export function readJsonFeed(json: string, what = 'feed', opts: FeedOptions = {}): StageResult<BatchItem[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new InputError(`${what}: not valid JSON (${(e as Error).message})`);
  }
  const feed = doc as Record<string, unknown> | null;
  if (!feed || typeof feed !== 'object' || !Array.isArray(feed.items)) throw new InputError(`${what}: JSON but not a JSON Feed (no "items" list)`);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const entries = (feed.items as unknown[]).map((raw): FeedEntry => {
    const it = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const content = str(it.content_html) || str(it.content_text);
    return {
      title: str(it.title),
      body: content || str(it.summary),
      summaryOnly: !content,
      url: str(it.url).trim() || str(it.external_url).trim() || null,
      date: feedDate(str(it.date_published) || str(it.date_modified)),
      id: typeof it.id === 'string' || typeof it.id === 'number' ? String(it.id) : null,
    };
  });
  return feedItems(entries.map((e, i) => ({ entry: e, n: i + 1 })), str(feed.title).trim() || null, what, [], opts);
}

/** The parts of a broken feed between `<tag` and the next `</tag>`, in order (indexOf, no pattern over the input). */
function chunks(xml: string, tag: string): { start: number; end: number | null }[] {
  const out: { start: number; end: number | null }[] = [];
  const open = `<${tag}`;
  const close = `</${tag}>`;
  let i = xml.indexOf(open);
  while (i >= 0) {
    const after = xml.charCodeAt(i + open.length);
    // "<itemize" is not "<item": the name must end there.
    if (!(after === 0x3e || after === 0x2f || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d)) {
      i = xml.indexOf(open, i + 1);
      continue;
    }
    const next = xml.indexOf(open, i + 1);
    const end = xml.indexOf(close, i);
    // An item whose end tag is missing runs into the next one: it is broken, the next is not.
    if (end < 0 || (next >= 0 && next < end)) out.push({ start: i, end: null });
    else out.push({ start: i, end: end + close.length });
    i = next;
  }
  return out;
}

function readBrokenFeed(xml: string, what: string, why: string, opts: FeedOptions): StageResult<BatchItem[]> {
  const atom = chunks(xml, 'entry');
  const rss = chunks(xml, 'item');
  const atomFirst = atom.length > rss.length;
  const parts = atomFirst ? atom : rss;
  if (!parts.length) throw new InputError(`${what}: not well-formed XML (${why})`);
  const warnings = [`${what}: not well-formed XML (${why}); its items are read one by one`];
  // Items come in order, so the line count goes on from the last one.
  let line = 1;
  let counted = 0;
  const lineAt = (pos: number) => {
    for (let i = xml.indexOf('\n', counted); i >= 0 && i < pos; i = xml.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    return line;
  };
  // The feed's own title: the first <title> before the first item, if it reads.
  const head = xml.slice(0, parts[0]!.start);
  const t0 = head.indexOf('<title');
  const t1 = head.indexOf('</title>', t0);
  let feedTitle: string | null = null;
  if (t0 >= 0 && t1 > t0 && XMLValidator.validate(head.slice(t0, t1 + 8)) === true) {
    feedTitle = textOf((parser.parse(head.slice(t0, t1 + 8)) as Record<string, unknown>).title).trim() || null;
  }
  const entries: { entry: FeedEntry; n: number }[] = [];
  parts.forEach((p, i) => {
    const n = i + 1;
    const place = `item ${n} (line ${lineAt(p.start)})`;
    if (p.end === null) {
      warnings.push(`${what}: ${place}: no closing tag; item skipped`);
      return;
    }
    const chunk = xml.slice(p.start, p.end);
    const v = XMLValidator.validate(chunk);
    if (v !== true) {
      warnings.push(`${what}: ${place}: not well-formed XML (${v.err.msg}); item skipped`);
      return;
    }
    const doc = parser.parse(chunk) as Record<string, any>;
    entries.push({ entry: atomFirst ? atomEntry(doc.entry) : rssEntry(doc.item), n });
  });
  if (!entries.length) throw new InputError(`${what}: not well-formed XML (${why}); no item in it could be read`);
  return feedItems(entries, feedTitle, what, warnings, opts);
}
