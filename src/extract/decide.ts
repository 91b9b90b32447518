// The codebook's decision as data (rules/events/decide.tsv): the first row whose acts, means,
// agent, patients and scene match an event's features gives its sub-event type.
import type { AgentKind, DecisionRow, EventLexicon, Means, PatientKind, SceneFlag } from './lexicon.js';
import { MEANS } from './lexicon.js';

/** What is known of an event, as the decision table reads it. */
export interface Features {
  acts: ReadonlySet<string>;
  means: Means;
  agent: AgentKind;
  patients: ReadonlySet<PatientKind>;
  flags: ReadonlySet<SceneFlag>;
}

export function matches(row: DecisionRow, f: Features): boolean {
  if (row.acts && ![...row.acts].some((a) => f.acts.has(a))) return false;
  if (row.means && !row.means.has(f.means)) return false;
  if (row.agent && !row.agent.has(f.agent)) return false;
  if (row.patient) {
    const kinds = f.patients.size ? f.patients : new Set<PatientKind>(['none']);
    if (![...kinds].some((k) => row.patient!.has(k))) return false;
  }
  return row.need.every((x) => f.flags.has(x)) && !row.not.some((x) => f.flags.has(x));
}

/** The row that decides, or null when the features make no event the codebook codes. */
export function decide(lex: EventLexicon, f: Features): DecisionRow | null {
  for (const row of lex.decide) if (matches(row, f)) return row;
  return null;
}

/** The stronger of two means (rules/events/means.tsv's order). */
export function strongerMeans(a: Means, b: Means): Means {
  return MEANS.indexOf(a) <= MEANS.indexOf(b) ? a : b;
}
