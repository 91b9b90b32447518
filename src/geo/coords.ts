// Coordinates written as a query: "34.52,69.18", "34.52 N 69.18 E", "34°31'N 69°11'E",
// "69.18E 34.52N". Without hemisphere letters the order is latitude, longitude (ACLED's columns).

export interface LatLon {
  lat: number;
  lon: number;
}

// One coordinate: decimal degrees or degrees/minutes/seconds, with an optional hemisphere letter.
// Spaces are matched one at most, in a query whose runs of spaces are made one space first
// (which changes no match): a long run split every way between the optional spaces was
// polynomial of the 6th degree (the ReDoS check).
const PART = String.raw`([+-]?\d{1,3}(?:\.\d+)?) ?(?:° ?(?:(\d{1,2}(?:\.\d+)?) ?['′’] ?(?:(\d{1,2}(?:\.\d+)?) ?(?:["″”]|'') ?)?)?)? ?([NSEWnsew])?`;
const PAIR = new RegExp(String.raw`^ ?${PART} ?[,;/ ] ?${PART} ?$`);

function value(deg: string, min: string | undefined, sec: string | undefined, hemi: string | undefined): number {
  const d = Number(deg);
  const abs = Math.abs(d) + Number(min ?? 0) / 60 + Number(sec ?? 0) / 3600;
  const neg = d < 0 || deg.startsWith('-') || /[SWsw]/.test(hemi ?? '');
  return neg ? -abs : abs;
}

/**
 * The point a query spells, or null when it is not a coordinate pair (or out of range).
 * `point`: the caller says the query is a point (`geocode --reverse`), so "0,-30" is one.
 */
export function parseCoordinates(q: string, point = false): LatLon | null {
  const m = PAIR.exec(q.replace(/\s+/g, ' '));
  if (!m) return null;
  const [, d1 = '', m1, s1, h1, d2 = '', m2, s2, h2] = m;
  // A bare "1990 2020" is years, not a point: plain numbers need a decimal point or a hemisphere.
  if (!point && !h1 && !h2 && !m1 && !m2 && !(d1.includes('.') && d2.includes('.'))) return null;
  const a = value(d1, m1, s1, h1);
  const b = value(d2, m2, s2, h2);
  const lonFirst = /[EWew]/.test(h1 ?? '') || /[NSns]/.test(h2 ?? '');
  // Two latitudes or two longitudes are no point.
  if (h1 && h2 && /[NSns]/.test(h1) === /[NSns]/.test(h2)) return null;
  const [lat, lon] = lonFirst ? [b, a] : [a, b];
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}
