// Workers and a watch started together on a new, empty PostgreSQL database: one of them applies
// the store's migrations and creates the job queue's schema, the others wait their turn and find
// them done; all come up, and the schema is the one a single process makes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from '../src/config.js';
import { Store } from '../src/store/store.js';
import { spawnSitrep } from './support/cli.js';
import { byId, rss } from './support/feeds.js';
import { loopback } from './support/http.js';
import { backends, freshDatabase } from './support/stores.js';

const PG = process.env.SITREP_TEST_PG;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The tables, columns, indexes and functions of the store's schema, as one text. */
async function schemaOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const parts: string[] = [];
    for (const sql of [
      "SELECT table_name || '.' || column_name || ' ' || data_type AS x FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1",
      'SELECT indexdef AS x FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname',
      'SELECT p.proname AS x FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() ORDER BY 1',
      "SELECT version || ' ' || name AS x FROM schema_migrations ORDER BY version",
    ]) {
      parts.push(...(await client.query<{ x: string }>(sql)).rows.map((r) => r.x.replace(/\b(ON|FROM) \w+\./g, '$1 ')));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('a first start of several processes at once', { skip: PG ? false : 'no PostgreSQL server: set SITREP_TEST_PG=postgres://... (.ci/run starts one)' }, () => {
  test('three workers and a watch started together on an empty database all come up; the schema is made once', { timeout: 180_000 }, async () => {
    const db = await freshDatabase('sitrep_start');
    const srv = await loopback();
    srv.routes.set('/feed.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ e: byId('kenya-nairobi-protest') }])));
    const common = ['--db', db.url, '--delay', '0s', '--job-timeout', '20s'];
    const workers = [1, 2, 3].map(() => spawnSitrep(['worker', ...common, '--concurrency', '1'], { SITREP_WORKER_CHECK_S: '1' }));
    const watch = spawnSitrep(['watch', '--once', ...common, srv.url('/feed.xml')]);
    const all = () => [...workers, watch].map((c) => c.err).join('\n');
    const client = new pg.Client({ connectionString: db.url });
    try {
      assert.equal(await watch.exited, 0, all());
      assert.match(watch.err, /queued a poll of 1 source/);
      const deadline = Date.now() + 150_000;
      while (!workers.every((w) => /taking jobs from/.test(w.err))) {
        assert.ok(workers.every((w) => w.child.exitCode === null), `a worker stopped: ${all()}`);
        assert.ok(Date.now() < deadline, `not all up in time: ${all()}`);
        await sleep(100);
      }
      // They work: the queued poll is taken and its item stored, once.
      await client.connect();
      const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
      while ((await count('SELECT count(*) AS n FROM watch_items')) < 1 || (await count("SELECT count(*) AS n FROM sitrep_jobs.job WHERE state < 'completed'")) > 0) {
        assert.ok(Date.now() < deadline, `the poll was not done in time: ${all()}`);
        await sleep(200);
      }
      assert.equal(await count('SELECT count(*) AS n FROM reports'), 1);
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) assert.equal(await w.exited, 0, w.err);
      assert.doesNotMatch(all(), /error/i, 'no process met an error');

      // Every migration applied once, the same schema as one process makes alone; the queue's schema and queues there.
      const versions = fs.readdirSync(path.join(ROOT, 'src', 'store', 'migrations')).filter((f) => /^\d+_.*\.sql$/.test(f)).length;
      assert.equal(await count('SELECT count(*) AS n FROM schema_migrations'), versions);
      const alone = await backends.find((b) => b.name === 'postgres')!.target();
      await (await Store.open(alone)).close();
      assert.equal(await schemaOf(db.url), await schemaOf(alone));
      const queues = (await client.query("SELECT name, policy FROM sitrep_jobs.queue ORDER BY name")).rows;
      assert.deepEqual(queues, [{ name: 'sitrep-ingest', policy: 'stately' }, { name: 'sitrep-poll', policy: 'stately' }]);
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await client.end().catch(() => {});
      await srv.close();
      await db.drop();
    }
  });
});
