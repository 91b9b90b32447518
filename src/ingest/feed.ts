// RSS 2.0 and Atom feeds -> report items, with fast-xml-parser (a real XML parser: entities,
// CDATA and namespaces handled, no regex over markup).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { StageResult } from '../core/types.js';
import { InputError } from '../errors.js';
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

/**
 * Each item or entry becomes one report: its title, then its content (HTML is kept as HTML,
 * the reader turns it into text). An item with no text is skipped with a warning.
 */
export function readFeed(xml: string, what = 'feed'): StageResult<BatchItem[]> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InputError(`${what}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = parser.parse(xml) as Record<string, any>;
  const warnings: string[] = [];
  const items: BatchItem[] = [];
  const channel = doc.rss?.channel ?? doc['rdf:RDF'];
  const feedTitle = textOf(channel?.title ?? doc.feed?.title).trim() || null;
  const entries: { title: string; body: string; url: string | null; date: string | null; id: string | null }[] = [];
  if (channel) {
    for (const it of list(channel.item ?? doc['rdf:RDF']?.item)) {
      entries.push({
        title: textOf(it.title),
        body: textOf(it['content:encoded']) || textOf(it.description),
        url: textOf(it.link).trim() || null,
        date: feedDate(it.pubDate ?? it['dc:date']),
        id: textOf(it.guid).trim() || null,
      });
    }
  } else if (doc.feed) {
    for (const en of list(doc.feed.entry)) {
      entries.push({
        title: textOf(en.title),
        body: textOf(en.content) || textOf(en.summary),
        url: atomLink(en.link),
        date: feedDate(en.published ?? en.updated),
        id: textOf(en.id).trim() || null,
      });
    }
  } else {
    throw new InputError(`${what}: XML but neither an RSS nor an Atom feed`);
  }
  entries.forEach((e, i) => {
    const title = e.title.trim();
    const body = e.body.trim();
    if (!body && !title) {
      warnings.push(`${what}: item ${i + 1} has no title or text; skipped`);
      return;
    }
    // The title leads, as a headline does; an HTML body stays HTML for the reader.
    const text = hasMarkup(body) ? `<h1>${escapeHtml(title)}</h1>\n${body}` : `${title}\n\n${body}`;
    items.push({ id: e.id ?? e.url ?? `item-${i + 1}`, text, published: e.date, source: feedTitle, url: e.url, title: title || null, line: i + 1 });
  });
  if (!items.length) throw new InputError(`${what}: the feed has no items with text`);
  return { value: items, warnings };
}

/** Whether a body holds a tag: "<" and a letter, then a ">" (/<[a-z][\s\S]*>/ took quadratic time on "<a<a<a..."). */
function hasMarkup(body: string): boolean {
  const open = /<[a-z]/i.exec(body);
  return open !== null && body.indexOf('>', open.index + 2) >= 0;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
