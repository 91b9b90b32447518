// HTML report -> plain text blocks, title and publication date, using parse5 (a real,
// spec-compliant HTML parser: entities, broken markup and implied tags are handled for us).
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { Block, Span } from '../core/types.js';
import { looksLikeHeading } from './layout.js';
import { isRealDate } from '../core/days.js';
import { firstTagIs } from './sniff.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Page furniture and non-content: never part of the report's text. */
const DROP = new Set(['head', 'script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'iframe', 'svg', 'button', 'select', 'canvas', 'object']);
/** Elements whose start and end break the text into separate blocks. */
const BLOCK = new Set([
  'p', 'div', 'li', 'blockquote', 'td', 'th', 'tr', 'table', 'ul', 'ol', 'dl', 'dd', 'dt', 'pre', 'figure', 'figcaption',
  'caption', 'article', 'section', 'main', 'body', 'address', 'hr', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
const HEADING = /^h[1-6]$/;
/** Blocks that may legitimately report an event without a final period (bullets, cells). */
const NO_HEADING_GUESS = new Set(['li', 'td', 'th', 'dd', 'pre']);

/** Where an HTML page states when it was published, strongest first. */
const META_DATE_NAMES = ['article:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'dc.date', 'dc.date.issued', 'dcterms.created'];

export interface HtmlLayout {
  text: string;
  title: Span | null;
  blocks: Block[];
  /** YYYY-MM-DD from the page's metadata, when present and valid. */
  published: string | null;
  siteName: string | null;
  warnings: string[];
}

const attr = (el: Element, name: string): string | null => el.attrs.find((a) => a.name === name)?.value ?? null;

function isHidden(el: Element): boolean {
  return (
    attr(el, 'hidden') !== null ||
    attr(el, 'aria-hidden') === 'true' ||
    attr(el, 'role') === 'navigation' ||
    /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attr(el, 'style') ?? '')
  );
}

// The tree is walked with an explicit stack, not by recursion: a page nested 10,000 deep
// (parse5 builds it) would overflow the call stack.

const childrenOf = (node: Node): Node[] => ('childNodes' in node ? node.childNodes : []);

function textOf(node: Node): string {
  let out = '';
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') out += (n as DefaultTreeAdapterMap['textNode']).value;
    else {
      const kids = childrenOf(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return out;
}

/** Every element under `node`, in document order. */
function* elements(node: Node): Generator<Element> {
  const stack: Node[] = [...childrenOf(node)].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if ('tagName' in n) yield n;
    const kids = childrenOf(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/** A date as written in metadata -> YYYY-MM-DD, keeping the date as the publisher wrote it (no time-zone shift). */
export function metaDate(value: string): string | null {
  const iso = /^\s*(\d{4}-\d{2}-\d{2})/.exec(value);
  if (iso) return isRealDate(iso[1]!) ? iso[1]! : null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

function jsonLdDate(json: unknown): string | null {
  if (Array.isArray(json)) {
    for (const j of json) {
      const d = jsonLdDate(j);
      if (d) return d;
    }
    return null;
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.datePublished === 'string') return metaDate(o.datePublished);
    return jsonLdDate(o['@graph'] ?? null);
  }
  return null;
}

function findPublished(doc: Node, warnings: string[]): string | null {
  const found = new Map<string, string>();
  let timeDate: string | null = null;
  let ldDate: string | null = null;
  for (const el of elements(doc)) {
    if (el.tagName === 'meta') {
      const key = (attr(el, 'property') ?? attr(el, 'name') ?? attr(el, 'itemprop') ?? '').toLowerCase();
      const content = attr(el, 'content');
      if (content && META_DATE_NAMES.includes(key) && !found.has(key)) {
        const d = metaDate(content);
        if (d) found.set(key, d);
      }
    } else if (el.tagName === 'time' && !timeDate) {
      const dt = attr(el, 'datetime');
      timeDate = dt ? metaDate(dt) : null;
    } else if (el.tagName === 'script' && attr(el, 'type') === 'application/ld+json' && !ldDate) {
      try {
        ldDate = jsonLdDate(JSON.parse(textOf(el)));
      } catch {
        warnings.push('ignored a JSON-LD block that is not valid JSON');
      }
    }
  }
  for (const key of META_DATE_NAMES) {
    const d = found.get(key);
    if (d) return d;
  }
  return ldDate ?? timeDate;
}

function siteNameOf(doc: Node): string | null {
  for (const el of elements(doc)) {
    if (el.tagName === 'meta' && attr(el, 'property') === 'og:site_name') return attr(el, 'content')?.trim() || null;
  }
  return null;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ');

interface RawBlock {
  text: string;
  heading: boolean;
  tag: string;
}

/** Walks the body, cutting text into blocks at block-level element boundaries. */
function collectBlocks(root: Node): RawBlock[] {
  const out: RawBlock[] = [];
  let buf = '';
  let bufTag = 'body';
  const flush = () => {
    const t = buf.trim();
    if (t) out.push({ text: t, heading: HEADING.test(bufTag), tag: bufTag });
    buf = '';
  };
  const text = (v: string, tag: string, inPre: boolean) => {
    if (!inPre) {
      if (!buf) bufTag = tag;
      buf += collapse(v);
      return;
    }
    // Preformatted text keeps its lines: each line is a block.
    v.split('\n').forEach((line, i) => {
      if (i > 0) flush();
      if (!buf) bufTag = tag;
      buf += line;
    });
  };
  // A frame is a node to enter, or (`exit`) the end of a block element, where the text breaks.
  type Frame = { node: Node; tag: string; inPre: boolean } | { exit: true };
  const stack: Frame[] = [{ node: root, tag: 'body', inPre: false }];
  while (stack.length) {
    const f = stack.pop()!;
    if ('exit' in f) {
      flush();
      continue;
    }
    const { node, tag, inPre } = f;
    if (node.nodeName === '#text') {
      text((node as DefaultTreeAdapterMap['textNode']).value, tag, inPre);
      continue;
    }
    let inner = tag;
    let innerPre = inPre;
    if ('tagName' in node) {
      if (DROP.has(node.tagName) || isHidden(node)) continue;
      if (BLOCK.has(node.tagName)) {
        flush();
        inner = node.tagName;
        stack.push({ exit: true });
      }
      innerPre = inPre || node.tagName === 'pre';
    }
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, tag: inner, inPre: innerPre });
  }
  return out;
}

function titleText(doc: Node): string | null {
  let titleEl: string | null = null;
  for (const el of elements(doc)) {
    if (el.tagName === 'h1' && !isHidden(el)) {
      const t = collapse(textOf(el)).trim();
      if (t) return t;
    }
    if (el.tagName === 'title' && titleEl === null) titleEl = collapse(textOf(el)).trim() || null;
  }
  return titleEl;
}

export function readHtml(html: string): HtmlLayout {
  const warnings: string[] = [];
  const doc = parse(html);
  const raw = collectBlocks(doc);
  const title = titleText(doc);
  // The title is part of the text so that its span points into it; when the page's <h1>
  // was dropped with its <header>, or only <title> exists, it is put in front.
  let titleIndex = title ? raw.findIndex((b) => b.text === title) : -1;
  if (title && titleIndex < 0) {
    raw.unshift({ text: title, heading: true, tag: 'title' });
    titleIndex = 0;
  }
  const blocks: Block[] = [];
  let text = '';
  raw.forEach((b, i) => {
    if (text) text += '\n\n';
    const start = text.length;
    text += b.text;
    const heading = b.heading || i === titleIndex || (!NO_HEADING_GUESS.has(b.tag) && looksLikeHeading(b.text));
    blocks.push({ start, end: text.length, text: b.text, heading });
  });
  const t = blocks[titleIndex];
  return {
    text,
    title: t ? { start: t.start, end: t.end, text: t.text } : null,
    blocks,
    published: findPublished(doc, warnings),
    siteName: siteNameOf(doc),
    warnings,
  };
}

const HTML_TAG = /<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|meta|title|section)\b/iy;

/** Content sniffing for input given without a file name or format: comments, then an HTML tag. */
export function looksLikeHtml(text: string): boolean {
  return firstTagIs(text, HTML_TAG);
}
