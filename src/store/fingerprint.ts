// Fingerprints of a report's text: an exact one (the same report fed twice) and a SimHash
// (the same wire story republished with small edits).
import { createHash } from 'node:crypto';

/** Case, punctuation and spacing do not make a report new. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function contentHash(text: string): string {
  return createHash('sha256').update(normaliseText(text)).digest('hex');
}

const SHINGLE = 3;

/**
 * Charikar's SimHash over word 3-shingles, as a signed 64-bit integer (PostgreSQL bigint).
 * Texts that share most shingles differ in few bits.
 */
export function simhash(text: string): bigint {
  const words = normaliseText(text).split(' ').filter(Boolean);
  const weights = new Array<number>(64).fill(0);
  const n = Math.max(1, words.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    const h = createHash('md5').update(words.slice(i, i + SHINGLE).join(' ')).digest();
    const v = h.readBigUInt64BE(0);
    for (let b = 0; b < 64; b++) weights[b]! += (v >> BigInt(b)) & 1n ? 1 : -1;
  }
  let out = 0n;
  for (let b = 0; b < 64; b++) if (weights[b]! > 0) out |= 1n << BigInt(b);
  return BigInt.asIntN(64, out);
}

/** The four 16-bit bands of a SimHash: hashes within 3 bits of each other share one. */
export function bands(hash: bigint): number[] {
  const u = BigInt.asUintN(64, hash);
  return [0, 1, 2, 3].map((i) => Number((u >> BigInt(16 * i)) & 0xffffn));
}

export function hammingDistance(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** Bits of difference up to which two reports are the same story. */
export const NEAR_DUPLICATE_BITS = 3;
