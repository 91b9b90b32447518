// Shapes shared by every stage: spans with offsets into the document text, what a stage
// returns, and the document itself (read by ingest/, analysed by extract/).

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

