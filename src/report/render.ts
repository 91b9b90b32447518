// A brief written out: Markdown, one self-contained HTML file (citations as links, an inline SVG
// chart of events per day and an inline SVG map, no script and nothing fetched), or JSON.
import type { Brief, BriefSentence, Citation } from './brief.js';
import { anchor, esc } from './html.js';
import { briefMapSvg } from './map.js';
import type { MapData } from './map.js';

export type BriefFormat = 'md' | 'html' | 'json';

/** `mapData`: the outlines and boundaries an HTML brief's map is drawn from; without them it says it has none. */
export function renderBrief(b: Brief, format: BriefFormat, mapData?: MapData): string {
  if (format === 'json') return JSON.stringify(b, null, 2) + '\n';
  return format === 'html' ? html(b, mapData) : markdown(b);
}

/** "[AFG2, AFG3; NewsBytes 2021-08-21]": the events, then each report by source and date. */
export function citationText(b: Brief, c: Citation): string {
  const labels = new Map(b.sources.map((s) => [s.id, s.label]));
  const parts = [c.events.join(', '), ...c.reports.map((r) => labels.get(r) ?? `report ${r}`)].filter(Boolean);
  return parts.length ? `[${parts.join('; ')}]` : '';
}

function line(b: Brief, s: BriefSentence): string {
  const c = citationText(b, s.cite);
  return c ? `${s.text} ${c}` : s.text;
}

function markdown(b: Brief): string {
  const out: string[] = [`# ${line(b, b.headline)}`, '', `_${b.scope}_`, ''];
  for (const section of b.sections) {
    out.push(`## ${section.heading}`, '');
    for (const n of section.notes) out.push(`> ${n}`, '');
    for (const g of section.groups) {
      if (g.heading) out.push(`### ${g.heading}`, '');
      for (const s of g.sentences) out.push(`- ${line(b, s)}`);
      if (g.sentences.length) out.push('');
    }
  }
  out.push('## Sources', '');
  for (const s of b.sources) out.push(`- [${s.label}] ${s.text}`);
  out.push('');
  for (const n of [...b.notes, b.map.none]) out.push(`> ${n}`, '');
  return out.join('\n');
}


function htmlCitation(b: Brief, c: Citation): string {
  const labels = new Map(b.sources.map((s) => [s.id, s.label]));
  const parts = [
    ...c.events.map((e) => `<a href="#event-${anchor(e)}">${esc(e)}</a>`),
    ...c.reports.map((r) => `<a href="#report-${r}">${esc(labels.get(r) ?? `report ${r}`)}</a>`),
  ];
  return parts.length ? ` <span class="cite">[${parts.join('; ')}]</span>` : '';
}

function chart(b: Brief): string {
  const days = b.perDay;
  if (!days.length) return '';
  const barW = Math.max(4, Math.min(40, Math.floor(640 / days.length)));
  const h = 120;
  const max = Math.max(1, ...days.map((d) => d.events));
  const bars = days
    .map((d, i) => {
      const bh = Math.round((d.events / max) * (h - 30));
      return `<rect x="${i * barW + 1}" y="${h - 20 - bh}" width="${barW - 2}" height="${bh}"><title>${d.date}: ${d.events} event${d.events === 1 ? '' : 's'}</title></rect>`;
    })
    .join('');
  const first = days[0]!.date;
  const last = days[days.length - 1]!.date;
  const width = days.length * barW;
  return (
    `<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="events per day" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">` +
    `<g fill="#8b1e1e">${bars}</g>` +
    `<text x="0" y="${h - 4}" font-size="10">${first}</text><text x="${width}" y="${h - 4}" font-size="10" text-anchor="end">${last}</text>` +
    `<text x="0" y="10" font-size="10">${max} event${max === 1 ? '' : 's'}</text></svg>` +
    `<figcaption>Events per day, ${esc(first)} to ${esc(last)}</figcaption></figure>`
  );
}

function html(b: Brief, mapData: MapData | undefined): string {
  const map = mapData ? briefMapSvg(b.map, mapData, b.map.caption) : null;
  const body: string[] = [`<h1>${esc(b.headline.text)}${htmlCitation(b, b.headline.cite)}</h1>`, `<p class="scope">${esc(b.scope)}</p>`, chart(b), map ?? ''];
  for (const section of b.sections) {
    body.push(`<h2>${esc(section.heading)}</h2>`);
    for (const n of section.notes) body.push(`<p class="note">${esc(n)}</p>`);
    for (const g of section.groups) {
      if (g.heading) body.push(`<h3>${esc(g.heading)}</h3>`);
      if (!g.sentences.length) continue;
      body.push('<ul>');
      // In Details each sentence is one event: its anchor is where an event citation leads.
      for (const [i, s] of g.sentences.entries()) {
        const id = section.key === 'details' && g.events[i] ? ` id="event-${anchor(g.events[i]!)}"` : '';
        body.push(`<li${id}>${esc(s.text)}${htmlCitation(b, s.cite)}</li>`);
      }
      body.push('</ul>');
    }
  }
  body.push('<h2>Sources</h2>', '<ol class="sources">');
  for (const s of b.sources) {
    const link = s.url && /^https?:\/\//i.test(s.url) ? ` <a href="${esc(s.url)}">${esc(s.url)}</a>` : '';
    body.push(`<li id="report-${s.id}"><b>${esc(s.label)}</b>: ${esc(s.text)}${link}</li>`);
  }
  body.push('</ol>');
  for (const n of map ? b.notes : [...b.notes, b.map.none]) body.push(`<p class="note">${esc(n)}</p>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(b.headline.text)}</title>
<style>body{font:16px/1.5 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em}.cite{font:12px/1 sans-serif;color:#555}.cite a{color:#555}.scope,.note{font-style:italic;color:#444}figure{margin:1em 0}figcaption{font:12px sans-serif;color:#555}li:target{background:#fff3c4}</style>
</head><body>
${body.filter(Boolean).join('\n')}
</body></html>
`;
}
