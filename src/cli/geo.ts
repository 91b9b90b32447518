// `sitrep geo ...`: the user's boundary packs. `import` reads a COD-AB or geoBoundaries file,
// `fetch` downloads a geoBoundaries pack (only when asked), `list` shows the packs in effect.
// Bad files and network failures are PackErrors (InputError): one line on stderr, exit 2.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { packFiles } from '../geo/boundaries.js';
import { fetchPack } from '../geo/fetch.js';
import { importPack, type ImportResult } from '../geo/import.js';
import { PackError } from '../geo/packs.js';
import { importedPlaces, importPlaces, isGeoNamesDump } from '../geo/userplaces.js';

interface GeoIo {
  out: (s: string) => void;
}

const levelOpt = (v: string): 1 | 2 => {
  if (v !== '1' && v !== '2') throw new PackError(`--level must be 1 or 2, not "${v}"`);
  return Number(v) as 1 | 2;
};

function summary(r: ImportResult): string {
  const brought = r.layers.map((l) => `ADM${l.level} ${l.units} units from ${l.source}${l.skipped ? ` (${l.skipped} features without polygons skipped)` : ''}`).join('; ');
  const orphans = r.orphans ? `\n  note: ${r.orphans} districts have no province; import the ADM1 layer too (geo fetch --level 1,2)` : '';
  return `${r.iso3} (${r.country}): ${brought}; pack now ${r.adm1} provinces, ${r.adm2} districts${r.aliases ? `, ${r.aliases} aliases` : ''} → ${r.file} (${(r.bytes / 1e3).toFixed(0)} KB)${orphans}\n`;
}

export function registerGeo(program: Command, io: GeoIo): void {
  const geo = program.command('geo').description("the user's boundary packs: import, fetch, list");

  geo
    .command('import')
    .description("import a boundary pack (OCHA COD-AB or geoBoundaries GeoJSON/TopoJSON), whose units replace the built-in ones for that country, or a GeoNames country dump (XX.txt) or OCHA COD populated-places CSV, whose places join the index")
    .argument('<path>', 'GeoJSON or TopoJSON file, a GeoNames XX.txt dump or a COD populated-places CSV')
    .option('--country <iso3>', 'country of the pack (default: from shapeGroup / ADM0_PCODE)')
    .option('--level <n>', 'admin level of the file, 1 or 2 (default: from its fields)')
    .option('--name-field <field>', 'property holding the unit name')
    .option('--code-field <field>', 'property holding the unit code (P-code)')
    .option('--aliases <csv>', 'CSV of alias,name-or-pcode rows')
    .action((file: string, o: { country?: string; level?: string; nameField?: string; codeField?: string; aliases?: string }) => {
      if (fs.statSync(file, { throwIfNoEntry: false })?.isFile() && (isGeoNamesDump(file) || /\.csv$/i.test(file))) {
        const r = importPlaces(loadConfig(), file);
        io.out(`${r.iso2}: ${r.places} populated places and ${r.features} other named features the shipped index lacks (${r.shipped} it has) → ${r.file} (${(r.bytes / 1e3).toFixed(0)} KB)\n`);
        return;
      }
      const r = importPack(loadConfig(), file, { ...o, level: o.level ? levelOpt(o.level) : undefined });
      io.out(summary(r));
    });

  geo
    .command('fetch')
    .description('download the geoBoundaries (gbOpen, CC BY 4.0) ADM1/ADM2 pack of a country and import it')
    .argument('<iso3>', 'country, e.g. YEM')
    .addOption(new Option('--level <levels>', 'levels to fetch, comma-separated').default('1,2'))
    .option('--base-url <url>', 'geoBoundaries API root (default: SITREP_GEOBOUNDARIES_URL or https://www.geoboundaries.org/api/current)')
    .action(async (iso3: string, o: { level: string; baseUrl?: string }) => {
      const levels = o.level.split(',').map((v) => levelOpt(v.trim()));
      for (const r of await fetchPack(loadConfig(), iso3, { levels, baseUrl: o.baseUrl })) {
        io.out(summary(r));
        io.out(`  from ${r.url}${r.source ? `; source: ${r.source}` : ''}${r.license ? `; licence: ${r.license}` : ''} (cite geoBoundaries, CC BY 4.0)\n`);
      }
    });

  geo
    .command('list')
    .description('the boundary packs in effect (imported ones replace the built-in pack of their country)')
    .action(() => {
      const config = loadConfig();
      for (const p of packFiles(config)) io.out(`${p.iso3}\t${p.imported ? 'imported' : 'built-in'}\t${p.file}\n`);
      for (const p of importedPlaces(config)) io.out(`${p.iso2}\tplaces\t${p.file}\t${p.rows} places\n`);
    });
}
