// One place of the packed index (data/geo/places.tsv.gz): written by scripts/build-data.ts and
// `sitrep geo import`, read by the gazetteer. The line format lives here so both sides agree.

/**
 * c country, 1 admin1, 2 admin2, t town (a populated place), l locality (IEC village, no
 * coordinates of its own), f another named feature of an imported file (a camp, an airport,
 * a valley: GeoNames classes S, T, H, L, V, R, U and admin3/admin4 units).
 */
export type Level = 'c' | '1' | '2' | 't' | 'l' | 'f';

export interface Row {
  level: Level;
  name: string;
  iso2: string;
  /** admin1 code: P-code in Afghanistan ("AF09"), GeoNames "CC.NN" elsewhere. */
  a1: string;
  /** admin2 code: P-code in Afghanistan ("AF0907"), GeoNames "CC.NN.NNN" elsewhere. */
  a2: string;
  lat: number;
  lon: number;
  pop: number;
  /** GeoNames feature code (PPLA, PPLC, ...), or ''. */
  fcode: string;
  /** Source id (GeoNames geonameid, a P-code), or '': the same place from two files is one. */
  id: string;
  /** Admin unit names for codes the index has no unit of (an imported file's own P-codes). */
  n1: string;
  n2: string;
}

/** Coordinates at 4 decimals (about 10 m), as ACLED gives them. */
const coord = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : '');

export function rowLine(r: Row): string {
  const cols = [r.level, r.name, r.iso2, r.a1, r.a2, coord(r.lat), coord(r.lon), r.pop || '', r.fcode, r.id];
  if (r.n1 || r.n2) cols.push(r.n1, r.n2);
  return cols.join('\t');
}

export function parseRow(line: string): Row {
  const [level = 't', name = '', iso2 = '', a1 = '', a2 = '', lat = '', lon = '', pop = '', fcode = '', id = '', n1 = '', n2 = ''] = line.split('\t');
  return { level: level as Level, name, iso2, a1, a2, lat: Number(lat), lon: Number(lon), pop: Number(pop) || 0, fcode, id, n1, n2 };
}
