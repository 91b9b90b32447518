// `sitrep watch`, `sources` and `alerts` against a loopback HTTP server (never the internet):
// feeds that change between polls, 304s, errors of every kind, a summary-only item whose
// article is fetched, a followed directory, and alerts raised once and sent signed to a webhook.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config.js';
import { sitrepIn } from './support/cli.js';
import { Store } from '../src/store/store.js';
import { BIN } from './support/cli.js';
import { conditional, loopback } from './support/http.js';
import type { Loopback } from './support/http.js';
import { tempDir } from './support/stores.js';
import { byId, esc, rss } from './support/feeds.js';
import type { Example } from './support/feeds.js';

/** The article page of an example, with page furniture around it. */
function articlePage(e: Example): string {
  const [title, ...rest] = e.text.split('\n\n');
  const nav = '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>';
  return `<!doctype html><html><head><title>${esc(title!)}</title></head><body>${nav}<article><h1>${esc(title!)}</h1>${rest.map((p) => `<p>${esc(p)}</p>`).join('')}</article><footer>Subscribe to our newsletter. Copyright Loopback Wire.</footer></body></html>`;
}

const run = (args: string[]) => sitrepIn(args, '2024-01-01');

async function reports(db: string): Promise<{ url: string | null; title: string | null; published: string; text: string; source: string | null }[]> {
  const s = await Store.open(db);
  try {
    return await s.db.query('SELECT url, title, published::text AS published, text, source FROM reports ORDER BY id');
  } finally {
    await s.close();
  }
}

// One loopback server for the file; each test sets its own routes.
let srv: Loopback;
before(async () => {
  srv = await loopback();
});
after(() => srv.close());

describe('sitrep watch', () => {
  test('a feed polled twice and then changed: each new item ingested once, a summary replaced by its article, 304s answered, errors recorded and the rest followed', async () => {
    const db = path.join(tempDir(), 'db');
    const zaranj = byId('afghanistan-zaranj');
    let feed = { items: [{ e: zaranj, summaryOf: srv.url('/articles/zaranj') }, { e: byId('somalia-mogadishu') }, { e: byId('ukraine-kharkiv') }], etag: '"v1"' };
    srv.routes.set('/feed.xml', conditional(() => ({ body: rss(feed.items), type: 'application/rss+xml', etag: feed.etag })));
    srv.routes.set('/articles/zaranj', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(articlePage(zaranj)));
    srv.routes.set('/error', (_req, res) => void res.writeHead(500).end('boom'));
    srv.routes.set('/broken.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><rss><channel><item><title>x</title></channel></rss>'));
    srv.routes.set('/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 3000));
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>late</p></body></html>');
    });
    srv.routes.set('/huge', (_req, res) => {
      // 50 MB announced by nothing (chunked): the reader must stop at its limit, not buffer it.
      res.writeHead(200, { 'content-type': 'application/xml' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else res.once('drain', more);
      };
      more();
    });
    const bad = ['/error', '/broken.xml', '/slow', '/huge'].map((p) => srv.url(p));
    const args = ['watch', '--once', '--db', db, '--delay', '10ms', '--timeout', '1s', '--max-bytes', String(5 * 1024 * 1024)];

    const t0 = Date.now();
    const first = await run([...args, srv.url('/feed.xml'), ...bad]);
    const firstMs = Date.now() - t0;
    assert.equal(first.code, 1, 'some sources failed');
    assert.match(first.err, /feed\.xml: feed, 3 items, 3 new to sitrep: 3 stored/);
    assert.match(first.err, /\/error: HTTP 500/);
    assert.match(first.err, /broken\.xml: not well-formed XML/);
    assert.match(first.err, /\/slow: cannot be fetched \(timed out\)/);
    assert.match(first.err, /\/huge: the answer is more than the 5242880 bytes/);
    let stored = await reports(db);
    assert.equal(stored.length, 3);
    const z = stored.find((r) => /Zaranj/.test(r.title ?? ''))!;
    assert.ok(z, 'the summary-only item is stored');
    assert.match(z.text, /governor's compound and the police headquarters/, 'with its article text, not the summary');
    assert.doesNotMatch(z.text, /Subscribe to our newsletter|Sport/, 'without the page furniture');
    assert.equal(z.published, zaranj.published, "the feed's date is the publication date");
    const feedGets = () => srv.requests.filter((r) => r.path === '/feed.xml');
    assert.match(String(feedGets()[0]!.headers['user-agent']), /^sitrep\/\d/);

    // A restart: the feed answers 304 to the validators kept in the store; nothing new, no article fetched again.
    const second = await run([...args, srv.url('/feed.xml')]);
    assert.equal(second.code, 0, second.err);
    assert.equal(feedGets().at(-1)!.headers['if-none-match'], '"v1"');
    assert.match(second.err, /feed\.xml: not modified/);
    assert.equal((await reports(db)).length, 3);
    assert.equal(srv.requests.filter((r) => r.path === '/articles/zaranj').length, 1);

    // The feed changes: one item added. Only it is ingested; the known ones are skipped unfetched.
    feed = { items: [{ e: byId('nigeria-jangebe') }, ...feed.items], etag: '"v2"' };
    const third = await run([...args, srv.url('/feed.xml')]);
    assert.equal(third.code, 0, third.err);
    assert.match(third.err, /4 items, 1 new to sitrep: 1 stored/);
    stored = await reports(db);
    assert.equal(stored.length, 4);
    assert.equal(new Set(stored.map((r) => r.text)).size, 4, 'each report once');
    assert.equal(srv.requests.filter((r) => r.path === '/articles/zaranj').length, 1);

    // Validators lost (a server that forgets them): the items are known by their guids, nothing is stored twice.
    feed = { ...feed, etag: '"v3"' };
    const fourth = await run([...args, srv.url('/feed.xml')]);
    assert.match(fourth.err, /4 items, 0 new to sitrep/);

    const health = await run(['sources', '--db', db, '--format', 'json']);
    assert.equal(health.code, 0, health.err);
    const rows = JSON.parse(health.out) as any[];
    const row = (p: string) => rows.find((r) => r.source === srv.url(p));
    assert.equal(row('/feed.xml').kind, 'feed');
    assert.equal(row('/feed.xml').items_seen, 4);
    assert.ok(row('/feed.xml').last_success);
    assert.equal(row('/feed.xml').last_error, null);
    assert.equal(row('/feed.xml').items_per_day, 4);
    for (const p of ['/error', '/broken.xml', '/slow', '/huge']) {
      assert.ok(row(p).last_error, `${p} has its error`);
      assert.equal(row(p).last_success, null);
      assert.equal(row(p).failures, 1);
      assert.ok(Date.parse(row(p).next_poll) > Date.now(), 'and a backoff');
    }
    const table = await run(['sources', '--db', db]);
    assert.match(table.out, /^source\tkind\tlast success\tlast error/);
    assert.match(table.out, /\/error\t-\t-\t\S+ \S+ .*HTTP 500/);
    console.log(`# --once poll of a loopback feed of 3 items (one article fetched) and 4 failing sources: ${firstMs} ms`);
  });

  test('without --once: each source polled on its schedule until SIGINT, then the store closed cleanly', { timeout: 180_000 }, async () => {
    const db = path.join(tempDir(), 'db');
    let feed = { items: [{ e: byId('kenya-nairobi-protest') }], etag: '"l1"' };
    srv.routes.set('/loop.xml', conditional(() => ({ body: rss(feed.items), type: 'application/rss+xml', etag: feed.etag })));
    const child = spawn(process.execPath, [BIN, 'watch', '--db', db, '--every', '1s', '--delay', '0s', srv.url('/loop.xml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const until = async (re: RegExp) => {
      for (let i = 0; i < 1200 && !re.test(err); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(err, re);
    };
    await until(/1 items?, 1 new to sitrep: 1 stored/);
    const polls = () => srv.requests.filter((r) => r.path === '/loop.xml').length;
    const before = polls();
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(polls() > before, 'polled again on its own');
    feed = { items: [{ e: byId('diplomacy-talks') }, ...feed.items], etag: '"l2"' };
    await until(/2 items, 1 new to sitrep: 1 stored/);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 0, err);
    assert.ok(!fs.existsSync(path.join(db, 'sitrep.lock')), 'the store is closed and its lock released');
    assert.equal((await reports(db)).length, 2);
  });

  test('a followed directory: a file is read once, again only when it changes', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const inbox = path.join(dir, 'inbox');
    fs.mkdirSync(inbox);
    const k = byId('kenya-nairobi-protest');
    fs.writeFileSync(path.join(inbox, 'nairobi.txt'), k.text);
    fs.writeFileSync(path.join(inbox, 'broken.jsonl'), '{not json\n');
    const first = await run(['watch', '--once', '--db', db, inbox]);
    assert.match(first.err, /inbox: directory, 2 items, 1 new to sitrep: 1 stored, 0 already known, 1 rejected/);
    const second = await run(['watch', '--once', '--db', db, inbox]);
    assert.match(second.err, /2 items, 0 new to sitrep/);
    fs.appendFileSync(path.join(inbox, 'nairobi.txt'), '\n\nPolice said 12 people were arrested.\n');
    const third = await run(['watch', '--once', '--db', db, inbox]);
    assert.match(third.err, /2 items, 1 new to sitrep: 1 stored/);
  });

  test('bad sources and flags: one line with the place, exit 2', async () => {
    const dir = tempDir();
    const list = path.join(dir, 'sources.txt');
    fs.writeFileSync(list, `# feeds\n${srv.url('/feed.xml')}\nftp://example.org/feed\n`);
    const cases: [string[], RegExp][] = [
      [['watch', '--once', '--sources', list], /sources\.txt:3: "ftp:\/\/example\.org\/feed" is not an http or https URL/],
      [['watch', '--once', path.join(dir, 'nowhere')], /argument 1: ".*nowhere" is neither an http\(s\) URL nor an existing file or directory/],
      [['watch', '--once', '--every', 'often', srv.url('/feed.xml')], /--every "often" is not a duration/],
      [['watch', '--once'], /give sources/],
      [['watch', '--once', '--sources', path.join(dir, 'missing.txt')], /--sources .*missing\.txt: cannot be read \(ENOENT\)/],
    ];
    for (const [args, re] of cases) {
      const r = await run([...args, '--db', path.join(dir, 'db')]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});

describe('alerts', () => {
  test('fire once per change with their events and sources; the webhook gets signed POSTs, retried after a 500', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const rules = path.join(dir, 'alerts.tsv');
    fs.writeFileSync(
      rules,
      ['# name\tarea\tcondition', 'nimroz\tcountry=Afghanistan; admin1=Nimroz\tcontrol changes', 'mass-casualty\t*\tfatalities >= 50', 'kharkiv\tbbox=35,49,38,51\tevent type in Explosions/Remote violence', 'nothing\tcountry=Chad\tfatalities >= 1'].join('\n'),
    );
    let feed = { items: [{ e: byId('afghanistan-zaranj') }, { e: byId('somalia-mogadishu') }], etag: '"a1"' };
    srv.routes.set('/feed.xml', conditional(() => ({ body: rss(feed.items), type: 'application/rss+xml', etag: feed.etag })));
    let hookCalls = 0;
    srv.routes.set('/hook', (_req, res) => {
      hookCalls++;
      // The first delivery fails: it must be retried.
      res.writeHead(hookCalls === 1 ? 500 : 204).end();
    });
    const secret = 'loopback-secret';
    const args = ['watch', '--once', '--db', db, '--delay', '0s', '--alerts', rules, '--webhook', srv.url('/hook'), '--webhook-secret', secret, srv.url('/feed.xml')];
    const first = await run(args);
    assert.equal(first.code, 0, first.err);
    const alerts = first.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(alerts.map((a) => a.rule).sort(), ['mass-casualty', 'nimroz']);
    const nimroz = alerts.find((a) => a.rule === 'nimroz')!;
    assert.equal(nimroz.district.admin2, 'Zaranj');
    assert.equal(nimroz.before.status, 'unknown');
    assert.equal(nimroz.after.controller, 'Taliban');
    assert.ok(nimroz.events.length >= 1 && nimroz.events.every((id: string) => /^AFG[0-9a-z-]+$/.test(id)), 'names its events');
    assert.equal(nimroz.sources[0].source, 'Loopback Wire');
    const mass = alerts.find((a) => a.rule === 'mass-casualty')!;
    assert.equal(mass.events.length, 1);
    assert.match(mass.message, /fatalities/);

    const posts = srv.requests.filter((r) => r.path === '/hook');
    assert.equal(posts.length, 3, 'two alerts, the first sent twice');
    for (const p of posts) {
      const expected = `sha256=${crypto.createHmac('sha256', secret).update(p.body).digest('hex')}`;
      assert.equal(p.headers['x-sitrep-signature'], expected, 'signed with HMAC-SHA256 of the body');
    }
    assert.deepEqual(posts.map((p) => JSON.parse(p.body).id), [alerts[0]!.id, alerts[0]!.id, alerts[1]!.id]);

    // The feed changes; the same Zaranj story comes again from a second item (another guid): no alert again.
    feed = { items: [{ e: byId('ukraine-kharkiv') }, { e: { ...byId('afghanistan-zaranj'), id: 'zaranj-again' } }, ...feed.items], etag: '"a2"' };
    const second = await run(args);
    assert.equal(second.code, 0, second.err);
    const again = second.out.trim() ? second.out.trim().split('\n').map((l) => JSON.parse(l).rule) : [];
    assert.deepEqual(again, ['kharkiv'], 'only the new event matches; the Zaranj change is not raised twice');

    const listed = await run(['alerts', '--db', db, '--since', '2000-01-01']);
    assert.equal(listed.code, 0, listed.err);
    assert.deepEqual(listed.out.trim().split('\n').map((l) => JSON.parse(l).rule).sort(), ['kharkiv', 'mass-casualty', 'nimroz']);
    const none = await run(['alerts', '--db', db, '--since', '2999-01-01']);
    assert.equal(none.out, '');
    const bad = await run(['alerts', '--db', db, '--since', 'yesterday']);
    assert.equal(bad.code, 2);
  });

  test('sitrep ingest --alerts raises them on the same path; the same reports again raise none', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'db');
    const rules = path.join(dir, 'alerts.tsv');
    fs.writeFileSync(rules, 'nimroz\tadmin1=Nimroz\tcontrol changes\nkenya\tcountry=Kenya\tevent type in Protests, Riots\n');
    const batch = path.join(ROOT, 'examples', 'reports.jsonl');
    const first = await run(['ingest', '--db', db, '--no-progress', '--alerts', rules, batch]);
    assert.equal(first.code, 0, first.err);
    const alerts = first.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.deepEqual(alerts.map((a) => a.rule).sort(), ['kenya', 'nimroz']);
    assert.ok(alerts.every((a) => a.events.length && a.sources[0].report_id), 'each names its events and sources');
    assert.match(first.err, /ingested into .*6 new/, 'the summary on stderr, away from the JSON lines');
    const again = await run(['ingest', '--db', db, '--no-progress', '--alerts', rules, batch]);
    assert.equal(again.out, '');
    assert.match(again.err, /6 already known/);
    const bad = await run(['ingest', '--db', db, '--webhook', 'http://127.0.0.1:9/hook', batch]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--webhook needs --alerts FILE/);
  });

  test('a bad rule is one line with its file and line', async () => {
    const dir = tempDir();
    const rules = path.join(dir, 'alerts.tsv');
    fs.writeFileSync(rules, 'ok\t*\tbecomes contested\nbad\tcountry=AF\tfatalities > 3\n');
    const r = await run(['watch', '--once', '--db', path.join(dir, 'db'), '--alerts', rules, dir]);
    assert.equal(r.code, 2);
    assert.match(r.err, /alerts\.tsv:2: condition "fatalities > 3" is not one of/);
  });
});
