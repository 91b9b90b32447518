// The control claims held in memory, per district in valid-time order, so that "who holds each
// district on D, known at K" is a binary search per district instead of a query per district
// (an index probe in embedded PostgreSQL costs a fraction of a millisecond; 400 of them do not
// fit a 50 ms answer). The database stays the record: the index loads what it lacks (claims
// with a higher id, districts added) before every answer, so writes by this process or by
// another one on a PostgreSQL server are seen.
import type { District } from '../control/claims.js';
import type { ClaimCore } from '../control/status.js';
import type { Db } from './db.js';

export interface IndexedClaim extends ClaimCore {
  known_at: string;
}

interface Entry {
  district: District;
  /** Sorted by valid_from, then known_at, then id (the order in which claims supersede). */
  claims: IndexedClaim[];
}

const order = (a: IndexedClaim, b: IndexedClaim) =>
  a.valid_from < b.valid_from ? -1 : a.valid_from > b.valid_from ? 1 : a.known_at < b.known_at ? -1 : a.known_at > b.known_at ? 1 : a.id - b.id;

/** Index of the first claim with valid_from > date. */
function upperBound(claims: IndexedClaim[], date: string): number {
  let lo = 0;
  let hi = claims.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (claims[mid]!.valid_from <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ControlIndex {
  private readonly byCode = new Map<string, Entry>();
  private sorted: Entry[] = [];
  private maxClaimId = 0;
  private districtCount = 0;

  /** Loads the claims and districts written since the last call. */
  async refresh(db: Db): Promise<void> {
    const [head] = await db.query<{ districts: number; max_id: number | null }>(
      'SELECT (SELECT count(*) FROM districts) AS districts, (SELECT max(id) FROM control_claims) AS max_id',
    );
    if (Number(head!.districts) !== this.districtCount) {
      const [doc] = await db.query<{ rows: string | null }>(
        'SELECT json_agg(d ORDER BY d.country, d.admin1, d.admin2, d.code)::text AS rows FROM (SELECT code, country, admin1, admin1_code, admin2 FROM districts) d',
      );
      for (const d of doc?.rows ? (JSON.parse(doc.rows) as District[]) : []) {
        if (!this.byCode.has(d.code)) this.byCode.set(d.code, { district: d, claims: [] });
      }
      this.sorted = [...this.byCode.values()].sort((a, b) => cmpDistrict(a.district, b.district));
      this.districtCount = this.byCode.size;
    }
    if (head!.max_id == null || Number(head!.max_id) <= this.maxClaimId) return;
    // All new claims in one JSON document: one row out of the database, not one per claim.
    const [doc] = await db.query<{ rows: string | null }>(
      `SELECT json_agg(c ORDER BY c.id)::text AS rows FROM (
         SELECT id, district, kind, actor, valid_from, known_at, certainty FROM control_claims WHERE id > $1) c`,
      [this.maxClaimId],
    );
    const fresh = doc?.rows ? (JSON.parse(doc.rows) as (IndexedClaim & { district: string })[]) : [];
    const touched = new Set<Entry>();
    for (const { district, ...c } of fresh) {
      const e = this.byCode.get(district);
      if (!e) continue; // a district row is written before its claims, in the same transaction
      e.claims.push(c);
      touched.add(e);
      this.maxClaimId = Math.max(this.maxClaimId, c.id);
    }
    for (const e of touched) e.claims.sort(order);
  }

  /**
   * For each district (filtered), its claims valid by `asOf` and known by `knownAt`, newest
   * first: up to `limit` of them, then the rest of the latest holder's run if it is longer
   * (so its start is known). Claims with an id above `maxId` are left out.
   */
  claimsAt(asOf: string, knownAt: string, filter: (d: District) => boolean, limit: number, maxId = Infinity): { district: District; claims: IndexedClaim[] }[] {
    const out: { district: District; claims: IndexedClaim[] }[] = [];
    for (const e of this.sorted) {
      if (!filter(e.district)) continue;
      const claims: IndexedClaim[] = [];
      let holder: string | null = null;
      let inRun = true;
      for (let i = upperBound(e.claims, asOf) - 1; i >= 0; i--) {
        const c = e.claims[i]!;
        if (c.known_at > knownAt || c.id > maxId) continue;
        if (c.kind !== 'contest') {
          if (holder === null) holder = c.actor;
          else if (c.actor !== holder && inRun) {
            inRun = false;
            // The change before the run is wanted too (a quick reversal is a contest).
            if (claims.length >= limit) {
              claims.push(c);
              break;
            }
          }
        }
        if (claims.length >= limit && !inRun) break;
        // Past the limit, only the holder's own run is followed, to find where it began.
        if (claims.length < limit || (c.kind !== 'contest' && c.actor === holder)) claims.push(c);
      }
      out.push({ district: e.district, claims });
    }
    return out;
  }
}

function cmpDistrict(a: District, b: District): number {
  return a.country.localeCompare(b.country) || a.admin1.localeCompare(b.admin1) || a.admin2.localeCompare(b.admin2) || a.code.localeCompare(b.code);
}
