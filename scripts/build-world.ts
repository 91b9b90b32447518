// The country outlines the web map draws under everything (Natural Earth 1:50m admin 0, public
// domain, as the world-atlas package ships it): simplified and quantized into one small TopoJSON
// under data/world, so `sitrep serve` needs neither the package nor the network at run time.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { quantize } from 'topojson-client';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import { ROOT } from '../src/config.js';

const OUT = path.join(ROOT, 'data', 'world', 'countries.topo.json');
/** Share of the points kept (quantile gives the weight that keeps that share): outlines for a world to province view. */
const KEEP = 0.25;
/** A 1e4 grid across the world is about 4 km: finer than the kept points are apart. */
const GRID = 1e4;

const source = createRequire(import.meta.url).resolve('world-atlas/countries-50m.json');
const topo = JSON.parse(fs.readFileSync(source, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;
const pre = presimplify(topo);
// presimplify works in degrees (it drops the transform), so the result is quantized again.
const kept = simplify(pre, quantile(pre, KEEP));
// Each point still carries its weight as a third number, which quantize would write out.
kept.arcs = kept.arcs.map((arc) => arc.map((p) => [p[0]!, p[1]!]));
const simple = quantize(kept, GRID) as typeof topo;
// The land object is not drawn; names are kept for the tooltip, the ISO numeric id for joins.
delete (simple.objects as Partial<typeof simple.objects>).land;
for (const g of simple.objects.countries.geometries) g.properties = { name: (g.properties as { name?: string } | undefined)?.name ?? '' };
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify(simple));
console.log(`${OUT}: ${simple.objects.countries.geometries.length} countries, ${fs.statSync(OUT).size} bytes (from ${path.relative(ROOT, source)})`);
