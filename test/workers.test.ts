// Scale-out on PostgreSQL: `sitrep watch` queues the poll of a loopback feed of 500 reports, three
// `sitrep worker` processes take the poll and the ingests it queues, one worker is SIGKILLed
// mid-way; every item ends up stored exactly once, and the events are those of one process
// (`sitrep watch --once` into an embedded store) fed the same feed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { escapeHtml } from '../src/ingest/feed.js';
import { Store } from '../src/store/store.js';
import type { StoredEvent } from '../src/store/store.js';
import { syntheticFeed, syntheticReports } from '../scripts/bench-corpus.js';
import { BIN, sitrepIn } from './support/cli.js';
import { loopback } from './support/http.js';
import type { Loopback } from './support/http.js';
import { tempDir } from './support/stores.js';

const PG = process.env.SITREP_TEST_PG;
const ITEMS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every event, by event id. */
async function allEvents(target: string): Promise<StoredEvent[]> {
  const store = await Store.open(target);
  try {
    const out: StoredEvent[] = [];
    let after: string | null = null;
    do {
      const page = await store.events({ after, limit: 10_000 });
      out.push(...page.events);
      after = page.next;
    } while (after);
    return out.sort((a, b) => (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0));
  } finally {
    await store.close();
  }
}

/**
 * What a store holds, in terms that do not depend on the order reports came in: each event as
 * the tellings it merges (report text hash and place in the report) with its merged figures,
 * and each telling as extracted. (An event's wording, place name, evidence and event_id are
 * those of its first telling, which is whichever report a worker stored first.)
 */
async function contents(target: string): Promise<{ events: unknown[]; tellings: unknown[] }> {
  const store = await Store.open(target);
  try {
    const [e] = await store.db.query<{ doc: string }>(
      `SELECT json_agg(x ORDER BY x.tellings)::text AS doc FROM (
         SELECT (SELECT string_agg(r.content_hash || ':' || s.position, ' ' ORDER BY r.content_hash, s.position)
                 FROM event_sources s JOIN reports r ON r.id = s.report_id WHERE s.event_id = e.id) AS tellings,
           e.event_type, e.fatalities, e.certainty, e.confidence, e.first_known, e.source FROM events e) x`,
    );
    const [t] = await store.db.query<{ doc: string }>(
      `SELECT json_agg(json_build_object('telling', r.content_hash || ':' || s.position, 'extracted', s.extracted) ORDER BY r.content_hash, s.position)::text AS doc
       FROM event_sources s JOIN reports r ON r.id = s.report_id`,
    );
    return { events: JSON.parse(e!.doc) as unknown[], tellings: JSON.parse(t!.doc) as unknown[] };
  } finally {
    await store.close();
  }
}

describe('sitrep worker on PostgreSQL', { skip: PG ? false : 'no PostgreSQL server: set SITREP_TEST_PG=postgres://... (.ci/run starts one)' }, () => {
  let server: Loopback;
  let feed: string;
  let url: string;
  let admin: pg.Client;
  let database: string;

  before(async () => {
    const body = syntheticFeed(syntheticReports(ITEMS, 17), escapeHtml);
    server = await loopback();
    server.routes.set('/feed.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
    feed = server.url('/feed.xml');
    // A database of its own: the store's tables and the job queue's schema.
    database = `sitrep_w_${randomBytes(5).toString('hex')}`;
    admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const u = new URL(PG!);
    u.pathname = `/${database}`;
    url = u.toString();
  });

  after(async () => {
    await server?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin?.end();
  });

  test('three workers, one killed mid-way: every item stored once, the events of a single-process run', { timeout: 900_000 }, async () => {
    const queued = await sitrepIn(['watch', '--once', '--db', url, '--delay', '0s', '--job-timeout', '10s', feed], '2024-06-01');
    assert.equal(queued.code, 0, queued.err);
    assert.match(queued.err, /queued a poll of 1 source \(once\)/);

    const workers: { child: ChildProcess; exited: Promise<number | null>; err: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [BIN, 'worker', '--db', url, '--concurrency', '2', '--delay', '0s', '--job-timeout', '10s'], {
        env: { ...process.env, SITREP_WORKER_CHECK_S: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const w = { child, exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))), err: '' };
      child.stderr!.on('data', (d) => (w.err += d));
      workers.push(w);
    }
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    try {
      // Kill one worker once a fifth of the items are in: its jobs in flight expire and are retried.
      const deadline = Date.now() + 840_000;
      while ((await count('SELECT count(*) AS n FROM watch_items')) < ITEMS / 5) {
        assert.ok(Date.now() < deadline, `too slow: ${workers.map((w) => w.err).join('\n')}`);
        await sleep(200);
      }
      workers[0]!.child.kill('SIGKILL');
      assert.equal(await workers[0]!.exited, null, 'killed');
      const left = "SELECT count(*) AS n FROM sitrep_jobs.job WHERE state < 'completed'";
      while ((await count('SELECT count(*) AS n FROM watch_items')) < ITEMS || (await count(left)) > 0) {
        assert.ok(Date.now() < deadline, `not done in time: ${await count('SELECT count(*) AS n FROM watch_items')} items; ${workers.map((w) => w.err).join('\n')}`);
        await sleep(500);
      }
      for (const w of workers.slice(1)) w.child.kill('SIGTERM');
      for (const w of workers.slice(1)) assert.equal(await w.exited, 0, w.err);

      assert.equal(await count('SELECT count(*) AS n FROM reports'), ITEMS, 'each item stored once');
      assert.equal(await count('SELECT count(DISTINCT content_hash) AS n FROM reports'), ITEMS);
      assert.equal(await count('SELECT count(DISTINCT report_id) AS n FROM watch_items'), ITEMS, 'each item names its own report');
      assert.equal(await count("SELECT count(*) AS n FROM sitrep_jobs.job WHERE state = 'failed'"), 0, 'no job gave up');
      assert.ok(workers.slice(1).every((w) => /stopped after \d+ polls and \d+ items/.test(w.err)));
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await db.end();
    }

    const single = path.join(tempDir(), 'db');
    const one = await sitrepIn(['watch', '--once', '--db', single, '--delay', '0s', feed], '2024-06-01');
    assert.equal(one.code, 0, one.err);
    const [expected, got] = [await contents(single), await contents(url)];
    assert.ok(expected.events.length > ITEMS, `the feed tells many events (${expected.events.length})`);
    assert.ok(expected.tellings.length > expected.events.length, 'some events are told by several reports');
    assert.deepEqual(got.tellings, expected.tellings);
    assert.deepEqual(got.events, expected.events);
    // Stored in feed order, the events are the same to the last field and id.
    assert.deepEqual(await allEvents(url), await allEvents(single));
  });
});
