// The main text of an article page, for a feed item that carries only a summary (and for a
// followed page). Mozilla's Readability (Firefox's Reader View) decides what is the article;
// linkedom gives it a DOM (a small, fast one: no layout, no scripts, nothing fetched). Pure.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { escapeHtml, feedDate } from '../ingest/feed.js';

export interface Article {
  /** The article as HTML (its title as a heading, then its content), for the HTML reader. */
  html: string;
  title: string | null;
  /** The page's own publication date, YYYY-MM-DD, when it states one. */
  published: string | null;
  siteName: string | null;
}

// Pages past this many elements are not worth a reader pass (a feed page, an index).
const MAX_ELEMENTS = 200_000;

/** The article in a page, or null when Readability finds none. */
export function readArticle(html: string): Article | null {
  const { document } = parseHTML(html);
  let parsed: ReturnType<Readability<string>['parse']>;
  try {
    parsed = new Readability(document as unknown as Document, { maxElemsToParse: MAX_ELEMENTS }).parse();
  } catch {
    // Readability throws when a page is past maxElemsToParse: no article, as with none found.
    return null;
  }
  if (!parsed?.content || !parsed.textContent?.trim()) return null;
  const title = parsed.title?.trim() || null;
  const heading = title ? `<h1>${escapeHtml(title)}</h1>\n` : '';
  return { html: `<html><body>${heading}${parsed.content}</body></html>`, title, published: feedDate(parsed.publishedTime ?? ''), siteName: parsed.siteName?.trim() || null };
}
