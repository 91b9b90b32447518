// The examples (examples/reports.jsonl) as a loopback RSS feed, for the tests of watch and workers.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/config.js';

export interface Example {
  id: string;
  text: string;
  published: string;
  source: string;
}

export const examples = fs
  .readFileSync(path.join(ROOT, 'examples', 'reports.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Example);

export const byId = (id: string) => examples.find((e) => e.id === id)!;

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const rfc822 = (d: string) => new Date(`${d}T12:00:00Z`).toUTCString();

/** An RSS feed of the examples: full text in content:encoded, or (summary) only a first sentence and a link. */
export function rss(items: { e: Pick<Example, 'id' | 'text' | 'published'>; summaryOf?: string }[]): string {
  const body = items
    .map(({ e, summaryOf }) => {
      const [title, ...rest] = e.text.split('\n\n');
      const content = summaryOf ? `<description>${esc(rest.join(' ').split('. ')[0]!)}.</description><link>${summaryOf}</link>` : `<content:encoded><![CDATA[${rest.map((p) => `<p>${esc(p)}</p>`).join('')}]]></content:encoded>`;
      return `<item><title>${esc(title!)}</title><guid>${e.id}</guid><pubDate>${rfc822(e.published)}</pubDate>${content}</item>`;
    })
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Loopback Wire</title>${body}</channel></rss>`;
}
