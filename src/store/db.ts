// The database under the store: PGlite (PostgreSQL in WebAssembly) in a directory by default,
// or a PostgreSQL server for a postgres:// URL. Both sit behind one small interface so the
// store's SQL is written once and one contract test suite runs against each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { InputError } from '../errors.js';

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (a directory or a URL without its password). */
  readonly where: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: all of it is stored, or none of it. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Dates stay YYYY-MM-DD strings, as in the event schema: PGlite would give a Date at UTC
// midnight and node-postgres a Date at local midnight, which shifts the day east of UTC.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const asString = (v: string) => v;

function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite in a directory, guarded by a lock file.

/**
 * PGlite takes no lock on its directory, and two processes writing one directory lose rows
 * and corrupt indexes; so sitrep holds a lock file while a store is open. A lock whose
 * process is gone (killed, crashed) is stale and is taken over.
 */
export class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(dir: string): StoreLock {
    const file = path.join(dir, 'sitrep.lock');
    const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, mine, { flag: 'wx' });
        return new StoreLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`${dir}: cannot create the lock file (${(e as NodeJS.ErrnoException).code})`);
      }
      const holder = readLock(file);
      if (holder && holder.host === os.hostname() && isAlive(holder.pid)) {
        throw new InputError(`store is busy: ${dir} is open in process ${holder.pid} (since ${holder.since}); wait for it to finish or stop it`);
      }
      // Stale (its process is gone) or unreadable: remove it and try once more; 'wx' makes
      // sure only one of two racing processes wins.
      fs.rmSync(file, { force: true });
    }
    throw new InputError(`store is busy: ${dir} (another process took the lock)`);
  }

  release(): void {
    const holder = readLock(this.file);
    if (holder?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function readLock(file: string): { pid: number; host: string; since: string } | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof o?.pid === 'number' ? o : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The installed PGlite's version (its package.json is not exported, so it is found from its entry). */
function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A new PGlite directory runs initdb (seconds, most of a gigabyte of memory); starting from
 * a saved copy of a fresh cluster takes under a second. The copy is made once per PGlite
 * version in the user's temporary directory.
 */
async function freshCluster(): Promise<Blob | undefined> {
  const version = pgliteVersion();
  const file = path.join(os.tmpdir(), `sitrep-pglite-${version}-fresh.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir('gzip');
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
    return dump;
  } finally {
    await db.close();
  }
}

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly pg: PGlite | { query: PGlite['query']; exec: PGlite['exec'] },
    readonly where: string,
    private readonly onClose: () => Promise<void>,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query<T>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (!(this.pg instanceof PGlite)) return fn(this);
    return this.pg.transaction((tx) => fn(new PgliteDb(tx, this.where, async () => {})));
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

async function openPglite(dir: string): Promise<Db> {
  const existed = fs.existsSync(path.join(dir, 'PG_VERSION'));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot create the store directory (${(e as NodeJS.ErrnoException).code})`);
  }
  if (!existed && fs.readdirSync(dir).some((f) => f !== 'sitrep.lock')) {
    throw new InputError(`${dir}: is not a sitrep store and is not empty; give an empty or new directory`);
  }
  const lock = StoreLock.acquire(dir);
  try {
    const db = await PGlite.create(dir, {
      parsers: { [DATE_OID]: asString, [INT8_OID]: Number, [NUMERIC_OID]: Number },
      ...(existed ? {} : { loadDataDir: await freshCluster() }),
    });
    return new PgliteDb(db, dir, async () => {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    });
  } catch (e) {
    lock.release();
    if (e instanceof InputError) throw e;
    throw new InputError(`${dir}: cannot open the store (${(e as Error).message})`);
  }
}

// ---------------------------------------------------------------------------------------------
// A PostgreSQL server.

const pgTypes = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === DATE_OID) return asString;
    if (oid === INT8_OID || oid === NUMERIC_OID) return Number;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

type Queryable = pg.Pool | pg.PoolClient;

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly client: Queryable,
    readonly where: string,
  ) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query({ text: sql, values: params, types: pgTypes })).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (!(this.client instanceof pg.Pool)) return fn(this);
    const client = await this.client.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new PostgresDb(client, this.where));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.client instanceof pg.Pool) await this.client.end();
  }
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An unreachable server or a dropped connection is reported, not thrown from an idle socket.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new InputError(`${safeUrl(url)}: cannot connect to PostgreSQL (${(e as Error).message})`);
  }
  return new PostgresDb(pool, safeUrl(url));
}

/** Opens the database at a directory (PGlite, created if new) or a postgres:// URL. */
export function openDb(target: string): Promise<Db> {
  return isPostgresUrl(target) ? openPostgres(target) : openPglite(path.resolve(target));
}
