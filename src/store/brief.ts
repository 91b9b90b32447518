// What a brief is drafted from, read through the Store's own queries: the area's events of the
// period with their sources, the actors seen there before, control on the last day, the reports.
import { addDays } from '../core/days.js';
import type { DistrictControl, EventDetail, EventQuery, Store, StoredEvent } from './store.js';

export interface BriefQuery {
  country?: string | undefined;
  admin1?: string | undefined;
  admin2?: string | undefined;
  from: string;
  to: string;
  /** Write the brief as it could have been written on this date: only what was published by then. */
  knownAt?: string | undefined;
}

export interface ReportMeta {
  id: number;
  source: string | null;
  published: string | null;
  url: string | null;
  title: string | null;
}

export interface BriefInput {
  query: BriefQuery;
  /** The events of the area and period (known by knownAt), with their sources. */
  events: EventDetail[];
  /** Actors of the area's events before the period: the others are new. */
  earlierActors: string[];
  /** Control of the area's districts on the period's last day (known by knownAt). */
  control: DistrictControl[];
  /** Every report the events and claims rest on. */
  reports: ReportMeta[];
}

/** Every event a query matches, page after page. */
export async function allEvents(store: Store, q: EventQuery): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | null = null;
  do {
    const page: { events: StoredEvent[]; next: string | null } = await store.events({ ...q, after, limit: 5000 });
    out.push(...page.events);
    after = page.next;
  } while (after);
  return out;
}

export async function readBriefInput(store: Store, q: BriefQuery): Promise<BriefInput> {
  const area = { country: q.country, admin1: q.admin1, admin2: q.admin2, knownAt: q.knownAt };
  const listed = await allEvents(store, { ...area, from: q.from, to: q.to });
  const events: EventDetail[] = [];
  for (const e of listed) {
    const d = await store.event(e.event_id);
    if (d) events.push(d);
  }
  const earlier = await allEvents(store, { ...area, to: addDays(q.from, -1) });
  const earlierActors = [...new Set(earlier.flatMap((e) => [e.actor1, e.actor2]).filter(Boolean))];
  // Control is per province at most: a district brief looks at its province's and keeps its own.
  const control = (await store.control({ asOf: q.to, knownAt: q.knownAt, country: q.country, admin1: q.admin1 })).filter(
    (d) => !q.admin2 || d.admin2.toLowerCase() === q.admin2.toLowerCase() || d.code === q.admin2,
  );
  const ids = new Set<number>([...events.flatMap((e) => e.sources.map((s) => s.report_id)), ...control.flatMap((d) => d.evidence.map((c) => c.report_id)).filter((x): x is number => x !== null)]);
  const reports: ReportMeta[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const r = await store.report(id);
    if (r) reports.push({ id: r.id, source: r.source, published: r.published, url: r.url, title: r.title });
  }
  return { query: q, events, earlierActors, control, reports };
}
