// Content sniffing: which markup an input starts with. A sniffer runs on whatever a client
// posts (POST /api/extract needs no token), so it reads only the head of the input and skips
// the prolog with indexOf, not with a regular expression that backtracks: the old
// /^\s*(?:<!--[\s\S]*?-->\s*)*<tag/ took twice as long for each extra "<!---->" (12 s for a
// 224-byte body).

/** The sniffers read this many characters of an input: a prolog and the first tag fit in far less. */
export const SNIFF_CHARS = 64 * 1024;

const SPACE = /\s*/y;

function skipSpace(s: string, i: number): number {
  SPACE.lastIndex = i;
  SPACE.test(s);
  return SPACE.lastIndex;
}

/**
 * Whether the first tag of the input's head, after whitespace, comments and (with
 * `xmlDeclaration`) one `<?xml ...>` declaration, is one `tag` matches. `tag` is sticky (flag
 * y): it is tried only where that first tag starts. A comment left open in the head is no tag.
 */
export function firstTagIs(text: string, tag: RegExp, opts: { xmlDeclaration?: boolean } = {}): boolean {
  if (!tag.sticky) throw new Error(`firstTagIs: ${tag} must be sticky`);
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  let i = skipSpace(head, 0);
  if (opts.xmlDeclaration && head.slice(i, i + 5).toLowerCase() === '<?xml') {
    const end = head.indexOf('>', i + 5);
    if (end < 0) return false;
    i = skipSpace(head, end + 1);
  }
  while (head.startsWith('<!--', i)) {
    const end = head.indexOf('-->', i + 4);
    if (end < 0) return false;
    i = skipSpace(head, end + 3);
  }
  tag.lastIndex = i;
  return tag.test(head);
}
