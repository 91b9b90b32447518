// The same event told by several sentences of one report becomes one event: same type (a
// protest and a riot at one place and day are one Riots event, codebook §1), same day, and
// the same place or one inside the other. What each telling knew is pooled and the codebook
// decides again.
import type { EventType } from '../schema/event.js';
import { SUB_EVENT_TYPE_NAMES } from '../schema/event.js';
import { combineCertainty } from './certainty.js';
import type { Draft } from './discourse.js';
import { contains, unitKey } from './eventplaces.js';
import { MEANS } from './lexicon.js';

const CROWD_TYPES = new Set<EventType>(['Protests', 'Riots']);

function sameEvent(a: Draft, b: Draft): boolean {
  const sameType = a.eventType === b.eventType || (CROWD_TYPES.has(a.eventType) && CROWD_TYPES.has(b.eventType));
  if (!sameType || a.date !== b.date) return false;
  if (unitKey(a.place) === unitKey(b.place) || contains(a.place, b.place) || contains(b.place, a.place)) return true;
  // A place whose district is unknown and a district of its province: the same event told twice.
  return a.place.iso2 === b.place.iso2 && !!a.place.admin1_code && a.place.admin1_code === b.place.admin1_code && !a.place.admin2_code !== !b.place.admin2_code;
}

const rank = (d: Draft) => SUB_EVENT_TYPE_NAMES.indexOf(d.subType);

/** Merges the drafts of one event; `redecide` decides a merged draft again from what it pools. */
export function mergeDrafts(drafts: readonly Draft[], redecide: (d: Draft) => void): Draft[] {
  const out: Draft[] = [];
  for (const d of drafts) {
    const prev = out.find((o) => sameEvent(o, d));
    if (!prev) {
      out.push(d);
      continue;
    }
    for (const act of d.acts) prev.acts.add(act);
    if (MEANS.indexOf(d.means) < MEANS.indexOf(prev.means)) prev.means = d.means;
    for (const m of d.meansAll) prev.meansAll.add(m);
    if (!prev.agent && d.agent) [prev.agent, prev.agentKind] = [d.agent, d.agentKind];
    for (const p of d.patients) if (!prev.patients.some((q) => q.kind === p.kind && q.ref?.name === p.ref?.name)) prev.patients.push(p);
    for (const a of d.allies) if (!prev.allies.some((x) => x.name === a.name)) prev.allies.push(a);
    for (const a of d.bystanders) if (!prev.bystanders.some((x) => x.name === a.name)) prev.bystanders.push(a);
    prev.governed ||= d.governed;
    // Protesters who turned violent make the merged event a riot, whoever else acted (codebook §1).
    prev.violentCrowd ||= d.violentCrowd || (d.eventType === 'Riots' && d.agentKind === 'crowd');
    if (d.fatalities !== null) prev.fatalities = prev.fatalities === null || prev.fatalities === 0 ? d.fatalities : d.fatalities > 0 ? Math.min(prev.fatalities, d.fatalities) : prev.fatalities;
    prev.certainty = combineCertainty(prev.certainty, d.certainty);
    prev.attribution ??= d.attribution;
    if (contains(prev.place, d.place) || (!prev.place.admin2_code && d.place.admin2_code) || (prev.place.level !== 'town' && d.place.level === 'town' && unitKey(prev.place) === unitKey(d.place))) prev.place = d.place;
    prev.evidence.push(...d.evidence);
    for (const s of d.sentences) if (!prev.sentences.includes(s)) prev.sentences.push(s);
    redecide(prev);
    // A telling of a higher sub-type of the same type stands (codebook §0: the highest type).
    if (rank(d) < rank(prev) && d.eventType === prev.eventType) [prev.subType, prev.rule] = [d.subType, d.rule];
  }
  return out;
}
