// The boundary step of scripts/build-data.ts: Afghanistan's provinces and districts (OCHA COD-AB
// P-codes, ../shared/data/afghanistan) as one simplified, quantized TopoJSON pack under
// data/geo/boundaries, in the format `sitrep geo import` writes (src/geo/packs.ts).
import fs from 'node:fs';
import path from 'node:path';
import { buildTopology, normaliseLayer, readLayers } from '../src/geo/packs.js';

/** ~35 m x 35 m triangles dropped (the source is already simplified at 150 m); a 1e5 grid is ~15 m here. */
const SHIPPED = { minWeight: 1e-7, quantization: 1e5 };

export function buildBoundaries(afgDir: string, outDir: string, country: { name: string; iso3: string }): { file: string; bytes: number; adm1: number; adm2: number } {
  const layer = (f: string) => {
    const file = path.join(afgDir, f);
    const [l] = readLayers(fs.readFileSync(file, 'utf8'), file);
    if (!l) throw new Error(`${file}: no polygons`);
    return l;
  };
  const base = { country: country.name, iso3: country.iso3 };
  const adm1 = normaliseLayer(layer('afg_adm1.geojson'), { ...base, level: 1, file: 'afg_adm1.geojson' });
  const adm2 = normaliseLayer(layer('afg_adm2.geojson'), { ...base, level: 2, file: 'afg_adm2.geojson' });
  const topo = buildTopology(adm1, adm2, SHIPPED);
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${country.iso3}.topo.json`);
  fs.writeFileSync(file, JSON.stringify(topo));
  return { file, bytes: fs.statSync(file).size, adm1: adm1.length, adm2: adm2.length };
}
