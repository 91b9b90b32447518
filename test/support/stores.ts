// The store implementations every store test runs against: embedded PGlite in a new temporary
// directory, and a PostgreSQL server when SITREP_TEST_PG names one (CI starts one), each store
// in its own schema so tests do not see each other's rows.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Store } from '../../src/store/store.js';
import type { ControlOptions } from '../../src/control/status.js';
import { tempDir } from './tmp.js';

export interface Backend {
  name: string;
  /** A reason to skip, or false. */
  skip: string | false;
  /** A target for a new, empty store (a directory or a URL). */
  target(): Promise<string>;
}

export { tempDir };

const PG = process.env.SITREP_TEST_PG;

export const backends: Backend[] = [
  { name: 'pglite', skip: false, target: async () => path.join(tempDir(), 'db') },
  {
    name: 'postgres',
    skip: PG ? false : 'no PostgreSQL server: set SITREP_TEST_PG=postgres://... (.ci/run starts one)',
    target: async () => {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: PG });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      const url = new URL(PG!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
  },
];

export async function openStore(b: Backend, control?: ControlOptions): Promise<Store> {
  return Store.open(await b.target(), control ? { control } : {});
}

/** A new, empty database on the SITREP_TEST_PG server (the store's tables and the job queue's schema); `drop` removes it. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(PG!);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}
