// `sitrep geo fetch ISO3`: the geoBoundaries gbOpen pack of a country, downloaded only when the
// user asks, then imported as `sitrep geo import` would. The API answers
// GET {base}/gbOpen/{ISO3}/ADM{n}/ with metadata whose simplifiedGeometryGeoJSON / gjDownloadURL /
// tjDownloadURL give the geometry files, and boundarySource / boundaryLicense the credits.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { importPack, type ImportResult } from './import.js';
import { PackError } from './packs.js';

export const GEOBOUNDARIES_API = 'https://www.geoboundaries.org/api/current';

export interface FetchOptions {
  levels: (1 | 2)[];
  /** API root; default SITREP_GEOBOUNDARIES_URL, else the public geoBoundaries API. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface FetchResult extends ImportResult {
  level: 1 | 2;
  url: string;
  source: string;
  license: string;
}

interface GbMeta {
  boundaryID?: string;
  boundaryISO?: string;
  boundaryType?: string;
  boundarySource?: string;
  boundaryLicense?: string;
  simplifiedGeometryGeoJSON?: string;
  gjDownloadURL?: string;
  tjDownloadURL?: string;
}

async function get(url: string, timeoutMs: number): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'sitrep (geo fetch)' } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new PackError(`cannot download ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) throw new PackError(`${url}: HTTP ${res.status}${res.status === 404 ? ' (no such country or level at geoBoundaries)' : ''}`);
  return res;
}

export async function fetchPack(config: Config, iso3: string, opts: FetchOptions, env: NodeJS.ProcessEnv = process.env): Promise<FetchResult[]> {
  const code = iso3.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new PackError(`"${iso3}" is not an ISO3 country code (e.g. AFG, YEM)`);
  // (?<!\/): the trailing slashes are read once, not from each of them (the ReDoS check).
  const base = (opts.baseUrl ?? env.SITREP_GEOBOUNDARIES_URL ?? GEOBOUNDARIES_API).replace(/(?<!\/)\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const out: FetchResult[] = [];
  // Provinces first: districts without parent fields find their province by point.
  for (const level of [...new Set(opts.levels)].sort()) {
    const metaUrl = `${base}/gbOpen/${code}/ADM${level}/`;
    let meta: GbMeta;
    try {
      meta = (await (await get(metaUrl, timeoutMs)).json()) as GbMeta;
    } catch (e) {
      if (e instanceof PackError) throw e;
      throw new PackError(`${metaUrl}: not the JSON geoBoundaries metadata (${(e as Error).message})`);
    }
    const rel = meta.simplifiedGeometryGeoJSON || meta.gjDownloadURL || meta.tjDownloadURL;
    if (!rel) throw new PackError(`${metaUrl}: metadata names no geometry file (simplifiedGeometryGeoJSON, gjDownloadURL, tjDownloadURL)`);
    const url = new URL(rel, metaUrl).toString();
    const body = await (await get(url, timeoutMs)).text();
    fs.mkdirSync(config.geoDir, { recursive: true });
    const tmp = path.join(config.geoDir, `.download-${code}-ADM${level}-${process.pid}.json`);
    fs.writeFileSync(tmp, body);
    try {
      const r = importPack(config, tmp, { country: code, level });
      out.push({ ...r, level, url, source: meta.boundarySource ?? '', license: meta.boundaryLicense ?? '' });
    } catch (e) {
      // The user knows the download by its address, not by the temporary file.
      throw e instanceof PackError ? new PackError(e.message.split(tmp).join(url)) : e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return out;
}
