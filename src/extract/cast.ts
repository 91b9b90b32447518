// Casting: from who acted and who suffered to ACLED's actor columns, by the conventions of the
// event type (codebook §3): victims are actor2 in violence against civilians, protesters are
// actor1 of a protest and the force that intervened actor2, rioters are actor1 of a riot,
// allies in the action are associated actors.
import type { EventType, SubEventType } from '../schema/event.js';
import { ARMED_INTERS } from '../schema/event.js';
import type { Span } from '../core/types.js';
import type { PatientKind } from './lexicon.js';
import type { ActorMention } from './types.js';

export interface ActorRef {
  name: string;
  inter: number;
  country: string | null;
  span: Span | null;
}

export interface Cast {
  actor1: ActorRef | null;
  actor2: ActorRef | null;
  assoc1: ActorRef[];
  assoc2: ActorRef[];
}

/** A patient as kept on a draft: its kind and, when it is an actor, who. */
export interface PatientRef {
  kind: PatientKind;
  ref: ActorRef | null;
}

export interface CastInput {
  type: EventType;
  sub: SubEventType;
  agent: ActorRef | null;
  patients: readonly PatientRef[];
  allies: readonly ActorRef[];
  /** Actors of the clause that took no role (armed ones, and civilians). */
  bystanders: readonly ActorRef[];
  killed: boolean;
  /** "Protesters (X)", "Civilians (X)": a generic actor of the event's country. */
  generic: (label: string, inter: number) => ActorRef;
}

export function refOf(m: ActorMention): ActorRef {
  return { name: m.name, inter: m.inter, country: m.country, span: { start: m.start, end: m.end, text: m.text } };
}

const CIVIL_AUTHORITY = /^Government of\b/;
const armed = (r: ActorRef | null | undefined): r is ActorRef => !!r && ARMED_INTERS.has(r.inter);

export function cast(c: CastInput): Cast {
  const actors = c.patients.map((p) => p.ref).filter((r): r is ActorRef => !!r);
  const armedPatients = actors.filter((r) => armed(r) && r.name !== c.agent?.name && !CIVIL_AUTHORITY.test(r.name));
  const civilians = actors.find((r) => r.inter === 7);
  const crowd = [c.agent, ...actors].find((r) => r && (r.inter === 6 || r.inter === 5)) ?? null;
  let actor1: ActorRef | null = null;
  let actor2: ActorRef | null = null;
  switch (c.type) {
    case 'Protests':
      actor1 = crowd?.inter === 6 ? crowd : c.generic('Protesters', 6);
      if (c.sub !== 'Peaceful protest') actor2 = (armed(c.agent) ? c.agent : armedPatients[0]) ?? null;
      break;
    case 'Riots':
      actor1 = crowd?.inter === 5 ? crowd : c.generic('Rioters', 5);
      if (c.sub === 'Mob violence') actor2 = armedPatients[0] ?? civilians ?? c.generic('Civilians', 7);
      else actor2 = armedPatients[0] ?? (armed(c.agent) ? c.agent : null) ?? civilians ?? null;
      break;
    case 'Violence against civilians':
      actor1 = armed(c.agent) ? c.agent : c.generic('Unidentified Armed Group', 3);
      actor2 = civilians ?? c.generic('Civilians', 7);
      break;
    case 'Explosions/Remote violence':
      actor1 = armed(c.agent) ? c.agent : null;
      actor2 = armedPatients.find((r) => r.name !== actor1?.name) ?? civilians ?? crowd ?? (c.killed ? c.generic('Civilians', 7) : null) ?? c.bystanders.find((r) => r.name !== actor1?.name) ?? null;
      break;
    case 'Battles':
      actor1 = armed(c.agent) ? c.agent : (armedPatients[0] ?? null);
      actor2 = armedPatients.find((r) => r !== actor1 && r.name !== actor1?.name) ?? c.bystanders.find((r) => armed(r) && r.name !== actor1?.name) ?? null;
      break;
    default:
      actor1 = c.agent;
      actor2 = actors.find((r) => r.name !== actor1?.name) ?? null;
  }
  // Allies in the action are associated actors (codebook §3).
  const assoc1 = c.type === 'Battles' || c.type === 'Explosions/Remote violence' || c.type === 'Strategic developments' ? c.allies.filter((a) => armed(a) && a.name !== actor1?.name && a.name !== actor2?.name) : [];
  const assoc2: ActorRef[] = [];
  if (c.type === 'Battles' || c.type === 'Explosions/Remote violence') {
    for (const r of armedPatients) if (r.name !== actor1?.name && r.name !== actor2?.name && !assoc2.some((x) => x.name === r.name)) assoc2.push(r);
  }
  return { actor1, actor2, assoc1: dedupe(assoc1), assoc2 };
}

function dedupe(list: ActorRef[]): ActorRef[] {
  return list.filter((r, i) => list.findIndex((x) => x.name === r.name) === i);
}

const GENERIC = /^Unidentified Armed Group\b/;

/**
 * Generic words for a side ("the rebels", "gunmen") in a report that names one non-state armed
 * group are that group: "seizing the town from Tuareg-led separatist rebels ... The rebel
 * alliance, the Permanent Strategic Framework (CSP), said".
 */
export function preferNamed(c: Cast, counts: ReadonlyMap<string, { n: number; m: ActorMention }>): void {
  const named = [...counts.values()].filter((x) => (x.m.inter === 2 || x.m.inter === 3 || x.m.inter === 4) && !GENERIC.test(x.m.name));
  for (const key of ['actor1', 'actor2'] as const) {
    const other = c[key === 'actor1' ? 'actor2' : 'actor1'];
    const candidates = named.filter((x) => x.m.name !== other?.name);
    if (c[key] && GENERIC.test(c[key]!.name) && candidates.length === 1) {
      const m = candidates[0]!.m;
      c[key] = { name: m.name, inter: m.inter, country: m.country, span: null };
    }
  }
}

/** A battle with one side known: the other is the report's most-mentioned other armed actor. */
export function fillOpponent(c: Cast, type: EventType, counts: ReadonlyMap<string, { n: number; m: ActorMention }>): void {
  if (type !== 'Battles' || !c.actor1 || c.actor2) return;
  const a1 = c.actor1.name.toLowerCase();
  const other = [...counts.values()]
    .filter((x) => ARMED_INTERS.has(x.m.inter))
    .sort((a, b) => b.n - a.n)
    .find((x) => x.m.name !== c.actor1!.name && !x.m.name.toLowerCase().includes('anti-' + a1) && !a1.includes('anti-' + x.m.name.toLowerCase().split(/[ :(]/)[0]!));
  if (other) c.actor2 = { name: other.m.name, inter: other.m.inter, country: other.m.country, span: null };
}
