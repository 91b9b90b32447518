// Bytes -> text for one report or one batch file. Refuses what is not text (binary,
// invalid UTF-8, empty) with an InputError that says where the problem is, because
// silently decoding garbage would yield plausible-looking but wrong events.
import { InputError } from '../errors.js';

/** Above this share of control characters (and more than a few strays) the input is binary, not text. */
const MAX_CONTROL_SHARE = 0.01;
const MAX_STRAY_CONTROLS = 3;

// C0 controls other than tab and newline (CR, FF and VT are handled before this runs), and DEL.
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/g;
// In a one-line field (source, title, URL, id) every C0 control and DEL, newlines included.
const FIELD_CONTROL = /[\x00-\x1F\x7F]+/g;

// Node 20 has String.prototype.toWellFormed (ES2024); the ES2022 lib does not declare it.
const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed();

/**
 * A string from JSON (a batch line, a feed item, an API body) may hold what no UTF-8 file can:
 * a lone UTF-16 surrogate. PostgreSQL refuses it (and NUL) in text and JSON, so they are
 * replaced, one code unit for one, so that no offset moves: a lone surrogate by U+FFFD.
 */
export function replaceLoneSurrogates(text: string): { text: string; replaced: number } {
  const fixed = wellFormed(text);
  if (fixed === text) return { text, replaced: 0 };
  let replaced = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== fixed.charCodeAt(i)) replaced++;
  return { text: fixed, replaced };
}

/**
 * A metadata field (source, title, URL, id) made storable: lone surrogates become U+FFFD and
 * control characters (NUL included) a space, trimmed; `changed` says a warning is due.
 */
export function cleanField(value: string): { value: string; changed: boolean } {
  const fixed = wellFormed(value).replace(FIELD_CONTROL, ' ').trim();
  return { value: fixed, changed: fixed !== value.trim() };
}

export interface Decoded {
  /** Text with line endings normalised to \n: every offset downstream refers to this text. */
  text: string;
  warnings: string[];
}

/**
 * Decode a report. UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted.
 * CRLF and lone CR become \n, form feed becomes \n; these keep the text's meaning while
 * giving downstream stages one line-ending convention.
 */
export function decodeInput(raw: Buffer | string, what = 'input'): Decoded {
  const text = typeof raw === 'string' ? raw.replace(/^\uFEFF/, '') : decodeBytes(raw, what);
  return cleanText(text, what);
}

/**
 * A line-based file (a JSONL batch) as lines, each decoded on its own: a line that is not
 * UTF-8 (or holds a NUL byte) is one bad line, reported by number, not a bad file. A UTF-16
 * file (byte-order mark) is decoded whole. Lines are numbered from 1; CR before LF is dropped.
 */
export function decodeLines(raw: Buffer | string, what: string): { lines: { line: number; text: string | null; problem?: string }[] } {
  if (typeof raw === 'string' || (raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff)) {
    const text = typeof raw === 'string' ? raw.replace(/^\uFEFF/, '') : decodeBytes(raw, what);
    return { lines: text.split('\n').map((t, i) => ({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t })) };
  }
  if (raw.length === 0) throw new InputError(`${what} is empty: no report text to read`);
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const lines: { line: number; text: string | null; problem?: string }[] = [];
  for (let start = 0, n = 1; start <= raw.length; n++) {
    let end = raw.indexOf(0x0a, start);
    if (end < 0) end = raw.length;
    const bytes = raw.subarray(start, end > start && raw[end - 1] === 0x0d ? end - 1 : end);
    const nul = bytes.indexOf(0);
    if (nul >= 0) lines.push({ line: n, text: null, problem: `NUL byte at byte ${nul} of the line (binary data)` });
    else {
      try {
        // The decoder drops a BOM only at the start of what it is given: the first line's.
        lines.push({ line: n, text: n === 1 ? utf8.decode(bytes) : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) });
      } catch {
        lines.push({ line: n, text: null, problem: 'not valid UTF-8' });
      }
    }
    start = end + 1;
  }
  return { lines };
}

function decodeBytes(buf: Buffer, what: string): string {
  if (buf.length === 0) throw new InputError(`${what} is empty: no report text to read`);
  const b0 = buf[0];
  const b1 = buf[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const enc = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      return new TextDecoder(enc, { fatal: true }).decode(buf);
    } catch {
      throw new InputError(`${what} starts with a UTF-16 byte-order mark but is not valid ${enc.toUpperCase()}; save it as UTF-8`);
    }
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    throw new InputError(
      `${what} looks binary (NUL byte at byte offset ${nul}); expected a UTF-8 text or HTML report` +
        ' (UTF-16 text needs a byte-order mark, or convert it to UTF-8)',
    );
  }
  // The standard decoder marks each invalid sequence with U+FFFD; the text before the first
  // one is valid UTF-8, so its byte length is the offset of the bad byte.
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(buf);
  let i = text.indexOf('\uFFFD');
  while (i >= 0) {
    const offset = Buffer.byteLength(text.slice(0, i), 'utf8') + (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
    // A U+FFFD that is really in the file (EF BF BD) is legitimate text.
    if (!(buf[offset] === 0xef && buf[offset + 1] === 0xbf && buf[offset + 2] === 0xbd)) {
      const hex = buf[offset]?.toString(16).padStart(2, '0') ?? '??';
      throw new InputError(
        `${what} is not valid UTF-8 (byte 0x${hex} at byte offset ${offset}); ` +
          'if it is Windows-1252 or Latin-1, convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8',
      );
    }
    i = text.indexOf('\uFFFD', i + 1);
  }
  return text;
}

function cleanText(raw: string, what: string): Decoded {
  const warnings: string[] = [];
  const surrogates = replaceLoneSurrogates(raw.replace(/\r\n?/g, '\n').replace(/\f/g, '\n'));
  const text0 = surrogates.text;
  if (surrogates.replaced) warnings.push(`${what}: replaced ${surrogates.replaced} lone UTF-16 surrogate(s) with U+FFFD`);
  // A NUL in a file's bytes was refused as binary above; a few in a string (a JSON line) are
  // stray controls like the others, replaced by spaces.
  const controls = text0.match(CONTROL)?.length ?? 0;
  if (controls > 0) {
    if (controls > MAX_STRAY_CONTROLS && controls / text0.length > MAX_CONTROL_SHARE) {
      throw new InputError(`${what} looks binary (${controls} control characters in ${text0.length}); expected a text or HTML report`);
    }
    warnings.push(`${what}: replaced ${controls} stray control character(s) with spaces`);
  }
  // Same length replacement, so nothing shifts.
  const text = controls > 0 ? text0.replace(CONTROL, ' ') : text0;
  if (!text.trim()) throw new InputError(`${what} is empty: it contains only whitespace`);
  return { text, warnings };
}
