// Bytes -> text for one report or one batch file. Refuses what is not text (binary,
// invalid UTF-8, empty) with an InputError that says where the problem is, because
// silently decoding garbage would yield plausible-looking but wrong events.
import { InputError } from '../errors.js';

/** Above this share of control characters (and more than a few strays) the input is binary, not text. */
const MAX_CONTROL_SHARE = 0.01;
const MAX_STRAY_CONTROLS = 3;

// C0 controls other than tab and newline (CR, FF and VT are handled before this runs), and DEL.
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/g;

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
  const text0 = raw.replace(/\r\n?/g, '\n').replace(/\f/g, '\n');
  if (text0.includes('\0')) throw new InputError(`${what} looks binary (contains NUL characters); expected a text or HTML report`);
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
