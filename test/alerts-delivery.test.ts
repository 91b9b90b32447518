// Alerts that survive a crash, on both stores: a report stored with alerting on but whose
// alerts were never evaluated (its process died in between) has them raised on the next start
// or round, once; an alert the webhook did not take is sent again, once a round, the same
// signed body with its id, until it is taken; several processes on PostgreSQL send each once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Alerting, ALERT_LEASE_MS } from '../src/cli/alerting.js';
import type { Io } from '../src/cli/io.js';
import { loadConfig } from '../src/config.js';
import { loadControlRules } from '../src/control/claims.js';
import { loadResources } from '../src/extract/index.js';
import { prepareReport } from '../src/ingest/prepare.js';
import { Store } from '../src/store/store.js';
import type { PreparedReport } from '../src/store/store.js';
import { sitrepIn, spawnSitrep } from './support/cli.js';
import { byId, rss } from './support/feeds.js';
import { loopback } from './support/http.js';
import type { Loopback } from './support/http.js';
import { backends, freshDatabase, openStore, tempDir } from './support/stores.js';

const config = loadConfig();
const [res, control] = [loadResources(config), loadControlRules(config)];
const prepare = (text: string, published: string): PreparedReport => prepareReport({ text, published, source: 'Test Wire', url: null, title: null, filename: null }, res, control, published).value;
const TAKEN = 'Taliban fighters seized Arghandab district in Kandahar province on Monday after heavy fighting with government forces, local officials said.';
const BOMBING = 'A suicide car bomb killed at least 40 people at a market in Mogadishu, Somalia, on Saturday, police said. Al-Shabaab claimed the attack.';
const SECRET = 'loopback-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rulesFile(): string {
  const file = path.join(tempDir(), 'alerts.tsv');
  fs.writeFileSync(file, 'kandahar\tadmin1=Kandahar\tcontrol changes\nmass-casualty\t*\tfatalities >= 30\n');
  return file;
}

/** An Io that keeps what is printed. */
function capture(): Io & { lines: () => Record<string, unknown>[]; errors: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => (out += s),
    err: (s) => (err += s),
    stdin: () => Buffer.alloc(0),
    today: () => '2021-07-01',
    lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    errors: () => err,
  };
}

/** An alert as any process would raise it: without its id, time and report row. */
const comparable = (a: Record<string, unknown>) => {
  const { id: _id, fired_at: _at, sources, ...rest } = a as { id: number; fired_at: string; sources: { report_id: number }[] };
  return { ...rest, sources: sources.map(({ report_id: _r, ...s }) => s) };
};

const pending = async (store: Store) => Number((await store.db.query<{ n: number }>('SELECT count(*) AS n FROM alerts_pending'))[0]!.n);

for (const b of backends) {
  describe(`alerts after a crash (${b.name})`, { skip: b.skip }, () => {
    let srv: Loopback;
    let hookUp = false;
    before(async () => {
      srv = await loopback();
      srv.routes.set('/hook', (_req, res) => void res.writeHead(hookUp ? 204 : 500).end());
    });
    after(() => srv?.close());

    test('a report stored but not evaluated has its alerts raised on the next catch-up, once, as they would have been', async () => {
      const rules = rulesFile();
      const store = await openStore(b);
      try {
        // The process stored the report (marked in the same transaction) and died; its hold ran out.
        const taken = prepare(TAKEN, '2021-06-08');
        const r = await store.addReport(taken, { alertsPendingMs: 0 });
        assert.equal(await pending(store), 1, 'the report is marked in its own transaction');
        assert.equal((await store.follow.alerts()).length, 0);

        const io = capture();
        await Alerting.fromFlags({ alerts: rules }, {})!(store, io).catchUp();
        const raised = io.lines();
        assert.equal(raised.length, 1, io.errors());
        assert.equal(raised[0]!.rule, 'kandahar');
        assert.equal((raised[0]!.district as { admin2: string }).admin2, 'Arghandab');
        assert.deepEqual((raised[0]!.sources as { report_id: number }[])[0]!.report_id, r.reportId);
        assert.equal(await pending(store), 0, 'the mark goes with the alerts kept');

        // What the process that died would have raised: the same alert.
        const other = await openStore(b);
        try {
          const live = Alerting.fromFlags({ alerts: rules }, {})!(other, capture());
          const fresh = await live.raise(taken, await other.addReport(taken, { alertsPendingMs: ALERT_LEASE_MS }));
          assert.deepEqual(fresh.map(comparable), raised.map(comparable));
        } finally {
          await other.close();
        }

        // Again: nothing left to raise.
        const io2 = capture();
        await Alerting.fromFlags({ alerts: rules }, {})!(store, io2).catchUp();
        assert.deepEqual(io2.lines(), []);
        assert.equal((await store.follow.alerts()).length, 1);
      } finally {
        await store.close();
      }
    });

    test('an alert the webhook did not take is sent again on a later round, the same signed body, until it is taken', async () => {
      const rules = rulesFile();
      const store = await openStore(b);
      const hook = srv.url('/hook');
      const posts = () => srv.requests.filter((r) => r.path === '/hook');
      const before = posts().length;
      try {
        hookUp = false;
        const io = capture();
        // A short round, so a failed delivery may be tried again a moment later.
        const make = () => Alerting.fromFlags({ alerts: rules, webhook: hook, webhookSecret: SECRET }, {})!(store, io, { roundMs: 200 });
        const alerting = make();
        const bombing = prepare(BOMBING, '2024-06-01');
        const fired = await alerting.raise(bombing, await store.addReport(bombing, { alertsPendingMs: ALERT_LEASE_MS }));
        assert.equal(fired.length, 1);
        for (const a of fired) await alerting.emit(a);
        assert.equal(posts().length - before, 4, 'four tries, all refused');
        assert.match(io.errors(), /not delivered: webhook .*HTTP 500; it is sent again later/);
        const [row] = await store.db.query<{ delivered_at: string | null; attempts: number; last_error: string | null }>('SELECT delivered_at, attempts, last_error FROM alerts');
        assert.equal(row!.delivered_at, null);
        assert.equal(Number(row!.attempts), 1);
        assert.match(row!.last_error ?? '', /HTTP 500/);

        // The hook is back; the next round (or a restart) sends it, once.
        hookUp = true;
        await sleep(150);
        await make().catchUp();
        const sent = posts().slice(before);
        assert.equal(sent.length, 5);
        const last = sent[4]!;
        assert.equal(last.body, sent[0]!.body, 'the same body as before');
        assert.equal(last.headers['x-sitrep-signature'], `sha256=${crypto.createHmac('sha256', SECRET).update(last.body).digest('hex')}`);
        assert.equal(last.headers['x-sitrep-alert-id'], String(fired[0]!.id), 'the alert id in a header');
        assert.equal(JSON.parse(last.body).id, fired[0]!.id, 'and in the body');
        assert.equal(io.lines().length, 1, 'a re-sent alert is not printed again');
        const [done] = await store.db.query<{ delivered_at: string | null; attempts: number; last_error: string | null }>('SELECT delivered_at, attempts, last_error FROM alerts');
        assert.ok(done!.delivered_at);
        assert.equal(Number(done!.attempts), 2);
        assert.equal(done!.last_error, null);

        await sleep(150);
        await make().catchUp();
        assert.equal(posts().length - before, 5, 'a delivered alert is not sent again');
      } finally {
        await store.close();
      }
    });
  });
}

const PG = process.env.SITREP_TEST_PG;

describe('alerts after a crash, several processes on PostgreSQL', { skip: PG ? false : 'no PostgreSQL server: set SITREP_TEST_PG=postgres://... (.ci/run starts one)' }, () => {
  const pg = backends.find((b) => b.name === 'postgres')!;
  let srv: Loopback;
  before(async () => {
    srv = await loopback();
    srv.routes.set('/hook', (_req, res) => void res.writeHead(204).end());
  });
  after(() => srv?.close());

  test('two processes catching up at once send each undelivered alert once and raise a pending report once', async () => {
    const rules = rulesFile();
    const target = await pg.target();
    const [s1, s2] = [await Store.open(target), await Store.open(target)];
    try {
      for (let i = 0; i < 6; i++) await s1.follow.addAlert({ key: `k${i}`, rule: 'r', condition: 'fatalities >= 1', reportId: null, alert: { rule: 'r', message: `alert ${i}` } }, 0);
      await s1.addReport(prepare(TAKEN, '2021-06-08'), { alertsPendingMs: 0 });
      // A report another live process holds is left to it.
      await s1.addReport(prepare(BOMBING, '2024-06-01'), { alertsPendingMs: ALERT_LEASE_MS });
      const hook = srv.url('/hook');
      const [io1, io2] = [capture(), capture()];
      const a1 = Alerting.fromFlags({ alerts: rules, webhook: hook }, {})!(s1, io1);
      const a2 = Alerting.fromFlags({ alerts: rules, webhook: hook }, {})!(s2, io2);
      await Promise.all([a1.catchUp(), a2.catchUp()]);
      const raised = [...io1.lines(), ...io2.lines()];
      assert.deepEqual(raised.map((a) => a.rule), ['kandahar'], 'the pending report raised by one of them');
      const ids = srv.requests.filter((r) => r.path === '/hook').map((r) => Number(r.headers['x-sitrep-alert-id']));
      assert.equal(ids.length, 7, 'six stored alerts and the raised one, each sent once');
      assert.equal(new Set(ids).size, 7);
      assert.equal(await pending(s1), 1, 'the held report stays marked');
    } finally {
      await s1.close();
      await s2.close();
    }
  });
});

describe('sitrep watch and worker catch up on start', () => {
  let srv: Loopback;
  let hookUp = false;
  before(async () => {
    srv = await loopback();
    srv.routes.set('/feed.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ e: byId('somalia-mogadishu') }])));
    srv.routes.set('/hook', (_req, res) => void res.writeHead(hookUp ? 204 : 503).end());
  });
  after(() => srv?.close());
  const hookPosts = () => srv.requests.filter((r) => r.path === '/hook');

  test('watch: an alert not delivered in one run is delivered when the next starts', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const rules = rulesFile();
    const args = ['watch', '--once', '--db', db, '--delay', '0s', '--alerts', rules, '--webhook', srv.url('/hook'), '--webhook-secret', SECRET, srv.url('/feed.xml')];
    hookUp = false;
    const first = await sitrepIn(args, '2024-06-01');
    assert.equal(first.code, 0, first.err);
    const [alert] = first.out.trim().split('\n').map((l) => JSON.parse(l) as { id: number; rule: string });
    assert.equal(alert!.rule, 'mass-casualty');
    assert.match(first.err, /not delivered/);
    const refused = hookPosts().length;
    assert.equal(refused, 4);

    hookUp = true;
    const second = await sitrepIn(args, '2024-06-01');
    assert.equal(second.code, 0, second.err);
    assert.equal(second.out, '', 'nothing new raised');
    assert.equal(hookPosts().length, refused + 1);
    const sent = hookPosts().at(-1)!;
    assert.equal(JSON.parse(sent.body).id, alert!.id);
    assert.equal(sent.body, hookPosts()[0]!.body);

    const third = await sitrepIn(args, '2024-06-01');
    assert.equal(third.code, 0, third.err);
    assert.equal(hookPosts().length, refused + 1, 'sent once');
  });

  test('worker: two workers started on a store a dead worker left send its alerts and raise its report once', { skip: PG ? false : 'no PostgreSQL server', timeout: 120_000 }, async () => {
    hookUp = true;
    const db = await freshDatabase('sitrep_alerts_catchup');
    const rules = rulesFile();
    try {
      const store = await Store.open(db.url);
      try {
        // What a dead worker left: a stored alert not delivered, a stored report not evaluated (their holds ran out).
        await store.follow.addAlert({ key: 'left', rule: 'mass-casualty', condition: 'fatalities >= 30', reportId: null, alert: { rule: 'mass-casualty', message: 'left behind' } }, 0);
        await store.addReport(prepare(TAKEN, '2021-06-08'), { alertsPendingMs: 0 });
      } finally {
        await store.close();
      }
      const before = hookPosts().length;
      const workers = [1, 2].map(() => spawnSitrep(['worker', '--db', db.url, '--alerts', rules, '--webhook', srv.url('/hook')], { SITREP_WORKER_CHECK_S: '1' }));
      try {
        const deadline = Date.now() + 90_000;
        while (hookPosts().length - before < 2 || !workers.every((w) => /taking jobs/.test(w.err))) {
          assert.ok(Date.now() < deadline, workers.map((w) => w.err).join('\n'));
          await sleep(200);
        }
        for (const w of workers) w.child.kill('SIGTERM');
        for (const w of workers) assert.equal(await w.exited, 0, w.err);
      } finally {
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      }
      const sent = hookPosts().slice(before);
      assert.equal(sent.length, 2, 'each alert sent once');
      assert.deepEqual(sent.map((p) => JSON.parse(p.body).rule).sort(), ['kandahar', 'mass-casualty']);
      const printed = workers.flatMap((w) => w.out.split('\n').filter(Boolean)).map((l) => JSON.parse(l).rule);
      assert.deepEqual(printed, ['kandahar'], 'the left report raised (and printed) by one worker');
    } finally {
      await db.drop();
    }
  });
});
