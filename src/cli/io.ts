// What the CLI commands share: the outside world (so tests can give their own) and the
// resources every command loads once.
import fs from 'node:fs';
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { loadResources } from '../extract/index.js';
import type { Resources } from '../extract/index.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: () => Buffer;
  today: () => string;
}

export const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdin: () => fs.readFileSync(0),
  today: () => new Date().toISOString().slice(0, 10),
};

export function readInput(file: string, io: Io): Buffer {
  if (file === '-') return io.stdin();
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InputError(`${file}: no such file`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a report file`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

let cached: { key: string; res: Resources } | null = null;
export function resources(config: Config): Resources {
  const key = JSON.stringify(config);
  if (!cached || cached.key !== key) cached = { key, res: loadResources(config) };
  return cached.res;
}

