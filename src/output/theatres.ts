// The store's countries as the map's theatre switcher lists them: counts, and the extent to fit
// the map to (its events, the places its claims were told at, and the polygons of its districts
// with claims where a boundary pack draws them).
import type { Boundaries } from '../geo/boundaries.js';
import { bboxOf } from '../geo/packs.js';
import type { Theatre } from '../store/store.js';

type Box = [number, number, number, number];

const union = (a: Box | null, b: Box): Box => (a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b);

export function theatresDocument(theatres: Theatre[], boundaries: Boundaries) {
  const claimed = new Set(theatres.flatMap((t) => t.districts));
  // One pass over the packs' districts: the extent of the claimed ones, by code.
  const boxes = new Map<string, Box>();
  for (const f of boundaries.featureCollection(2).features) if (claimed.has(f.properties.pcode)) boxes.set(f.properties.pcode, bboxOf(f.geometry));
  return {
    theatres: theatres.map((t) => {
      let bbox = t.bbox;
      for (const code of t.districts) {
        const b = boxes.get(code);
        if (b) bbox = union(bbox, b);
      }
      return { country: t.country, events: t.events, districts: t.districts.length, bbox };
    }),
  };
}
