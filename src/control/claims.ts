// From one report's events and text to claims about who controls which district: a change of
// control for each event that moves territory, and a contest where the report says the loser
// denies it, vows to take it back, or fighting goes on. Pure: the store keeps what it returns.
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';
import type { AdminUnit } from '../geo/boundaries.js';
import type { Sentence, StageResult } from '../core/types.js';
import { TERRITORY_SUB_TYPES } from '../schema/event.js';
import type { Event, Evidence } from '../schema/event.js';

export interface District {
  /** P-code or GeoNames admin2 code; a name key ("name:AF/Baghlan/Bano") when no code is known. */
  code: string;
  country: string;
  admin1: string;
  admin1_code: string | null;
  admin2: string;
}

export interface ClaimDraft {
  district: District;
  kind: 'control' | 'contest';
  /** Who takes the district (control) or who contests it (contest). */
  actor: string;
  /** Who loses it (control) or whose hold is contested (contest). */
  against: string;
  valid_from: string;
  certainty: Event['certainty'];
  attribution: string | null;
  /** The rule that made the claim: an event's sub-type and rule, or a contest rule line. */
  reason: string;
  evidence: Evidence[];
  /** Index of the event in the report's event list (control claims). */
  event: number | null;
}

export interface ContestRule {
  kind: 'denial' | 'retake' | 'fighting';
  re: RegExp;
  reason: string;
  where: string;
}

export interface ControlRules {
  contest: ContestRule[];
  /** ACLED actor name -> the side shown as controller (rules/control/sides.tsv). */
  sides: Map<string, string>;
}

export function loadControlRules(config: Config): ControlRules {
  const contest = readRuleFile(config, 'control/contest.tsv').map(({ cols, where }): ContestRule => {
    const [kind, pattern, reason] = cols;
    if (kind !== 'denial' && kind !== 'retake' && kind !== 'fighting') throw new Error(`${where}: unknown contest kind "${kind}"`);
    if (!pattern) throw new Error(`${where}: no pattern`);
    return { kind, re: new RegExp(`\\b(?:${pattern})\\b`, 'i'), reason: reason ?? '', where };
  });
  const sides = new Map<string, string>();
  for (const { cols, where } of readRuleFile(config, 'control/sides.tsv')) {
    const [actor, side] = cols;
    if (!actor || !side) throw new Error(`${where}: expected an actor name and a side`);
    sides.set(actor, side);
  }
  return { contest, sides };
}

/** Side -> the colour the map fills its districts with (rules/control/colours.tsv; a user's rows override). */
export function loadSideColours(config: Config): Map<string, string> {
  const colours = new Map<string, string>();
  for (const { cols, where } of readRuleFile(config, 'control/colours.tsv')) {
    const [side, colour] = cols;
    if (!side || !colour || !/^#[0-9a-f]{6}$/i.test(colour)) throw new Error(`${where}: expected a side and a colour as #rrggbb`);
    colours.set(side, colour.toLowerCase());
  }
  return colours;
}

/** The key of a district known by name only (no code in the gazetteer or the packs). */
export function nameKey(country: string, admin1: string, admin2: string): string {
  return `name:${country}/${admin1}/${admin2}`;
}

/** A district of a boundary pack as the control timeline keys it. */
export function unitDistrict(u: AdminUnit): District {
  return { code: u.pcode, country: u.country, admin1: u.admin1, admin1_code: u.admin1_code, admin2: u.name };
}

/** The district an event is in; a town whose district is unknown stands for its own district. */
export function districtOf(e: Event): District | null {
  if (!e.country || !e.admin1) return null;
  const admin2 = e.admin2 || (e.geo_precision < 3 ? e.location : '');
  if (!admin2) return null;
  const code = e.admin2 && e.admin2_code ? e.admin2_code : nameKey(e.country, e.admin1, admin2);
  return { code, country: e.country, admin1: e.admin1, admin1_code: e.admin1_code, admin2 };
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

export interface ClaimInput {
  text: string;
  sentences: Sentence[];
  events: Event[];
  published: string;
  /** The district of the seat of an event's province: a province said to fall is its capital falling. */
  seat?: (e: Event) => District | null;
}

/** The sentences the event's words are in, so a claim can be read without the report at hand. */
function sentencesOf(sentences: Sentence[], spans: Evidence[]): Evidence[] {
  const typeSpans = spans.filter((s) => s.role === 'type');
  const wanted = typeSpans.length ? typeSpans : spans;
  return sentences
    .filter((s) => wanted.some((w) => w.start >= s.start && w.start < s.end))
    .map((s) => ({ text: s.text, start: s.start, end: s.end, role: 'sentence' }));
}

const firstEvidence = (c: ClaimDraft) => c.evidence.find((e) => e.role !== 'sentence')?.start ?? 0;

/**
 * The changes a sentence that names no place ("is preparing to retake these districts")
 * refers to: the change told last before it, with the others of the same taker and date
 * (a list of districts taken together), not every change the report mentions.
 */
function antecedents(changes: ClaimDraft[], s: Sentence): ClaimDraft[] {
  const before = changes.filter((c) => firstEvidence(c) <= s.start).sort((a, b) => firstEvidence(b) - firstEvidence(a));
  const last = before[0] ?? changes.slice().sort((a, b) => firstEvidence(a) - firstEvidence(b))[0];
  if (!last) return [];
  return changes.filter((c) => c.actor === last.actor && c.valid_from === last.valid_from);
}

export function claimsFromReport(input: ClaimInput, rules: ControlRules): StageResult<ClaimDraft[]> {
  const side = (actor: string) => rules.sides.get(actor) ?? actor;
  const warnings: string[] = [];
  const claims: ClaimDraft[] = [];
  input.events.forEach((e, i) => {
    if (!TERRITORY_SUB_TYPES.has(e.sub_event_type)) return;
    const own = districtOf(e);
    const district = own ?? input.seat?.(e) ?? null;
    if (!district) {
      warnings.push(`event ${e.event_id} (${e.sub_event_type}) has no district; no control claim`);
      return;
    }
    claims.push({
      district,
      kind: 'control',
      actor: side(e.actor1),
      against: side(e.actor2),
      valid_from: e.event_date,
      certainty: e.certainty,
      attribution: e.attribution,
      reason: `${e.sub_event_type}${own ? '' : ', at the province seat'} (${e.rule})`,
      evidence: [...sentencesOf(input.sentences, e.evidence), ...e.evidence],
      event: i,
    });
  });
  const changes = claims.slice();
  for (const s of input.sentences) {
    for (const rule of rules.contest) {
      const m = rule.re.exec(s.text);
      if (!m) continue;
      const start = s.start + m.index;
      const contest = (district: District, actor: string, against: string, from: string) =>
        claims.push({
          district,
          kind: 'contest',
          actor,
          against,
          valid_from: from,
          certainty: 'claimed',
          attribution: null,
          reason: `${rule.kind}: ${rule.reason} (${rule.where})`,
          evidence: [
            { text: s.text, start: s.start, end: s.end, role: 'contest' },
            { text: m[0], start, end: start + m[0].length, role: 'cue' },
          ],
          event: null,
        });
      const seen = new Set<string>();
      if (changes.length) {
        const folded = fold(s.text);
        const named = changes.filter((c) => folded.includes(fold(c.district.admin2)));
        for (const c of named.length ? named : antecedents(changes, s)) {
          if (seen.has(c.district.code)) continue;
          seen.add(c.district.code);
          contest(c.district, c.against, c.actor, input.published < c.valid_from ? c.valid_from : input.published);
        }
      } else {
        // A report that tells no change of its own ("the army denied the town had fallen;
        // fighting goes on") contests whoever holds the districts of the events told in that
        // sentence, from the report's date; the contester is not known.
        for (const e of input.events) {
          const d = districtOf(e);
          if (!d || seen.has(d.code) || !e.evidence.some((x) => x.start >= s.start && x.start < s.end)) continue;
          seen.add(d.code);
          contest(d, '', '', input.published);
        }
      }
      break;
    }
  }
  return { value: claims, warnings };
}
