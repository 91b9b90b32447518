// Many rule patterns searched over the same text. Running each pattern's own scan costs one
// pass per rule; here one pass of their union finds every offset where some pattern can start,
// and each pattern is then tried (sticky) at those offsets only. The matches are exactly those
// the pattern's own left-to-right global scan finds, because a pattern's leftmost match from an
// offset starts where the union matches too, and a match depends only on where it starts.
// A caller may give a looser union of its own (any regex matching at least wherever a pattern
// starts), e.g. one that checks a shared word boundary once instead of in every alternative.

export class PatternSet {
  /** Sticky copies of the patterns, tried at candidate offsets, and global ones for scanning alone. */
  private readonly sticky: RegExp[];
  private readonly global: RegExp[];
  /** The union, or null when the patterns cannot be joined (other flags, backreferences): then each scans alone. */
  private readonly union: RegExp | null;

  constructor(
    readonly patterns: readonly RegExp[],
    union?: RegExp,
  ) {
    this.sticky = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'y'));
    this.global = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'g'));
    // The union looks ahead only: a search then leaves lastIndex at the start it found, so
    // test() reports it without building a match array.
    // A \b that every alternative starts with is tested first, outside the lookahead: most
    // offsets fail it at once (same starts: both are zero-width, at the same offset). Hoisting
    // wordRegExp's leading lookbehind so gains nothing (measured), so only \b is.
    const lookahead = (source: string, flags: string) =>
      new RegExp(`${allStartWith(source, '\\b') ? '\\b' : ''}(?=${uncaptured(source)})`, flags + 'g');
    if (union) this.union = lookahead(union.source, flagsOf(union));
    else this.union = joinable(patterns) ? lookahead(patterns.map((p) => `(?:${p.source})`).join('|'), flagsOf(patterns[0]!)) : null;
  }

  /** Offsets (ascending) where at least one pattern matches; null means "anywhere" (no union). */
  starts(text: string): number[] | null {
    const u = this.union;
    if (!u) return null;
    const out: number[] = [];
    u.lastIndex = 0;
    while (u.test(text)) {
      const at = u.lastIndex;
      out.push(at);
      u.lastIndex = at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
    }
    return out;
  }

  /** The first match of pattern k in text, as its own exec from the start would give it. */
  first(k: number, text: string): RegExpExecArray | null {
    const u = this.union;
    if (!u) {
      const re = this.global[k]!;
      re.lastIndex = 0;
      return re.exec(text);
    }
    const re = this.sticky[k]!;
    u.lastIndex = 0;
    while (u.test(text)) {
      const at = u.lastIndex;
      re.lastIndex = at;
      const m = re.exec(text);
      if (m) return m;
      u.lastIndex = at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
    }
    return null;
  }

  /** Every match of pattern k in text, as its own global scan (matchAll) would give them. */
  matches(k: number, text: string, starts: number[] | null): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    if (!starts) {
      const re = this.global[k]!;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push(m);
        if (m[0] === '') re.lastIndex = m.index + 1;
      }
      return out;
    }
    const re = this.sticky[k]!;
    let from = 0;
    for (const at of starts) {
      if (at < from) continue;
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) continue;
      out.push(m);
      from = m[0] === '' ? at + 1 : at + m[0].length;
    }
    return out;
  }
}

/**
 * Whether every match of the source starts with the zero-width `lead`: each top-level
 * alternative opens with it, or with a group (not quantified) whose alternatives all do.
 */
function allStartWith(source: string, lead: string): boolean {
  const alts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const [i, c] of syntax(source)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  alts.push(source.slice(from));
  return alts.every((alt) => {
    if (alt.startsWith(lead)) return true;
    if (!alt.startsWith('(?:')) return false;
    const close = closingParen(alt);
    return close > 0 && !/^[?*+{]/.test(alt.slice(close + 1)) && allStartWith(alt.slice(3, close), lead);
  });
}

/** Index of the parenthesis closing the group that opens source, or -1. */
function closingParen(source: string): number {
  let depth = 0;
  for (const [i, c] of syntax(source)) {
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The characters of a regex source that are syntax, with their index: not escaped, not inside a [class]. */
function* syntax(source: string): Generator<[number, string]> {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else yield [i, c];
  }
}

function flagsOf(re: RegExp): string {
  return re.flags.replace(/[gy]/g, '');
}

/** Patterns join into one alternation when they share flags and hold no backreference (group numbers shift in a union). */
function joinable(patterns: readonly RegExp[]): boolean {
  if (!patterns.length) return false;
  const flags = flagsOf(patterns[0]!);
  if (patterns.some((p) => flagsOf(p) !== flags || /\\[1-9]|\\k</.test(p.source))) return false;
  try {
    new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), flags);
    return true;
  } catch {
    // Named groups repeated across patterns cannot share one expression.
    return false;
  }
}

/**
 * The pattern with its groups made non-capturing: the union only says where a match starts,
 * and each capture would cost a slot in every match it returns. Left alone when it refers back
 * to a group.
 */
export function uncaptured(source: string): string {
  if (/\\[1-9]|\\k</.test(source)) return source;
  let out = '';
  let from = 0;
  for (const [i, c] of syntax(source)) {
    if (c !== '(') continue;
    if (source[i + 1] !== '?') {
      out += `${source.slice(from, i)}(?:`;
      from = i + 1;
    } else if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      // A named group "(?<name>": drop the name.
      out += `${source.slice(from, i)}(?:`;
      from = source.indexOf('>', i) + 1;
    }
  }
  return out + source.slice(from);
}
