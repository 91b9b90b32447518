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
  /** `name` makes a fixed statement a prepared one where the driver keeps them (node-postgres, per connection). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: { name?: string }): Promise<T[]>;
  /**
   * A statement whose answer is not needed. Inside a transaction on a PostgreSQL server it is
   * sent without waiting for its answer: the COMMIT goes out right behind it, one round trip for
   * both, and its error fails the transaction.
   */
  send(sql: string, params?: unknown[], opts?: { name?: string }): Promise<void>;
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

export function isPostgresUrl(target: string): boolean {
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

interface LockInfo {
  pid: number;
  host: string;
  since: string;
  /** The kernel's boot id (Linux): a lock written before a reboot is stale whatever its PID. */
  boot?: string | null;
  /** The process's start time in clock ticks since boot (Linux): a PID reused by a new process is another process. */
  start?: number | null;
}

let bootIdCache: string | null | undefined;
function bootId(): string | null {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

/** Field 22 of /proc/PID/stat (starttime), or null where there is no /proc. */
export function processStart(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * PGlite takes no lock on its directory, and two processes writing one directory lose rows
 * and corrupt indexes; so sitrep holds a lock file while a store is open. The lock names the
 * host, its boot and the process (PID and start time). A lock of another host is never taken
 * over: on a shared volume its process cannot be seen from here. On this host a lock is stale,
 * and taken over, when its process is gone, when it was written before the last boot, or when
 * its PID now belongs to a process that started at another time (PID 1 in each new container).
 */
export class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(dir: string): StoreLock {
    const file = path.join(dir, 'sitrep.lock');
    const info: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), boot: bootId(), start: processStart(process.pid) };
    const mine = JSON.stringify(info);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, mine, { flag: 'wx' });
        return new StoreLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`${dir}: cannot create the lock file (${(e as NodeJS.ErrnoException).code})`);
      }
      const holder = readLock(file);
      if (holder && holder.host !== info.host) {
        throw new InputError(
          `store is locked by another host: ${dir} is open in process ${holder.pid} on ${holder.host} (since ${holder.since}); ` +
            `sitrep never takes over another machine's lock. If no sitrep runs on ${holder.host} any more, remove ${file}`,
        );
      }
      if (holder && isHeld(holder)) {
        throw new InputError(`store is busy: ${dir} is open in process ${holder.pid} (since ${holder.since}); wait for it to finish or stop it`);
      }
      // Stale or unreadable (a process killed while writing it): remove it and try once more;
      // 'wx' makes sure only one of two racing processes wins.
      fs.rmSync(file, { force: true });
    }
    throw new InputError(`store is busy: ${dir} (another process took the lock)`);
  }

  release(): void {
    const holder = readLock(this.file);
    if (holder?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

/** Whether a lock of this host names a process that still runs. */
function isHeld(holder: LockInfo): boolean {
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return false;
  if (!isAlive(holder.pid)) return false;
  // Older locks have no start time: an alive PID holds them.
  const start = holder.start == null ? null : processStart(holder.pid);
  return start === null || start === holder.start;
}

function readLock(file: string): LockInfo | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof o?.pid === 'number' && typeof o.host === 'string' ? o : null;
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

  async send(sql: string, params: unknown[] = []): Promise<void> {
    await this.pg.query(sql, params);
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

/**
 * Marks a store being created: written before PGlite writes anything, removed once the
 * cluster is in place. A directory that still has it was being created by a process that was
 * killed; it is emptied and created again (else it would be neither new nor a store).
 */
const CREATING = 'sitrep.creating';

async function openPglite(dir: string): Promise<Db> {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot create the store directory (${(e as NodeJS.ErrnoException).code})`);
  }
  // The lock comes first: what the directory holds is only looked at by its one owner.
  const lock = StoreLock.acquire(dir);
  try {
    const unfinished = fs.existsSync(path.join(dir, CREATING));
    const existed = !unfinished && fs.existsSync(path.join(dir, 'PG_VERSION'));
    if (!existed) {
      const others = fs.readdirSync(dir).filter((f) => f !== 'sitrep.lock' && f !== CREATING);
      if (others.length && !unfinished) throw new InputError(`${dir}: is not a sitrep store and is not empty; give an empty or new directory`);
      for (const f of others) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
      fs.writeFileSync(path.join(dir, CREATING), `${process.pid}\n`);
    }
    const db = await PGlite.create(dir, {
      parsers: { [DATE_OID]: asString, [INT8_OID]: Number, [NUMERIC_OID]: Number },
      ...(existed ? {} : { loadDataDir: await freshCluster() }),
    });
    if (!existed) fs.rmSync(path.join(dir, CREATING));
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
    /** Inside a transaction: the statements sent and not yet answered. */
    private readonly pending: Promise<unknown>[] | null = null,
  ) {}

  async query<T>(sql: string, params: unknown[] = [], opts: { name?: string } = {}): Promise<T[]> {
    return (await this.client.query({ name: opts.name, text: sql, values: params, types: pgTypes })).rows as T[];
  }

  async send(sql: string, params: unknown[] = [], opts: { name?: string } = {}): Promise<void> {
    if (!this.pending) {
      await this.query(sql, params, opts);
      return;
    }
    this.pending.push(sent(this.client.query({ name: opts.name, text: sql, values: params, types: pgTypes })));
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  /**
   * BEGIN goes out with the transaction's first statement and COMMIT with its last sent one
   * (the pool's connections pipeline: a statement is written without waiting for the answer to
   * the one before), so a report's transaction is two round trips, not four.
   */
  async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (!(this.client instanceof pg.Pool)) return fn(this);
    const client = await this.client.connect();
    const pending: Promise<unknown>[] = [sent(client.query('BEGIN'))];
    try {
      const out = await fn(new PostgresDb(client, this.where, pending));
      await Promise.all([...pending, sent(client.query('COMMIT'))]);
      return out;
    } catch (e) {
      // The first statement that failed is the cause: the ones after it only found the
      // transaction aborted (and a COMMIT of an aborted transaction rolls it back).
      const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
      await client.query('ROLLBACK').catch(() => {});
      throw failed ? failed.reason : e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.client instanceof pg.Pool) await this.client.end();
  }
}

/** A statement in flight whose failure is read later (by the transaction), not reported as unhandled. */
function sent<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 4, pipeline: true });
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
