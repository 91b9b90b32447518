// Who holds a district on a date, from the claims known about it: the latest change of control
// decides the controller; a denial, a contest or a counter-claim close to it makes it contested.
import type { Evidence } from '../schema/event.js';
import { daysBetween } from '../core/days.js';

/** What deciding control needs of a claim. */
export interface ClaimCore {
  id: number;
  kind: 'control' | 'contest' | 'baseline';
  actor: string;
  valid_from: string;
  certainty: string;
}

/** A claim with what it rests on, for showing. */
export interface ClaimRow extends ClaimCore {
  against: string;
  known_at: string;
  attribution: string | null;
  reason: string;
  evidence: Evidence[];
  event_id: string | null;
  /** Where the claim's event is ([longitude, latitude]); null for a baseline or an unplaced event. */
  point: [number, number] | null;
  report_id: number | null;
  source: string | null;
  url: string | null;
}

export interface ControlOptions {
  /** Days a contest (a denial, a retaking announced, fighting going on) keeps a district contested. */
  contestDays: number;
  /** Days within which a change by another side makes the latest change contested (it changed hands back and forth). */
  counterDays: number;
}

export const DEFAULT_CONTROL_OPTIONS: ControlOptions = { contestDays: 14, counterDays: 7 };

export type ControlStatus = 'controlled' | 'contested' | 'unknown';

export interface ControlState<C extends ClaimCore = ClaimRow> {
  controller: string | null;
  status: ControlStatus;
  since: string | null;
  /** The claims the answer rests on: the change of control first, then what contests it. */
  evidence: C[];
}

const DOUBTED = new Set(['denied', 'disputed']);

/**
 * `claims` are those of one district with valid_from <= asOf and known at the chosen date,
 * newest first (valid_from, then known_at, then id): the latest few, with the whole run of the
 * latest holder's claims and the change before it.
 */
export function controlAt<C extends ClaimCore>(claims: C[], asOf: string, opts: ControlOptions = DEFAULT_CONTROL_OPTIONS): ControlState<C> {
  const holds = claims.filter((c) => c.kind !== 'contest');
  const latest = holds[0];
  if (!latest) return { controller: null, status: 'unknown', since: null, evidence: [] };
  let i = 0;
  while (i + 1 < holds.length && holds[i + 1]!.actor === latest.actor) i++;
  const since = holds[i]!.valid_from;
  const run = holds.slice(0, i + 1);
  const recent = (c: C) => daysBetween(c.valid_from, asOf) <= opts.contestDays;
  const doubted = run.filter((c) => DOUBTED.has(c.certainty) && recent(c));
  const contests = claims.filter((c) => c.kind === 'contest' && c.valid_from >= latest.valid_from && c.actor !== latest.actor && recent(c));
  const before = holds[i + 1];
  const counter =
    before && latest.kind !== 'baseline' && daysBetween(before.valid_from, since) <= opts.counterDays && daysBetween(since, asOf) <= opts.counterDays
      ? [before]
      : [];
  const against = [...doubted, ...contests, ...counter];
  return {
    controller: latest.actor,
    status: against.length ? 'contested' : 'controlled',
    since,
    evidence: [latest, ...against.filter((c) => c !== latest)],
  };
}
