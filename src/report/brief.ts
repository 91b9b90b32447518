// A situation brief drafted from stored events and control claims, in the seed report's shape:
// headline, what's the story, details, what the other side says, control, sources. Pure: the
// caller reads the store; every sentence carries the events and reports it rests on, and the
// words come from rules/brief/ (./templates.ts).
import { addDays, daysBetween, longDate } from '../core/days.js';
import type { StageResult } from '../core/types.js';
import type { ClaimRow } from '../control/status.js';
import { foldName } from '../geo/fold.js';
import { ARMED_INTERS, TERRITORY_SUB_TYPES } from '../schema/event.js';
import type { Event } from '../schema/event.js';
import { mergedCertainty, mergedFatalities } from '../store/merge.js';
import type { BriefInput, BriefQuery, ReportMeta } from '../store/brief.js';
import type { DistrictControl, EventDetail } from '../store/store.js';

export type { BriefInput, BriefQuery, ReportMeta };
import type { BriefMap } from './map.js';
import { fill } from './templates.js';
import type { BriefWording } from './templates.js';

export interface Citation {
  events: string[];
  reports: number[];
}

export interface BriefSentence {
  text: string;
  cite: Citation;
}

export interface BriefGroup {
  /** A place and day in Details; null elsewhere. */
  heading: string | null;
  /** The events the group is about (an anchor for links in HTML). */
  events: string[];
  sentences: BriefSentence[];
}

export interface BriefSection {
  key: 'story' | 'details' | 'other' | 'control';
  heading: string;
  /** About the brief, not the world (the ranking rule, "nothing here"): no citation. */
  notes: string[];
  groups: BriefGroup[];
}

export interface BriefSource extends ReportMeta {
  /** How citations name it: "NewsBytes 2021-08-21". */
  label: string;
  text: string;
}

export interface Brief {
  query: BriefQuery;
  area: string;
  headline: BriefSentence;
  scope: string;
  sections: BriefSection[];
  sources: BriefSource[];
  /** Events per day of the period (the chart). */
  perDay: { date: string; events: number }[];
  /** What the HTML brief's map shows: the events with a point, the districts with known control. */
  map: BriefMap & { caption: string };
  notes: string[];
}

/** Days the chart shows at most; a longer period shows only the days with events. */
const MAX_CHART_DAYS = 366;
const MAX_DEADLY = 3;
const MAX_NEW_ACTORS = 5;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "A", "A and B", "A, B and C". */
function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

function cite(events: string[], reports: number[]): Citation {
  return { events: uniq(events).sort(), reports: uniq(reports).sort((a, b) => a - b) };
}

/** Source names, one each: ACLED's "Xinhua; Khaama Press" is two. */
const sourceNames = (names: string[]) => uniq(names.flatMap((n) => n.split(';').map((x) => x.trim())).filter(Boolean));

/** An attribution of one word ("reportedly") is already in the certainty word; a speaker's is said. */
const isSpeaker = (a: string | null): a is string => !!a && /\s/.test(a.trim());

export function buildBrief(input: BriefInput, w: BriefWording): StageResult<Brief> {
  const warnings: string[] = [];
  const q = input.query;
  const known = q.knownAt;
  const name = (actor: string) => (actor ? (w.names.get(actor) ?? actor) : 'an unnamed side');
  const certWord = (c: string) => fill(w, [`certainty.${c}`, 'certainty.reported'], {});
  const area = q.admin2 ?? q.admin1 ?? q.country ?? 'all areas';

  // What could be known on knownAt: each event's sources published by then, figures recomputed.
  const events = input.events
    .map((e) => {
      const sources = known ? e.sources.filter((s) => !s.published || s.published <= known) : e.sources;
      if (!sources.length) return null;
      const ev: EventDetail = { ...e, sources };
      if (known && sources.length !== e.sources.length) {
        ev.fatalities = mergedFatalities(sources.map((s) => s.fatalities));
        ev.certainty = mergedCertainty(sources.map((s) => s.certainty as Event['certainty']));
      }
      return ev;
    })
    .filter((e): e is EventDetail => e !== null && e.event_date >= q.from && e.event_date <= q.to)
    .sort((a, b) => a.event_date.localeCompare(b.event_date) || a.event_id.localeCompare(b.event_id, 'en', { numeric: true }));
  const reportsOf = (e: EventDetail) => e.sources.map((s) => s.report_id);

  const attributionOf = (e: EventDetail) => {
    if (isSpeaker(e.attribution)) return fill(w, ['attribution.speaker'], { speaker: e.attribution });
    const names = sourceNames(e.sources.map((s) => s.source));
    return names.length ? fill(w, ['attribution.source'], { source: listOf(names) }) : '';
  };
  // A town named as its district ("Pul-e Khumrī" in Pul-e-Khumri) is named once.
  const sameName = (a: string, b: string) => foldName(a).replace(/\W/g, '') === foldName(b).replace(/\W/g, '');
  const whereOf = (e: Pick<Event, 'location' | 'admin2'>) => (!e.admin2 || !e.location || sameName(e.location, e.admin2) ? e.location || e.admin2 : `${e.location} (${e.admin2})`);
  const tollOf = (n: number) => (n > 0 ? fill(w, [n === 1 ? 'detail.fatalities.one' : 'detail.fatalities', 'detail.fatalities'], { n }) : fill(w, ['detail.fatalities.none'], {}));
  const coreOf = (e: EventDetail) =>
    fill(w, [`detail.${e.sub_event_type}`, 'detail'], { a1: name(e.actor1), a2: name(e.actor2), cert: certWord(e.certainty), where: whereOf(e), sub: e.sub_event_type.toLowerCase() });

  // ---- what's the story
  const story: BriefSentence[] = [];
  const territory = new Map<string, EventDetail[]>();
  for (const e of events) {
    if (!TERRITORY_SUB_TYPES.has(e.sub_event_type)) continue;
    const key = [e.sub_event_type, e.actor1, e.actor2, e.event_date, e.certainty, e.country, e.admin1].join('|');
    territory.set(key, [...(territory.get(key) ?? []), e]);
  }
  const changes = [...territory.values()].sort((a, b) => b.length - a.length || a[0]!.event_date.localeCompare(b[0]!.event_date) || a[0]!.event_id.localeCompare(b[0]!.event_id));
  for (const group of changes) {
    const e = group[0]!;
    const typeWords = group.flatMap((g) => g.evidence.filter((x) => x.role === 'type').map((x) => x.text.toLowerCase()));
    const verb = typeWords.map((t) => w.verbs.get(t)).find(Boolean) ?? w.verbs.get(`default:${e.sub_event_type}`) ?? 'taken';
    const districts = uniq(group.map((g) => (g.admin2 && g.location && !sameName(g.location, g.admin2) ? `${g.admin2} (${g.location})` : g.admin2 || g.location))).sort();
    const speakers = uniq(group.map((g) => g.attribution).filter(isSpeaker));
    const sources = sourceNames(group.flatMap((g) => g.sources.map((s) => s.source)));
    const attribution = speakers.length
      ? fill(w, ['attribution.speaker'], { speaker: listOf(speakers) })
      : sources.length
        ? fill(w, ['attribution.source'], { source: listOf(sources) })
        : '';
    const text = fill(w, [`story.territory.${e.certainty}`, 'story.territory'], {
      districts: listOf(districts),
      admin1: e.admin1,
      were: districts.length > 1 ? 'were' : 'was',
      cert: certWord(e.certainty),
      verb,
      taker: name(e.actor1),
      // A side renamed ("Military Forces of Afghanistan (2021-)" is the Taliban) loses nothing to itself.
      from_loser: e.actor2 && name(e.actor2) !== name(e.actor1) ? ` ${fill(w, ['story.loser'], { loser: name(e.actor2) })}` : '',
      date: longDate(e.event_date),
      attribution,
    });
    story.push({ text: capital(text), cite: cite(group.map((g) => g.event_id), group.flatMap(reportsOf)) });
  }
  const deadly = events
    .filter((e) => e.fatalities > 0)
    .sort((a, b) => b.fatalities - a.fatalities || a.event_date.localeCompare(b.event_date) || a.event_id.localeCompare(b.event_id))
    .slice(0, MAX_DEADLY);
  for (const e of deadly) {
    const text = fill(w, ['story.deadly'], { event: coreOf(e), date: longDate(e.event_date), toll: tollOf(e.fatalities), attribution: attributionOf(e) });
    story.push({ text: capital(text), cite: cite([e.event_id], reportsOf(e)) });
  }
  const earlier = new Set(input.earlierActors);
  const newActors = new Map<string, EventDetail[]>();
  for (const e of events) {
    for (const [actor, inter] of [[e.actor1, e.inter1], [e.actor2, e.inter2]] as const) {
      // Armed actors only: "Protesters (Afghanistan)" appearing is no development.
      if (!actor || earlier.has(actor) || !ARMED_INTERS.has(inter)) continue;
      // By the brief's name: two ACLED names of one side are one new actor.
      const n = name(actor);
      const seen = newActors.get(n) ?? [];
      if (!seen.includes(e)) newActors.set(n, [...seen, e]);
    }
  }
  for (const [actor, evs] of [...newActors].slice(0, MAX_NEW_ACTORS)) {
    const text = fill(w, ['story.actor'], { actor, area, count: evs.length });
    story.push({ text: capital(text), cite: cite(evs.map((e) => e.event_id), evs.flatMap(reportsOf)) });
  }

  // ---- details: by place and day
  const places = new Map<string, EventDetail[]>();
  for (const e of events) {
    const key = `${e.event_date}|${e.country}|${e.admin1}|${e.admin2}|${e.location}`;
    places.set(key, [...(places.get(key) ?? []), e]);
  }
  const details: BriefGroup[] = [...places.values()].map((evs) => {
    const e = evs[0]!;
    const place = uniq([e.location, e.admin2, e.admin1, e.country].filter(Boolean)).join(', ');
    return {
      heading: `${place}, ${longDate(e.event_date)}`,
      events: evs.map((x) => x.event_id),
      sentences: evs.map((x) => {
        const text = fill(w, ['detail.tail'], { sentence: coreOf(x), fatalities: tollOf(x.fatalities), attribution: attributionOf(x) });
        return { text: capital(text), cite: cite([x.event_id], reportsOf(x)) };
      }),
    };
  });

  // ---- control, and the contests the other side makes
  const inPeriod = (d: string) => d >= q.from && d <= q.to;
  const shown = input.control.filter((d) => d.status !== 'unknown' && (d.status === 'contested' || d.evidence.some((c) => c.kind === 'control' && inPeriod(c.valid_from))));
  const controlSentences: BriefSentence[] = [];
  const contests = new Map<string, { claim: ClaimRow; districts: DistrictControl[] }>();
  for (const d of shown) {
    const change = d.evidence.find((c) => c.kind !== 'contest');
    const against = d.evidence.filter((c) => c.kind === 'contest');
    const reasons = uniq(against.map((c) => /^\w+: (.*?)(?: \(|$)/.exec(c.reason)?.[1] ?? c.reason));
    const text = fill(w, [`control.${d.status}`], {
      district: d.admin2,
      admin1: d.admin1,
      as_of: longDate(q.to),
      controller: name(d.controller ?? ''),
      since: d.since ? longDate(d.since) : 'an unknown date',
      cert: certWord(change?.certainty ?? 'reported'),
      contests: listOf(reasons.length ? reasons : ['a change of hands close to it']),
    });
    controlSentences.push({
      text: capital(text),
      cite: cite(
        d.evidence.map((c) => c.event_id).filter((x): x is string => !!x),
        d.evidence.map((c) => c.report_id).filter((x): x is number => x !== null),
      ),
    });
    for (const c of against) {
      if (c.valid_from > q.to) continue;
      const key = `${c.report_id}|${c.reason}|${c.actor}|${c.evidence[0]?.text ?? ''}`;
      const seen = contests.get(key);
      if (seen) seen.districts.push(d);
      else contests.set(key, { claim: c, districts: [d] });
    }
  }
  const other: BriefSentence[] = [];
  const reportsById = new Map(input.reports.map((r) => [r.id, r]));
  const sourceName = (id: number | null, fallback: string | null) => (id !== null ? reportsById.get(id)?.source : null) ?? fallback ?? 'a report';
  for (const { claim, districts } of contests.values()) {
    const kind = claim.reason.split(':')[0] ?? 'retake';
    const cue = claim.evidence.find((x) => x.role === 'cue')?.text ?? '';
    const text = fill(w, [`other.${kind}`, 'other.retake'], {
      source: sourceName(claim.report_id, claim.source),
      actor: name(claim.actor),
      // "preparing to retake" is what the speaker is doing; "vowed to retake" is said as it is.
      cue: /^\w+ing\b/i.test(cue) ? `is ${cue}` : cue,
      districts: listOf(districts.map((d) => d.admin2).sort()),
      text: claim.evidence[0]?.text ?? '',
    });
    const changeEvents = districts.flatMap((d) => d.evidence.filter((c) => c.kind === 'control').map((c) => c.event_id)).filter((x): x is string => !!x);
    other.push({ text: capital(text), cite: cite(changeEvents, claim.report_id !== null ? [claim.report_id] : []) });
  }
  for (const e of events) {
    for (const s of e.sources) {
      if (s.certainty !== 'denied' && s.certainty !== 'disputed') continue;
      const text = fill(w, ['other.event'], {
        source: s.source || 'a report',
        where: whereOf(e),
        date: longDate(e.event_date),
        certainty: s.certainty,
        attribution: isSpeaker(s.attribution) ? fill(w, ['attribution.speaker'], { speaker: s.attribution }) : '',
      });
      other.push({ text: capital(text), cite: cite([e.event_id], [s.report_id]) });
    }
    const figures = uniq(e.sources.filter((s) => s.fatalities > 0).map((s) => s.fatalities));
    if (figures.length > 1) {
      const text = fill(w, ['other.figures'], {
        where: whereOf(e),
        date: longDate(e.event_date),
        figures: e.sources.filter((s) => s.fatalities > 0).map((s) => `${s.source || 'a report'}: ${s.fatalities}`).join(', '),
        n: e.fatalities,
      });
      other.push({ text: capital(text), cite: cite([e.event_id], reportsOf(e)) });
    }
  }

  // ---- sources: every report cited anywhere
  const all = [...story, ...details.flatMap((g) => g.sentences), ...other, ...controlSentences];
  const cited = uniq(all.flatMap((s) => s.cite.reports));
  const sources: BriefSource[] = cited
    .map((id) => {
      const r = reportsById.get(id);
      if (!r) warnings.push(`report ${id} is cited but was not given; listed without its details`);
      return r ?? { id, source: null, published: null, url: null, title: null };
    })
    .sort((a, b) => (a.published ?? '').localeCompare(b.published ?? '') || a.id - b.id)
    .map((r, _, all) => {
      // Two reports of one source and day are told apart as a citation style does: 2021-08-20a, 2021-08-20b.
      const base = (x: ReportMeta) => `${x.source ?? `report ${x.id}`} ${x.published ?? 'undated'}`;
      const same = all.filter((x) => base(x) === base(r));
      return { r, label: same.length > 1 ? `${base(r)}${String.fromCharCode(97 + same.indexOf(r))}` : base(r) };
    })
    .map(({ r, label }) => ({
      ...r,
      label,
      text: fill(w, ['source'], {
        source: r.source ?? `report ${r.id}`,
        published: r.published ?? 'undated',
        title: r.title ?? fill(w, ['source.notitle'], {}),
        url: r.url ?? fill(w, ['source.nourl'], {}),
      }),
    }));

  const empty = fill(w, ['note.empty'], {});
  const sections: BriefSection[] = [
    { key: 'story', heading: fill(w, ['heading.story'], {}), notes: [fill(w, ['story.rule'], {}), ...(story.length ? [] : [empty])], groups: [{ heading: null, events: [], sentences: story }] },
    { key: 'details', heading: fill(w, ['heading.details'], {}), notes: details.length ? [] : [empty], groups: details },
    { key: 'other', heading: fill(w, ['heading.other'], {}), notes: other.length ? [] : [fill(w, ['other.none'], {})], groups: [{ heading: null, events: [], sentences: other }] },
    { key: 'control', heading: fill(w, ['heading.control'], {}), notes: controlSentences.length ? [] : [fill(w, ['control.none'], {})], groups: [{ heading: null, events: [], sentences: controlSentences }] },
  ];

  const lead = story[0];
  const period = { area, from: longDate(q.from), to: longDate(q.to) };
  const headline: BriefSentence = lead
    ? { text: capital(fill(w, ['headline'], { ...period, lead: lead.text.replace(/\.$/, '') })), cite: lead.cite }
    : { text: capital(fill(w, ['headline.none'], period)), cite: cite([], []) };
  const scope = fill(w, ['scope'], {
    ...period,
    known: known ? fill(w, ['scope.known'], { known_at: longDate(known) }) : '',
    events: events.length,
    reports: sources.length,
  });
  if (!events.length) warnings.push(`no events in the store for ${area} from ${q.from} to ${q.to}`);
  const map = {
    points: events
      .filter((e) => e.latitude !== null && e.longitude !== null)
      .map((e) => ({ event_id: e.event_id, event_type: e.event_type, location: whereOf(e), latitude: e.latitude!, longitude: e.longitude!, fatalities: e.fatalities })),
    districts: input.control.filter((d) => d.status !== 'unknown').map((d) => ({ code: d.pcode ?? d.code, name: d.admin2, controller: d.controller, status: d.status })),
    none: fill(w, ['note.map'], {}),
    caption: fill(w, ['map.caption'], { ...period, as_of: longDate(q.to) }),
  };
  return { value: { query: q, area, headline, scope, sections, sources, perDay: perDay(events, q.from, q.to), map, notes: [] }, warnings };
}

function perDay(events: Event[], from: string, to: string): { date: string; events: number }[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.event_date, (counts.get(e.event_date) ?? 0) + 1);
  const span = daysBetween(from, to);
  if (span < 0 || span >= MAX_CHART_DAYS) return [...counts].sort().map(([date, n]) => ({ date, events: n }));
  return Array.from({ length: span + 1 }, (_, i) => addDays(from, i)).map((date) => ({ date, events: counts.get(date) ?? 0 }));
}
