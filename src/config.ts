// Configuration, read once at the edge (CLI) and passed into the stages.
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

export interface Config {
  /** Directory of the project's own rules and lexicons (text files). */
  rulesDir: string;
  /** Extra rule directories a user adds; their entries extend or override the built-in ones. */
  userRulesDirs: string[];
  /** Directory of the compact geographic index built by scripts/build-data.ts. */
  dataDir: string;
  /** The user's boundary packs (`sitrep geo import` / `geo fetch`): SITREP_GEO_DIR, else $XDG_DATA_HOME/sitrep/geo (~/.local/share/sitrep/geo). */
  geoDir: string;
}

/** Repository root: this module is src/config.ts, compiled to dist/src/config.js. */
const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.basename(path.dirname(here)) === 'dist' ? path.dirname(path.dirname(here)) : path.dirname(here);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, extraRules: string[] = []): Config {
  const fromEnv = (env.SITREP_RULES ?? '').split(path.delimiter).filter(Boolean);
  return {
    rulesDir: path.join(ROOT, 'rules'),
    userRulesDirs: [...fromEnv, ...extraRules],
    dataDir: env.SITREP_DATA ?? path.join(ROOT, 'data'),
    geoDir: env.SITREP_GEO_DIR || path.join(env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'sitrep', 'geo'),
  };
}
