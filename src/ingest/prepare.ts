// One report item -> what the store keeps: the document text, its events and the control
// claims they make. Pure: the CLI and the API read the input and write the store.
import type { ControlRules } from '../control/claims.js';
import { claimsFromReport, districtOf } from '../control/claims.js';
import type { Event } from '../schema/event.js';
import { analyseDoc, eventsOf } from '../extract/index.js';
import type { Resources } from '../extract/index.js';
import type { StageResult } from '../core/types.js';
import { checkDeadline, type Deadline } from '../core/deadline.js';
import type { PreparedReport } from '../store/store.js';
import { cleanField } from './decode.js';
import { readDocument } from './read.js';

export interface ReportItem {
  text: string | Buffer;
  published: string | null;
  source: string | null;
  url: string | null;
  title: string | null;
  /** File name (decides text or HTML by extension), or null. */
  filename: string | null;
}

/** The item's one-line fields as the store can keep them (see cleanField), with a warning for each one changed. */
function cleanFields(item: ReportItem, warnings: string[]): ReportItem {
  const out = { ...item };
  for (const key of ['source', 'url', 'title'] as const) {
    const v = item[key];
    if (v == null) continue;
    const { value, changed } = cleanField(v);
    if (changed) warnings.push(`"${key}" held control characters or a lone surrogate; replaced`);
    out[key] = value || null;
  }
  return out;
}

export function prepareReport(given: ReportItem, res: Resources, rules: ControlRules, today: string, deadline?: Deadline): StageResult<PreparedReport> {
  const fieldWarnings: string[] = [];
  const item = cleanFields(given, fieldWarnings);
  const { value: doc, warnings } = readDocument(item.text, { published: item.published, source: item.source, filename: item.filename, what: item.filename ?? 'text' });
  warnings.unshift(...fieldWarnings);
  const published = doc.published ?? today;
  const source = item.source ?? doc.source ?? '';
  const analysis = analyseDoc(doc, res, { published, source, deadline });
  const extracted = eventsOf(analysis.value, doc, res, { published, source, deadline });
  warnings.push(...analysis.warnings, ...extracted.warnings);
  // The sentences the analysis already split (one analysis per sentence), not a second split.
  const sentences = analysis.value.analyses.map((a) => a.sentence);
  const seat = (e: Event) => {
    const p = e.admin1_code ? res.gazetteer.seat(e.admin1_code) : null;
    return p ? districtOf({ ...e, admin2: p.admin2, admin2_code: p.admin2_code, location: p.location, geo_precision: 1 }) : null;
  };
  const claims = claimsFromReport({ text: doc.text, sentences, events: extracted.value, published, seat }, rules);
  warnings.push(...claims.warnings);
  checkDeadline(deadline);
  return {
    value: {
      text: doc.text,
      title: doc.title?.text ?? item.title,
      url: item.url,
      source: source || null,
      published,
      events: extracted.value,
      claims: claims.value,
    },
    warnings,
  };
}
