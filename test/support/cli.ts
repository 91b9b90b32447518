// Running the `sitrep` command as a user does, for the tests that check what it prints and exits with.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../src/config.js';
import type { Io } from '../../src/cli/io.js';

export const BIN = path.join(ROOT, 'bin', 'sitrep.js');

/** Runs sitrep with these arguments (standard input, environment added); big outputs (GeoJSON of a country) fit. */
export function sitrep(args: string[], input?: string, env?: Record<string, string>): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: env ? { ...process.env, ...env } : undefined });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs sitrep in this process (no child, the same module cache), on an in-memory terminal dated `today`. */
export async function sitrepIn(args: string[], today: string): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../src/cli/main.js');
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), stdin: () => Buffer.alloc(0), today: () => today };
  const code = await main(args, io);
  return { code, out, err };
}

export interface Child {
  child: ChildProcess;
  exited: Promise<number | null>;
  out: string;
  err: string;
}

/** Starts `sitrep ARGS` as its own process, its output gathered (a worker runs until signalled). */
export function spawnSitrep(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const c: Child = { child, exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))), out: '', err: '' };
  child.stdout!.on('data', (d) => (c.out += d));
  child.stderr!.on('data', (d) => (c.err += d));
  return c;
}
