// Running the `sitrep` command as a user does, for the tests that check what it prints and exits with.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../src/config.js';

export const BIN = path.join(ROOT, 'bin', 'sitrep.js');

/** Runs sitrep with these arguments (and standard input); big outputs (GeoJSON of a country) fit. */
export function sitrep(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
