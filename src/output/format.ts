// Output formats for events: JSON ({"events": [...]}), JSON Lines (one event a line),
// ACLED-ordered CSV with sitrep's fields, ACLED's own export layouts (./acled.ts), GeoJSON, and
// a table for people that shows each event with the words that support it.
import { stringify } from 'csv-stringify/sync';
import type { Event } from '../schema/event.js';
import { ACLED_COLUMNS } from '../schema/event.js';
import { formatAcled } from './acled.js';

export type EventFormat = 'json' | 'jsonl' | 'csv' | 'acled' | 'acled-2020' | 'table' | 'geojson';

/** CSV columns: ACLED's order, then what sitrep adds. */
export const CSV_COLUMNS = [...ACLED_COLUMNS, 'admin1_code', 'admin2_code', 'attribution', 'certainty', 'confidence', 'rule', 'evidence'] as const;

/** `text`: the text the evidence offsets index, given (in JSON) when it is not the input as it was. */
export function formatEvents(events: Event[], format: EventFormat, text?: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify(text === undefined ? { events } : { events, text }, null, 2) + '\n';
    case 'jsonl':
      return events.map((e) => JSON.stringify(e) + '\n').join('');
    case 'acled':
      return formatAcled(events, 'current');
    case 'acled-2020':
      return formatAcled(events, '2020');
    case 'csv':
      return stringify(
        events.map((e) => CSV_COLUMNS.map((c) => (c === 'evidence' ? e.evidence.map((x) => x.text).join(' | ') : (e[c] ?? '')))),
        { header: true, columns: [...CSV_COLUMNS] },
      );
    case 'geojson':
      return (
        JSON.stringify({
          type: 'FeatureCollection',
          features: events.map((e) => ({
            type: 'Feature',
            geometry: e.latitude === null || e.longitude === null ? null : { type: 'Point', coordinates: [e.longitude, e.latitude] },
            properties: e,
          })),
        }) + '\n'
      );
    case 'table':
      return table(events);
  }
}

function table(events: Event[]): string {
  if (events.length === 0) return 'no events\n';
  const lines: string[] = [];
  for (const e of events) {
    const sides = [e.actor1, e.actor2].filter(Boolean).join(' v ');
    const place = [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(', ');
    lines.push(`${e.event_date}  ${e.sub_event_type} (${e.event_type})`);
    lines.push(`    where: ${place}${e.admin2_code ? ` [${e.admin2_code}]` : ''}`);
    if (sides) lines.push(`    who:   ${sides}`);
    lines.push(`    dead:  ${e.fatalities}   certainty: ${e.certainty}   confidence: ${e.confidence}${e.attribution ? `   says: ${e.attribution}` : ''}`);
    for (const ev of e.evidence) lines.push(`    ${(ev.role ?? '').padEnd(11)} "${ev.text}" @${ev.start}-${ev.end}`);
    lines.push(`    rule:  ${e.rule}`);
  }
  return lines.join('\n') + '\n';
}
