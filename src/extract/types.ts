// Mentions the extraction stages find. Every mention carries character offsets into the
// document text (doc.text.slice(start, end) === text) and the rule that produced it.
import type { Span } from '../core/types.js';

export interface DateMention extends Span {
  /** YYYY-MM-DD */
  date: string;
  /** ACLED time_precision: 1 day, 2 week (or a span of days), 3 month. */
  precision: 1 | 2 | 3;
  rule: string;
}

export type ActorKind =
  | 'state'
  | 'rebel'
  | 'political_militia'
  | 'identity_militia'
  | 'rioters'
  | 'protesters'
  | 'civilians'
  | 'external';

export interface ActorMention extends Span {
  /** ACLED-style normalised name, e.g. "Military Forces of Afghanistan (2004-2021)". */
  name: string;
  /** ACLED inter code 1-8. */
  inter: number;
  /** ISO2 of the country the actor belongs to, when known. */
  country: string | null;
  rule: string;
}

export interface FatalityMention extends Span {
  count: number;
  /** 'killed' counts toward fatalities; 'injured' and 'unknown' do not. */
  kind: 'killed' | 'injured' | 'none';
  rule: string;
}
