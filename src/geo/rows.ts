// One place of the packed index (data/geo/places.tsv.gz): written by scripts/build-data.ts,
// read by the gazetteer. The line format lives here so both sides agree.

/** c country, 1 admin1, 2 admin2, t town, l locality (IEC village, no coordinates of its own). */
export type Level = 'c' | '1' | '2' | 't' | 'l';

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
}

/** Coordinates at 4 decimals (about 10 m), as ACLED gives them. */
const coord = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : '');

export function rowLine(r: Row): string {
  return [r.level, r.name, r.iso2, r.a1, r.a2, coord(r.lat), coord(r.lon), r.pop || '', r.fcode].join('\t');
}

export function parseRow(line: string): Row {
  const [level = 't', name = '', iso2 = '', a1 = '', a2 = '', lat = '', lon = '', pop = '', fcode = ''] = line.split('\t');
  return { level: level as Level, name, iso2, a1, a2, lat: Number(lat), lon: Number(lon), pop: Number(pop) || 0, fcode };
}
