// The control view written out: JSON (the contract), a table for the terminal, and GeoJSON
// with the district polygons.
import type { ClaimRow } from '../control/status.js';
import type { Boundaries } from '../geo/boundaries.js';
import type { DistrictControl } from '../store/store.js';

export type ControlFormat = 'json' | 'table' | 'geojson';

export interface ControlHeader {
  asOf: string;
  knownAt?: string | undefined;
}

/** One claim as evidence: who, what, when, said where, and the words it rests on. */
export function claimEvidence(c: ClaimRow) {
  return {
    kind: c.kind,
    actor: c.actor,
    against: c.against || null,
    date: c.valid_from,
    known_at: c.known_at,
    certainty: c.certainty,
    attribution: c.attribution,
    reason: c.reason,
    event_id: c.event_id,
    report_id: c.report_id,
    source: c.source,
    url: c.url,
    text: c.evidence[0]?.text ?? null,
    spans: c.evidence,
  };
}

export function districtRecord(d: DistrictControl) {
  return {
    country: d.country,
    admin1: d.admin1,
    admin1_code: d.admin1_code,
    admin2: d.admin2,
    pcode: d.pcode,
    controller: d.controller,
    status: d.status,
    since: d.since,
    // A map draws a district without a boundary pack at the place its control was told of.
    point: d.evidence.find((c) => c.point)?.point ?? null,
    evidence: d.evidence.map(claimEvidence),
  };
}

export function controlDocument(districts: DistrictControl[], h: ControlHeader) {
  return { as_of: h.asOf, known_at: h.knownAt ?? null, districts: districts.map(districtRecord) };
}

export function formatControl(districts: DistrictControl[], format: Exclude<ControlFormat, 'geojson'>, h: ControlHeader): string {
  if (format === 'json') return JSON.stringify(controlDocument(districts, h), null, 2) + '\n';
  const rows = districts.map((d) => [d.country, d.admin1, d.admin2, d.pcode ?? '', d.controller ?? '', d.status, d.since ?? '']);
  const head = ['country', 'admin1', 'admin2', 'pcode', 'controller', 'status', 'since'];
  const widths = head.map((c, i) => Math.min(40, Math.max(c.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i]!)).join('  ').trimEnd();
  return `control as of ${h.asOf}${h.knownAt ? ` (known at ${h.knownAt})` : ''}\n${[head, ...rows].map(line).join('\n')}\n`;
}

/** Districts with their polygons where the boundary packs have them, properties as in the JSON. */
export function controlGeoJson(districts: DistrictControl[], boundaries: Boundaries, h: ControlHeader) {
  const byCode = new Map(districts.map((d) => [d.pcode ?? d.code, d]));
  const countries = new Set(districts.map((d) => d.country));
  const features = boundaries
    .featureCollection(2)
    .features.filter((f) => countries.has(f.properties.country))
    .map((f) => {
      const d = byCode.get(f.properties.pcode);
      const rec = d ? districtRecord(d) : { ...f.properties, admin2: f.properties.name, pcode: f.properties.pcode, controller: null, status: 'unknown', since: null, evidence: [] };
      return { type: 'Feature' as const, geometry: f.geometry, properties: rec };
    });
  return { type: 'FeatureCollection' as const, as_of: h.asOf, known_at: h.knownAt ?? null, features };
}
