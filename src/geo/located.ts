// The gazetteer seen through the boundary packs (src/geo/boundaries.ts):
// - a town whose district the index does not know takes it from the polygon holding its point;
// - in a country with an imported pack, that pack's units replace the index's admin units
//   (names, codes and aliases from the pack), and every place there takes its admin1/admin2
//   from the pack's polygons, so events carry the user's codes.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { loadBoundaries, packFiles, type AdminUnit, type Boundaries } from './boundaries.js';
import { foldName } from './fold.js';
import { labelPoint, type UnitFeature } from './packs.js';
import type { Candidate, GazetteerCore, GeoContext, Place } from './gazetteer.js';

/** Alias rows an import keeps beside its pack: "alias<TAB>pcode<TAB>from". */
export const aliasFile = (config: Config, iso3: string) => path.join(config.geoDir, `${iso3.toUpperCase()}.aliases.tsv`);

interface ImportedCountry {
  iso2: string;
  iso3: string;
  levels: Set<1 | 2>;
  /** Folded name or alias → units. */
  names: Map<string, UnitFeature[]>;
}

// The same prior and context weights the index gives its own admin units (src/geo/gazetteer.ts).
const PRIOR: Record<1 | 2, number> = { 1: 0.85, 2: 0.7 };

export function withBoundaries(base: GazetteerCore, config: Config): GazetteerCore {
  const packs = packFiles(config);
  if (!packs.length) return base;
  const iso2Of = new Map<string, string>();
  for (const iso2 of base.countryCodes()) {
    const c = base.country(iso2);
    if (c) iso2Of.set(c.iso3, iso2);
  }
  const covered = new Set(packs.map((p) => iso2Of.get(p.iso3)).filter((c): c is string => !!c));
  const importedIso3 = packs.filter((p) => p.imported).map((p) => p.iso3);
  const bounds: Boundaries = loadBoundaries(config);

  // Imported countries' name tables are built on first need (they read the geometry).
  let imported: Map<string, ImportedCountry> | null = null;
  function importedCountries(): Map<string, ImportedCountry> {
    if (imported) return imported;
    imported = new Map();
    for (const iso3 of importedIso3) {
      const iso2 = iso2Of.get(iso3);
      if (!iso2) continue;
      const names = new Map<string, UnitFeature[]>();
      const byCode = new Map<string, UnitFeature>();
      const add = (key: string, f: UnitFeature) => {
        if (key.length < 2) return;
        const list = names.get(key) ?? [];
        if (!list.includes(f)) names.set(key, [...list, f]);
      };
      const levels = new Set<1 | 2>();
      for (const level of [1, 2] as const)
        for (const f of bounds.featureCollection(level, iso3).features as UnitFeature[]) {
          levels.add(level);
          add(foldName(f.properties.name), f);
          byCode.set(f.properties.pcode, f);
        }
      const file = aliasFile(config, iso3);
      if (fs.existsSync(file))
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
          const [alias = '', code = ''] = line.split('\t');
          const f = byCode.get(code.trim());
          if (f && !line.startsWith('#')) add(foldName(alias), f);
        }
      imported.set(iso2, { iso2, iso3, levels, names });
    }
    return imported;
  }

  const labels = new Map<string, [number, number]>();
  function unitPlace(f: UnitFeature, iso2: string, template: Place | null): Place {
    const u = f.properties;
    const key = `${u.iso3}:${u.level}:${u.pcode}`;
    let ll = labels.get(key);
    if (!ll) labels.set(key, (ll = labelPoint(f.geometry)));
    return {
      country: template?.country ?? base.country(iso2)?.country ?? u.country,
      iso2,
      iso: template?.iso ?? base.country(iso2)?.iso ?? null,
      // A district imported without its province keeps the province the index gives the place.
      admin1: u.admin1 || (template?.admin1 ?? ''),
      admin1_code: u.admin1_code || (template?.admin1_code ?? null),
      admin2: u.level === 2 ? u.name : '',
      admin2_code: u.level === 2 ? u.pcode : null,
      location: u.name,
      latitude: Math.round(ll[1] * 1e4) / 1e4,
      longitude: Math.round(ll[0] * 1e4) / 1e4,
      level: u.level === 1 ? 'admin1' : 'admin2',
      geo_precision: u.level === 1 ? 3 : 2,
      population: template?.population ?? 0,
    };
  }

  /** The place with admin1/admin2 from the polygons holding its point (only what the pack has); null when none does. */
  function relocate(p: Place, own: boolean): Place | null {
    const loc = bounds.locate(p.longitude, p.latitude);
    const a1 = loc?.admin1;
    const a2 = loc?.admin2;
    const iso2 = iso2Of.get((a2 ?? a1)?.iso3 ?? '');
    if (iso2 !== p.iso2) return null;
    const out = { ...p };
    if (a1 && (own || !p.admin1_code)) (out.admin1 = a1.name), (out.admin1_code = a1.pcode);
    if (a2 && (own || !p.admin2_code)) (out.admin2 = a2.name), (out.admin2_code = a2.pcode);
    return out;
  }

  function fromPack(c: Candidate, ic: ImportedCountry, key: string): Candidate | null {
    const p = c.place;
    if (p.level === 'country') return c;
    const level = p.level === 'admin1' ? 1 : p.level === 'admin2' ? 2 : null;
    if (level === null || !ic.levels.has(level)) {
      const moved = relocate(p, true);
      return moved ? { ...c, place: moved, reason: `${c.reason}, units from imported pack` } : c;
    }
    // The index's unit becomes the pack's unit of that name, else the pack's unit at its point.
    const named = [...(ic.names.get(foldName(p.location)) ?? []), ...(ic.names.get(key) ?? [])].find((f) => f.properties.level === level);
    if (named) return { ...c, place: unitPlace(named, ic.iso2, p), reason: `${c.reason}, imported pack` };
    const loc = bounds.locate(p.longitude, p.latitude);
    const unit = level === 1 ? loc?.admin1 : loc?.admin2;
    const f = unit && (ic.names.get(foldName(unit.name)) ?? []).find((x) => x.properties.pcode === unit.pcode);
    return f ? { ...c, place: unitPlace(f, ic.iso2, p), reason: `${c.reason}, imported pack (by point)` } : null;
  }

  /** Units of imported packs named by the query that the index does not give. */
  function packHits(name: string, key: string, ctx: GeoContext): Candidate[] {
    // The index's refusals hold for pack names too: non-places ("Central" is a unit in some
    // packs), demonyms and acronyms; and a report about other countries never reaches a pack's unit.
    if ((base.isNotPlace(name) && !ctx.cue) || base.isDemonym(name.trim()) || /^[A-Z.]{2,6}$/.test(name.trim())) return [];
    const out: Candidate[] = [];
    const ctxAdmin1 = new Set((ctx.admin1 ?? []).map((a) => foldName(a)));
    for (const ic of importedCountries().values()) {
      if (ctx.countries?.length && !ctx.countries.includes(ic.iso2)) continue;
      for (const f of ic.names.get(key) ?? []) {
        const u: AdminUnit = f.properties;
        const lvl = u.level === 1 ? 'admin1' : 'admin2';
        const why = ['imported pack'];
        let s = PRIOR[u.level];
        const ci = ctx.countries?.indexOf(ic.iso2) ?? -1;
        if (ci >= 0) (s += ci === 0 ? 0.3 : 0.2), why.push(ci === 0 ? 'in main country' : 'in report country');
        if (u.level === 2 && (ctxAdmin1.has(foldName(u.admin1)) || ctxAdmin1.has(foldName(u.admin1_code)))) (s += 0.2), why.push('in named province');
        if (ctx.cue) {
          if (ctx.cue === lvl) (s += 0.25), why.push(`cue ${ctx.cue}`);
          else if (ctx.cue !== 'town' || lvl !== 'admin2') s -= 0.15;
        }
        out.push({ place: unitPlace(f, ic.iso2, null), score: Math.round(s * 1000) / 1000, reason: why.join(', ') });
      }
    }
    return out;
  }

  function lookup(name: string, ctx: GeoContext = {}): Candidate[] {
    let cands = base.lookup(name, ctx);
    const hasImported = importedIso3.length > 0;
    if (!hasImported && !cands.some((c) => c.place.level === 'town' && !c.place.admin2_code && covered.has(c.place.iso2))) return cands;
    const key = foldName(name);
    const ics = hasImported ? importedCountries() : new Map<string, ImportedCountry>();
    const out: Candidate[] = [];
    for (const c of cands) {
      const ic = ics.get(c.place.iso2);
      if (ic) {
        const r = fromPack(c, ic, key);
        if (r) out.push(r);
      } else if (c.place.level === 'town' && !c.place.admin2_code && covered.has(c.place.iso2)) {
        const p = relocate(c.place, false);
        out.push(p?.admin2_code ? { ...c, place: p, reason: `${c.reason}, district by point` } : c);
      } else out.push(c);
    }
    if (ics.size && ctx.cue !== 'town') out.push(...packHits(name, key, ctx));
    // One candidate per unit: the pack's unit named directly and the index's unit mapped onto it meet here.
    const seen = new Map<string, Candidate>();
    out.forEach((c, i) => {
      const p = c.place;
      const k = p.level === 'admin1' || p.level === 'admin2' ? `${p.iso2}:${p.level}:${p.level === 'admin1' ? p.admin1_code : p.admin2_code}` : `#${i}`;
      const prev = seen.get(k);
      if (!prev || prev.score < c.score) seen.set(k, c);
    });
    cands = [...seen.values()];
    return cands.sort((a, b) => b.score - a.score || b.place.population - a.place.population);
  }

  return { ...base, lookup };
}
