// Shapes passed between extraction stages. Every mention carries character offsets into
// the document text (doc.text.slice(start, end) === text) and the rule that produced it.

export interface Span {
  start: number;
  end: number;
  text: string;
}

/** What every stage returns: its value and the warnings it raised, no I/O. */
export interface StageResult<T> {
  value: T;
  warnings: string[];
}

export interface Doc {
  /** The text all offsets point into: the file as read (plain text) or the text extracted from HTML. */
  text: string;
  title: Span | null;
  /** Paragraph-like blocks; headings are flagged so they never become sentences of events. */
  blocks: Block[];
  /** YYYY-MM-DD, or null when neither the caller nor the text gave one. */
  published: string | null;
  /** Where `published` came from. */
  publishedFrom: 'option' | 'dateline' | 'none';
  source: string | null;
}

export interface Block extends Span {
  heading: boolean;
}

export interface Sentence extends Span {
  index: number;
  /** Index of the block (paragraph) the sentence is in. */
  block: number;
}

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
