// Fingerprints of a report's text: an exact one (the same report fed twice) and a MinHash
// signature (the same wire story republished with small edits).
import { createHash, hash } from 'node:crypto';

/** Case, punctuation and spacing do not make a report new. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function contentHash(text: string): string {
  return createHash('sha256').update(normaliseText(text)).digest('hex');
}

const SHINGLE = 3;
const PERMUTATIONS = 64;
const ROWS_PER_BAND = 4;

/**
 * MinHash of the set of word 3-shingles: for each of 64 hash functions, the least hash of
 * any shingle. The share of equal positions in two signatures estimates the Jaccard
 * similarity of the two shingle sets. The hash functions are h1 + i*h2 over one md5 per
 * shingle (double hashing), so a shingle is hashed once, by the one-shot `hash` (half the cost of
 * a Hash object per shingle, the dearest part of storing a report in Node).
 */
export function minhash(text: string): number[] {
  const words = normaliseText(text).split(' ').filter(Boolean);
  // Unsigned 32-bit values in a typed array: a plain array of them would hold boxed doubles.
  const sig = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  const n = Math.max(1, words.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    const h = hash('md5', words.slice(i, i + SHINGLE).join(' '), 'buffer');
    const h1 = h.readUInt32BE(0);
    const h2 = h.readUInt32BE(4) | 1;
    for (let p = 0; p < PERMUTATIONS; p++) {
      const v = (h1 + Math.imul(p, h2)) >>> 0;
      if (v < sig[p]!) sig[p] = v;
    }
  }
  // PostgreSQL's integer is signed.
  return Array.from(sig, (v) => v | 0);
}

/** The signature's bands (4 values each), each hashed to one integer for the index. */
export function bands(sig: number[]): number[] {
  const out: number[] = [];
  for (let b = 0; b * ROWS_PER_BAND < sig.length; b++) {
    out.push(createHash('md5').update(sig.slice(b * ROWS_PER_BAND, (b + 1) * ROWS_PER_BAND).join(',')).digest().readInt32BE(0));
  }
  return out;
}

/** Estimated Jaccard similarity of the two texts' shingle sets. */
export function similarity(a: number[], b: number[]): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / Math.max(1, a.length);
}

/** Estimated shingle overlap from which two reports are the same story. */
export const NEAR_DUPLICATE_SIMILARITY = 0.7;
