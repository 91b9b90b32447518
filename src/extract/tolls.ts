// Tolls: the death count of an event from the figures of its sentence (codebook §4): the
// figures of several victim groups add up ("killing three women and six children"), figures
// from different sources conflict and the lowest stands, a suicide bomber counts among the
// dead, and a total over several events is split evenly, the remainder to the first.
import type { Span } from '../core/types.js';
import { LIST_GAP, type Outlet } from './fatalities.js';
import type { FatalityMention } from './types.js';

export interface Toll {
  count: number;
  span: Span;
}

const SELF_DETONATION = /\bblew (?:themselves|himself|herself) up\b/i;
const BOMBER_INCLUDED = /including (?:the |both |two |three )?(?:suicide )?(?:bombers?|attackers?)/i;

export function isNotesTotal(f: FatalityMention): boolean {
  return f.rule === 'notes-total';
}

/** The death toll the figures tell, or null when none is a death count. */
export function tollOf(figures: readonly FatalityMention[], sentenceText: string, sentenceStart: number): Toll | null {
  const all = figures.filter((f) => f.kind === 'killed');
  // The coder's own total ("134 fatalities.") stands over the figures quoted before it.
  const total = all.find(isNotesTotal);
  if (total) return { count: total.count, span: total };
  const self = all.find((f) => SELF_DETONATION.test(f.text));
  const counts = all.filter((f) => f !== self).sort((x, y) => x.start - y.start);
  if (!counts.length) return self ? { count: self.count, span: self } : null;
  // Figures joined as one list ("three women and six children", "2 soldiers, 1 militant and 1 child").
  const listed = counts.every((f, i) => i === 0 || LIST_GAP.test(sentenceText.slice(counts[i - 1]!.end - sentenceStart, f.start - sentenceStart)));
  const base = listed ? counts.reduce((n, f) => n + f.count, 0) : Math.min(...counts.map((f) => f.count));
  const span = listed ? counts[0]! : counts.reduce((lo, f) => (f.count < lo.count ? f : lo));
  return { count: base + (self && !BOMBER_INCLUDED.test(sentenceText) ? self.count : 0), span };
}

/** Splits a count evenly over n events; the remainder goes to the first (codebook §4). */
export function share(count: number, n: number, i: number): number {
  const base = Math.floor(count / n);
  return i === 0 ? count - base * (n - 1) : base;
}

// A parenthetical with a figure of its own: "(2 according to Taliban sources)".
const ANOTHER_FIGURE = /\([^()\d]*\d[^()]*\)/g;

/**
 * The outlet whose claim a toll only is: the perpetrator's own outlet is the report's source,
 * or names the figure in its sentence, and nothing says another source gave it too ("VoJ also
 * reported 1", or the outlet's own other figure in parentheses beside `toll`). ACLED codes such
 * figures 0 until confirmed (rules/fatalities/outlets.tsv).
 */
export function perpetratorClaim(outlets: readonly Outlet[], source: string, text: string, agent: string | null, tollSentence: string | null, toll: number): Outlet | null {
  if (!agent) return null;
  // "3 policemen (2 according to Taliban sources) were killed": an outlet giving another figure
  // in parentheses is not where the toll comes from, and the toll is another source's.
  const asides = tollSentence?.match(ANOTHER_FIGURE) ?? [];
  const told = tollSentence?.replace(ANOTHER_FIGURE, ' ') ?? null;
  for (const o of outlets) {
    if (!agent.toLowerCase().includes(o.actor.toLowerCase())) continue;
    if (!o.re.test(source) && !(told && o.re.test(told))) continue;
    if (asides.some((a) => o.re.test(a) && !a.match(/\d+/g)?.includes(String(toll)))) return null;
    if (o.also.test(text)) return null;
    return o;
  }
  return null;
}
