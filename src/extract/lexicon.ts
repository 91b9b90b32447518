// The event lexicons of rules/events/, read once and checked on load (a bad row is an error
// naming its file and line, never a row silently dropped): predicates, means, objects, the
// decision table, modality cues and the named word lists.
import type { Config } from '../config.js';
import { parsePattern, PhraseSet, type Phrase } from '../core/phrases.js';
import { readRuleFile, type RuleRow } from '../core/rulefiles.js';
import { SUB_EVENT_TYPE_NAMES, type SubEventType } from '../schema/event.js';

export interface PredicateRow {
  cls: string;
  means: string | null;
  reason: string;
}

export interface ModalityRule {
  kind: string;
  window: number;
  re: RegExp;
  /** Predicate classes the cue leaves standing. */
  spares: ReadonlySet<string>;
  /** The cue reaches past a finite verb (a topic's relative clause: "against the death of a man who was shot"). */
  through: boolean;
  reason: string;
  where: string;
}

/** The kinds of agents and patients the decision table names. */
export const AGENT_KINDS = ['state', 'rebel', 'militia', 'identity', 'external', 'crowd', 'civilian', 'none'] as const;
export const PATIENT_KINDS = ['armed', 'civilians', 'crowd', 'property', 'symbol', 'weapons', 'drugs', 'place', 'none'] as const;
export const SCENE_FLAGS = ['protest', 'violent', 'intervention', 'exchange', 'direct', 'killed', 'home'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];
export type PatientKind = (typeof PATIENT_KINDS)[number];
export type SceneFlag = (typeof SCENE_FLAGS)[number];

/** Means from strongest to weakest: an event takes the first its clause names (rules/events/means.tsv). */
export const MEANS = ['chemical', 'air', 'suicide', 'artillery', 'ied', 'grenade', 'firearm', 'blade', 'molotov', 'fire', 'stones', 'riotgear', 'none'] as const;
export type Means = (typeof MEANS)[number];

export interface DecisionRow {
  /** null: any. */
  acts: ReadonlySet<string> | null;
  means: ReadonlySet<Means> | null;
  agent: ReadonlySet<AgentKind> | null;
  patient: ReadonlySet<PatientKind> | null;
  need: SceneFlag[];
  not: SceneFlag[];
  decides: SubEventType;
  reason: string;
  where: string;
}

export interface EventLexicon {
  predicates: PhraseSet<PredicateRow>;
  means: PhraseSet<Means>;
  objects: PhraseSet<PatientKind>;
  decide: DecisionRow[];
  /** The predicate classes the decision table knows. */
  classes: ReadonlySet<string>;
  modality: ModalityRule[];
  /** Named word lists from rules/events/lexicon.tsv. */
  lists: Map<string, RegExp>;
}

/** Compiles a data pattern so it only matches whole words. */
export function wordRegExp(pattern: string, flags = 'gi'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, `${flags}u`);
}

function compile(pattern: string, where: string): RegExp {
  try {
    return wordRegExp(pattern);
  } catch (e) {
    throw new Error(`${where}: bad pattern: ${(e as Error).message}`);
  }
}

function columns(row: RuleRow, n: number, names: string): string[] {
  if (row.cols.length < n || row.cols.slice(0, n).some((c) => !c)) throw new Error(`${row.where}: expected ${n} columns (${names}), got ${row.cols.length}`);
  return row.cols;
}

function phrase<T>(row: RuleRow, pattern: string, value: T): Phrase<T> {
  return { ...parsePattern(pattern, row.where), value, where: row.where };
}

function oneOf<T extends string>(value: string, known: readonly T[], what: string, where: string): T {
  if (!(known as readonly string[]).includes(value)) throw new Error(`${where}: unknown ${what} "${value}" (known: ${known.join(', ')})`);
  return value as T;
}

/** A column of the decision table: "*" or "-" is any; a comma-separated list is a set. */
function setOf<T extends string>(value: string, known: readonly T[] | null, what: string, where: string, aliases: Record<string, readonly T[]> = {}): ReadonlySet<T> | null {
  if (value === '*' || value === '-') return null;
  const out = new Set<T>();
  for (const v of value.split(',').map((x) => x.trim())) {
    if (aliases[v]) aliases[v]!.forEach((a) => out.add(a));
    else out.add(known ? oneOf(v, known, what, where) : (v as T));
  }
  return out;
}

const ARMED_AGENTS: readonly AgentKind[] = ['state', 'rebel', 'militia', 'identity', 'external'];

export function loadEventLexicon(config: Config): EventLexicon {
  const predicates = new PhraseSet(
    readRuleFile(config, 'events/predicates.tsv').map((row) => {
      const [pattern, cls, means, reason] = columns(row, 3, 'pattern, class, means');
      if (means !== '-') oneOf(means!, MEANS, 'means', row.where);
      return phrase<PredicateRow>(row, pattern!, { cls: cls!, means: means === '-' ? null : means!, reason: reason ?? '' });
    }),
  );
  const means = new PhraseSet(readRuleFile(config, 'events/means.tsv').map((row) => phrase(row, columns(row, 2, 'pattern, means')[0]!, oneOf(row.cols[1]!, MEANS, 'means', row.where))));
  const objects = new PhraseSet(readRuleFile(config, 'events/objects.tsv').map((row) => phrase(row, columns(row, 2, 'pattern, kind')[0]!, oneOf(row.cols[1]!, PATIENT_KINDS, 'patient kind', row.where))));
  const decide = readRuleFile(config, 'events/decide.tsv').map((row): DecisionRow => {
    const [acts, m, agent, patient, scene, decides, reason] = columns(row, 6, 'acts, means, agent, patient, scene, sub-event type');
    const flags = scene === '-' || scene === '*' ? [] : scene!.split(',').map((f) => f.trim());
    return {
      acts: setOf(acts!, null, 'act', row.where),
      means: setOf(m!, MEANS, 'means', row.where),
      agent: setOf(agent!, AGENT_KINDS, 'agent kind', row.where, { armed: ARMED_AGENTS }),
      patient: setOf(patient!, PATIENT_KINDS, 'patient kind', row.where),
      need: flags.filter((f) => !f.startsWith('!')).map((f) => oneOf(f, SCENE_FLAGS, 'scene flag', row.where)),
      not: flags.filter((f) => f.startsWith('!')).map((f) => oneOf(f.slice(1), SCENE_FLAGS, 'scene flag', row.where)),
      decides: oneOf(decides!, SUB_EVENT_TYPE_NAMES, 'sub-event type', row.where),
      reason: reason ?? '',
      where: row.where,
    };
  });
  // Every act the table names must be told by some predicate, and every predicate class must
  // be one the table (or the scene flags) reads: a typo on either side is an error.
  const told = new Set(readRuleFile(config, 'events/predicates.tsv').map((r) => r.cols[1]!));
  const read = new Set<string>([...SCENE_ACTS]);
  for (const d of decide) for (const a of d.acts ?? []) {
    if (!told.has(a)) throw new Error(`${d.where}: no predicate in rules/events/predicates.tsv tells the act "${a}"`);
    read.add(a);
  }
  for (const c of told) if (!read.has(c)) throw new Error(`rules/events/predicates.tsv: class "${c}" is read by no row of rules/events/decide.tsv`);
  const modality = readRuleFile(config, 'events/modality.tsv').map((row) => {
    const [kind, window, pattern, spares, reason] = columns(row, 4, 'kind, window, pattern, spares');
    const spared = spares === '-' ? [] : spares!.split(',').map((c) => c.trim());
    for (const c of spared) if (!told.has(c)) throw new Error(`${row.where}: no predicate in rules/events/predicates.tsv tells the act "${c}"`);
    return { kind: kind!, window: Number(window), re: compile(pattern!, row.where), spares: new Set(spared), through: THROUGH_KINDS.has(kind!), reason: reason ?? '', where: row.where };
  });
  const lists = new Map<string, RegExp>();
  for (const row of readRuleFile(config, 'events/lexicon.tsv')) {
    const [name, pattern] = columns(row, 2, 'list name, pattern');
    // A user's list of the same name extends the built-in one.
    const prev = lists.get(name!);
    lists.set(name!, compile(prev ? `${prev.source}|${pattern}` : pattern!, row.where));
  }
  return { predicates, means, objects, decide, classes: told, modality, lists };
}

/** Cues of these kinds reach past a finite verb: what a protest is about, what a war did. */
const THROUGH_KINDS = new Set(['topic', 'background']);

/** Acts read by the scene flags rather than by rows of their own (src/extract/frames.ts). */
export const SCENE_ACTS = ['die', 'exchange', 'protest', 'gather', 'demand', 'disperse', 'warning'] as const;

/** Whether a named word list matches the text (lists from rules/events/lexicon.tsv): its first match. */
export function listMatch(lex: EventLexicon, list: string, text: string): RegExpExecArray | null {
  const re = lex.lists.get(list);
  if (!re) throw new Error(`rules/events/lexicon.tsv has no list "${list}"`);
  re.lastIndex = 0;
  return re.exec(text);
}

const anchored = new Map<RegExp, RegExp>();

/** Whether the text ends with a word of a named list ("... said" before "on Friday"). */
export function listEndsWith(lex: EventLexicon, list: string, text: string): boolean {
  const re = lex.lists.get(list);
  if (!re) throw new Error(`rules/events/lexicon.tsv has no list "${list}"`);
  let end = anchored.get(re);
  if (!end) anchored.set(re, (end = new RegExp(`(?:${re.source})\\s*$`, 'iu')));
  return end.test(text);
}
