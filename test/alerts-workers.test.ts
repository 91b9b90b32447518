// Alerts raised by `sitrep worker` processes on a PostgreSQL store: two workers (two jobs at a
// time each) take one loopback feed; each alert is fired once (one row in the store, one JSON
// line from one worker, one webhook POST) with its events and sources, and the alerts are those
// of one process (`sitrep watch --once --alerts` into an embedded store) fed the same feed. And
// what a report changed in control does not depend on what other workers stored meanwhile.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { syntheticReports } from '../scripts/bench-corpus.js';
import { Alerting } from '../src/cli/alerting.js';
import type { Io } from '../src/cli/io.js';
import { loadConfig } from '../src/config.js';
import { loadControlRules } from '../src/control/claims.js';
import { loadResources } from '../src/extract/index.js';
import { prepareReport } from '../src/ingest/prepare.js';
import { Store } from '../src/store/store.js';
import { sitrepIn, spawnSitrep } from './support/cli.js';
import { examples, rss } from './support/feeds.js';
import { loopback } from './support/http.js';
import type { Loopback } from './support/http.js';
import { freshDatabase, tempDir } from './support/stores.js';

const PG = process.env.SITREP_TEST_PG;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An alert as any store would raise it: without its id and time, its report named by text hash. */
async function comparable(target: string, lines: string[]): Promise<string[]> {
  const store = await Store.open(target);
  try {
    const hashes = new Map((await store.db.query<{ id: number; content_hash: string }>('SELECT id, content_hash FROM reports')).map((r) => [Number(r.id), r.content_hash]));
    return lines
      .map((l) => {
        const { id: _id, fired_at: _at, sources, ...rest } = JSON.parse(l) as { id: number; fired_at: string; sources: { report_id: number }[] };
        return JSON.stringify({ ...rest, sources: sources.map(({ report_id, ...s }) => ({ ...s, report: hashes.get(report_id) })) });
      })
      .sort();
  } finally {
    await store.close();
  }
}

describe('alerts raised by workers on PostgreSQL', { skip: PG ? false : 'no PostgreSQL server: set SITREP_TEST_PG=postgres://... (.ci/run starts one)' }, () => {
  let srv: Loopback;
  let db: { url: string; drop: () => Promise<void> };
  let rules: string;
  const lines = (s: string) => s.split('\n').filter(Boolean);

  before(async () => {
    // The examples (a district changes hands, a mass-casualty bombing, a protest) among synthetic wire reports.
    const synthetic = syntheticReports(24, 7);
    const items = [...synthetic.slice(0, 8), ...examples, ...synthetic.slice(8)].map((e) => ({ e }));
    srv = await loopback();
    srv.routes.set('/feed.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
    srv.routes.set('/hook', (_req, res) => void res.writeHead(204).end());
    db = await freshDatabase('sitrep_alerts');
    rules = path.join(tempDir(), 'alerts.tsv');
    fs.writeFileSync(rules, ['nimroz\tcountry=Afghanistan; admin1=Nimroz\tcontrol changes', 'mass-casualty\t*\tfatalities >= 30', 'kenya\tcountry=Kenya\tevent type in Protests, Riots', 'nothing\tcountry=Chad\tfatalities >= 1', ''].join('\n'));
  });

  after(async () => {
    await srv?.close();
    await db?.drop();
  });

  test('two workers fire each alert once, with its events and sources, as one process does', { timeout: 300_000 }, async () => {
    const hook = srv.url('/hook');
    const refused = await sitrepIn(['watch', '--once', '--db', db.url, '--alerts', rules, srv.url('/feed.xml')], '2024-06-01');
    assert.equal(refused.code, 2, 'on PostgreSQL the workers raise alerts, not watch');
    assert.match(refused.err, /give --alerts \(and --webhook\) to sitrep worker/);
    const queued = await sitrepIn(['watch', '--once', '--db', db.url, '--delay', '0s', srv.url('/feed.xml')], '2024-06-01');
    assert.equal(queued.code, 0, queued.err);

    const workers = [1, 2].map(() =>
      spawnSitrep(['worker', '--db', db.url, '--concurrency', '2', '--delay', '0s', '--job-timeout', '20s', '--alerts', rules, '--webhook', hook], { SITREP_WORKER_CHECK_S: '1' }),
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
    const total = 24 + examples.length;
    try {
      const deadline = Date.now() + 270_000;
      while ((await count('SELECT count(*) AS n FROM watch_items')) < total || (await count("SELECT count(*) AS n FROM sitrep_jobs.job WHERE state < 'completed'")) > 0) {
        assert.ok(Date.now() < deadline, `not done in time: ${workers.map((w) => w.err).join('\n')}`);
        await sleep(300);
      }
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) assert.equal(await w.exited, 0, w.err);
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }

    try {
      // Once: one stored alert per change or event, each written by one worker and POSTed once.
      const stored = (await client.query<{ id: string; dedup_key: string }>('SELECT id::text, dedup_key FROM alerts ORDER BY id')).rows;
      const printed = workers.flatMap((w) => lines(w.out));
      assert.ok(stored.length >= 3, `alerts raised (${stored.length})`);
      assert.deepEqual(printed.map((l) => String(JSON.parse(l).id)).sort(), stored.map((a) => a.id).sort(), 'each stored alert printed once');
      const posted = srv.requests.filter((r) => r.path === '/hook').map((r) => String(JSON.parse(r.body).id));
      assert.deepEqual(posted.sort(), stored.map((a) => a.id).sort(), 'each alert POSTed once');

      // Each names its events (stored, and told by the report it names) and its sources.
      const alerts = printed.map((l) => JSON.parse(l) as { rule: string; events: string[]; sources: { report_id: number; source: string | null }[]; district?: { admin2: string } });
      assert.deepEqual([...new Set(alerts.map((a) => a.rule))].sort(), ['kenya', 'mass-casualty', 'nimroz']);
      assert.equal(alerts.find((a) => a.rule === 'nimroz')!.district!.admin2, 'Zaranj');
      for (const a of alerts) {
        assert.ok(a.events.length >= 1, `${a.rule}: names its events`);
        assert.equal(a.sources.length, 1);
        assert.equal(a.sources[0]!.source, 'Loopback Wire');
        const told = await count(`SELECT count(*) AS n FROM event_sources s JOIN events e ON e.id = s.event_id WHERE s.report_id = ${Number(a.sources[0]!.report_id)} AND e.event_id = ANY('{${a.events.join(',')}}')`);
        assert.ok(told >= 1, `${a.rule}: its events are told by its report`);
      }

      // The alerts of a single process fed the same feed.
      const single = path.join(tempDir(), 'db');
      const one = await sitrepIn(['watch', '--once', '--db', single, '--delay', '0s', '--alerts', rules, srv.url('/feed.xml')], '2024-06-01');
      assert.equal(one.code, 0, one.err);
      assert.deepEqual(await comparable(db.url, printed), await comparable(single, lines(one.out)));
    } finally {
      await client.end();
    }
  });
});

describe('alerts of reports stored side by side', () => {
  test('what a report changed is control without and with its claims, whatever was stored after it before its alerts', async () => {
    const config = loadConfig();
    const [res, control] = [loadResources(config), loadControlRules(config)];
    const prepare = (text: string, published: string) => prepareReport({ text, published, source: 'Test Wire', url: null, title: null, filename: null }, res, control, published).value;
    const dir = tempDir();
    const rules = path.join(dir, 'alerts.tsv');
    fs.writeFileSync(rules, 'kandahar\tadmin1=Kandahar\tcontrol changes\n');
    const store = await Store.open(path.join(dir, 'db'));
    const io: Io = { out: () => {}, err: () => {}, stdin: () => Buffer.alloc(0), today: () => '2021-07-01' };
    const alerting = Alerting.fromFlags({ alerts: rules }, {})!(store, io);
    type Change = { before: { controller: string | null }; after: { controller: string | null } };
    try {
      const taken = prepare('Taliban fighters seized Arghandab district in Kandahar province on Monday after heavy fighting with government forces, local officials said.', '2021-06-08');
      const first = (await alerting.raise(taken, await store.addReport(taken))) as Change[];
      assert.equal(first.length, 1);
      assert.equal(first[0]!.before.controller, null);
      // Two workers: one stores the retaking, the other the Taliban's return, before the first raises its alerts.
      const retaken = prepare('Afghan security forces retook Arghandab district in Kandahar province on Thursday, driving out Taliban fighters who had captured it last week, the defence ministry said.', '2021-06-18');
      // The same day (so within the first one's view of control on its date), a day later in the store.
      const back = prepare('Taliban fighters recaptured Arghandab district in Kandahar province on Friday evening after heavy fighting with government forces, local officials said.', '2021-06-18');
      const [r1, r2] = [await store.addReport(retaken), await store.addReport(back)];
      const [second] = (await alerting.raise(retaken, r1)) as Change[];
      assert.match(second!.before.controller ?? '', /Taliban/, 'before the retaking: the Taliban');
      assert.match(second!.after.controller ?? '', /Military Forces/, 'after it: the army, not what the later report says');
      const [third] = (await alerting.raise(back, r2)) as Change[];
      assert.match(third!.before.controller ?? '', /Military Forces/, 'before the return: the army, as the retaking left it');
      assert.match(third!.after.controller ?? '', /Taliban/);
    } finally {
      await store.close();
    }
  });
});
