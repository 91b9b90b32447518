// `sitrep ingest` and `sitrep control` as a user runs them: inputs of every kind, bad inputs
// reported and skipped, the lock on the store, and an ingest killed half-way then re-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../src/config.js';
import { syntheticReports } from '../scripts/bench-corpus.js';
import { BIN, sitrep } from './support/cli.js';
import { tempDir } from './support/stores.js';

const SEED = path.join(ROOT, '..', 'shared', 'seed', '000_7007de8eabc85f4a.txt');

const json = (s: string) => JSON.parse(s) as Record<string, any>;

test('the seed report: three Baghlan districts held by the anti-Taliban side and contested on 2021-08-21', { skip: !fs.existsSync(SEED) && 'needs ../shared (the seed report)' }, () => {
  const db = path.join(tempDir(), 'db');
  const ing = sitrep(['ingest', '--db', db, '--published', '2021-08-21', '--source', 'NewsBytes', SEED]);
  assert.equal(ing.code, 0, ing.err);
  assert.match(ing.out, /1 new/);
  const c = sitrep(['control', '--db', db, '--as-of', '2021-08-21', '--admin1', 'Baghlan', '--format', 'json']);
  assert.equal(c.code, 0, c.err);
  const doc = json(c.out);
  assert.equal(doc.as_of, '2021-08-21');
  const held = doc.districts.filter((d: any) => d.status !== 'unknown');
  assert.deepEqual(held.map((d: any) => d.pcode).sort(), ['AF0907', 'AF0908', 'AF0912'], 'Andarab (Bano), Deh Salah, Pul-e-Hisar');
  for (const d of held) {
    assert.match(d.controller, /anti-taliban/i);
    assert.equal(d.status, 'contested', 'the Taliban are preparing to retake them');
    assert.equal(d.since, '2021-08-21');
    assert.ok(d.evidence.some((e: any) => e.kind === 'contest' && /preparing to retake/.test(e.text)));
  }
  assert.ok(doc.districts.length > 3, 'the rest of the province is listed as unknown');

  // A later report (written for this test) says the Taliban took them back: explicit recapture.
  const later = path.join(path.dirname(db), 'recapture.txt');
  fs.writeFileSync(
    later,
    'Taliban retake districts in Baghlan\n\nTaliban fighters recaptured the Pul-e-Hesar, Deh Salah and Bano districts of Baghlan province on Monday after days of fighting with local militias, a Taliban spokesman said.\n',
  );
  assert.equal(sitrep(['ingest', '--db', db, '--published', '2021-08-24', later]).code, 0);
  const back = json(sitrep(['control', '--db', db, '--as-of', '2021-08-24', '--admin1', 'Baghlan']).out).districts.filter((d: any) => d.status !== 'unknown');
  assert.deepEqual(back.map((d: any) => [d.pcode, d.controller, d.since]).sort(), [
    ['AF0907', 'Taliban', '2021-08-23'],
    ['AF0908', 'Taliban', '2021-08-23'],
    ['AF0912', 'Taliban', '2021-08-23'],
  ]);
  for (const d of back) assert.equal(d.status, 'contested', 'changed hands twice within days');
  const then = json(sitrep(['control', '--db', db, '--as-of', '2021-08-24', '--known-at', '2021-08-21', '--admin1', 'Baghlan']).out).districts;
  assert.match(then.find((d: any) => d.pcode === 'AF0907').controller, /Anti-Taliban/, 'what was known on the 21st');
  const before = json(sitrep(['control', '--db', db, '--as-of', '2021-08-14', '--admin1', 'Baghlan']).out);
  assert.ok(before.districts.every((d: any) => d.status === 'unknown'));
});

test('JSONL, feeds and directories are read; a bad line or file is reported with its place and skipped', () => {
  const dir = tempDir();
  const inputs = path.join(dir, 'in');
  fs.mkdirSync(inputs);
  const lines = [
    JSON.stringify({ text: 'Militants seized the town of Kidal in northern Mali on Monday, residents said.', published: '2023-11-15', source: 'Wire', url: 'urn:a' }),
    '{not json',
    JSON.stringify({ published: '2023-11-15' }),
    JSON.stringify({ text: 'Malian troops recaptured Kidal on Tuesday, the army said.', published: '2023-11-16', source: 'Wire', url: 'urn:b' }),
  ];
  fs.writeFileSync(path.join(inputs, 'batch.jsonl'), lines.join('\n') + '\n');
  fs.writeFileSync(
    path.join(inputs, 'feed.xml'),
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Test Feed</title>
     <item><title>Clashes in Gao</title><link>https://example.org/gao</link><pubDate>Wed, 15 Nov 2023 10:00:00 GMT</pubDate>
     <description><![CDATA[<p>Fighting broke out between the army and armed men in <b>Gao</b> on Tuesday, killing two soldiers, officials said.</p>]]></description></item>
     </channel></rss>`,
  );
  fs.writeFileSync(
    path.join(inputs, 'atom.atom'),
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Test</title><entry><title>Protest in Bamako</title><id>urn:atom:1</id>
     <link href="https://example.org/bamako"/><updated>2023-11-17T08:00:00Z</updated>
     <summary>Hundreds of people protested peacefully in Bamako on Friday against rising prices.</summary></entry></feed>`,
  );
  fs.writeFileSync(path.join(inputs, 'broken.xml'), '<rss><channel><item></rss>');
  fs.writeFileSync(path.join(inputs, 'empty.txt'), '');
  const db = path.join(dir, 'db');
  const r = sitrep(['ingest', '--db', db, inputs]);
  assert.equal(r.code, 1, 'something was rejected');
  assert.match(r.err, /batch\.jsonl: line 2: not valid JSON/);
  assert.match(r.err, /batch\.jsonl: line 3: no "text"/);
  assert.match(r.err, /broken\.xml: not well-formed XML/);
  assert.match(r.err, /empty\.txt/);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  assert.match(r.out, /5 reports read, 4 new.*4 events added, 0 merged/);
  const events = json(sitrep(['events', '--db', db, '--country', 'Mali']).out).events;
  assert.ok(events.some((e: any) => e.location === 'Gao' && e.source === 'Test Feed'), 'the RSS item, its HTML read as HTML');
  assert.ok(events.some((e: any) => e.event_type === 'Protests' && e.event_date === '2023-11-17'), 'the Atom entry, dated by <updated>');
  const kidal = json(sitrep(['control', '--db', db, '--as-of', '2023-11-16', '--country', 'Mali']).out).districts.find((d: any) => /Kidal/.test(d.admin2));
  assert.match(kidal?.controller ?? '', /Military Forces of Mali/);
  const csv = sitrep(['events', '--db', db, '--format', 'csv']);
  assert.match(csv.out.split('\n')[0]!, /^event_id,event_date,/);

  const again = sitrep(['ingest', '--db', db, path.join(inputs, 'batch.jsonl')]);
  assert.match(again.out, /0 new.*2 already known/);
  assert.equal(json(sitrep(['events', '--db', db, '--country', 'Mali']).out).events.length, events.length, 'nothing doubled');
});

test('bad arguments and a store that is not one give one line and exit 2', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'x.txt'), 'not a store');
  const cases: [string[], RegExp][] = [
    [['control', '--db', path.join(dir, 'db'), '--as-of', '2021-02-30'], /--as-of/],
    [['control', '--db', dir, '--as-of', '2021-02-01'], /not a sitrep store/],
    [['ingest', '--db', path.join(dir, 'db'), path.join(dir, 'nope.txt')], /no such file/],
    [['timeline', '--db', path.join(dir, 'db2'), 'Nowhere'], /no district/],
  ];
  for (const [args, message] of cases) {
    const r = sitrep(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
});

test('a second process on an open store is told the store is busy; a stale lock is taken over', async () => {
  const db = path.join(tempDir(), 'db');
  assert.equal(sitrep(['control', '--db', db, '--as-of', '2021-01-01']).code, 0, 'creates the store');
  fs.writeFileSync(path.join(db, 'sitrep.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), since: 'now' }));
  const busy = sitrep(['control', '--db', db, '--as-of', '2021-01-01']);
  assert.equal(busy.code, 2);
  assert.match(busy.err, /store is busy/);
  // A pid that cannot be alive: the lock is stale.
  fs.writeFileSync(path.join(db, 'sitrep.lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), since: 'then' }));
  assert.equal(sitrep(['control', '--db', db, '--as-of', '2021-01-01']).code, 0);
  assert.ok(!fs.existsSync(path.join(db, 'sitrep.lock')), 'released on close');
});

test('an ingest killed half-way loses nothing stored and, run again, finishes without doubling anything', async () => {
  const dir = tempDir();
  const batch = path.join(dir, 'batch.jsonl');
  const reports = syntheticReports(40, 7);
  fs.writeFileSync(batch, reports.map((r, i) => JSON.stringify({ id: `r${i}`, text: r.text, published: r.published, source: 'Synthetic' })).join('\n') + '\n');

  const killed = path.join(dir, 'killed');
  const child = spawn(process.execPath, [BIN, 'ingest', '--progress', '--db', killed, batch], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/ingest 15\/40/.test(err)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`ingest ended before it could be killed: ${err}`)));
  });
  await new Promise((r) => child.once('close', r));

  const rerun = sitrep(['ingest', '--db', killed, batch]);
  assert.equal(rerun.code, 0, rerun.err);
  const m = /40 reports read, (\d+) new.*, (\d+) already known/.exec(rerun.out);
  assert.ok(m, rerun.out);
  assert.ok(Number(m[2]) >= 14, `the reports stored before the kill are kept (${m[2]} known)`);
  assert.equal(Number(m[1]) + Number(m[2]), 40);

  const clean = path.join(dir, 'clean');
  assert.equal(sitrep(['ingest', '--db', clean, batch]).code, 0);
  const dump = (db: string) => json(sitrep(['events', '--db', db]).out).events.map((e: any) => `${e.event_id} ${e.event_date} ${e.sub_event_type} ${e.location} ${e.fatalities} ${e.sources_count}`).sort();
  assert.deepEqual(dump(killed), dump(clean), 'the same events, with the same ids, as an ingest that was never interrupted');
});

test('a baseline CSV sets initial control for a whole country; reports amend it; control also comes as GeoJSON', { skip: !fs.existsSync(SEED) && 'needs ../shared (the seed report)' }, () => {
  const dir = tempDir();
  const db = path.join(dir, 'db');
  const csv = path.join(dir, 'baseline.csv');
  fs.writeFileSync(csv, '# initial control\ncountry,admin1,admin2,pcode,controller,since\nAfghanistan,,,,Taliban,2021-08-15\n');
  const b = sitrep(['baseline', '--db', db, csv]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /399 districts recorded/);
  assert.equal(sitrep(['ingest', '--db', db, '--published', '2021-08-21', SEED]).code, 0);
  const at = (d: string) => json(sitrep(['control', '--db', db, '--as-of', d, '--admin1', 'Baghlan']).out).districts as any[];
  const andarab = (rows: any[]) => rows.find((d) => d.pcode === 'AF0907');
  assert.equal(andarab(at('2021-08-16')).controller, 'Taliban');
  assert.equal(andarab(at('2021-08-14')).status, 'unknown');
  assert.match(andarab(at('2021-08-21')).controller, /Anti-Taliban/);
  assert.ok(at('2021-08-21').filter((d) => d.controller === 'Taliban').length >= 10, 'the rest of Baghlan stays with the baseline');
  const geo = json(sitrep(['control', '--db', db, '--as-of', '2021-08-21', '--format', 'geojson']).out);
  assert.equal(geo.type, 'FeatureCollection');
  assert.equal(geo.features.length, 399);
  const f = geo.features.find((x: any) => x.properties.pcode === 'AF0907');
  assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
  assert.equal(f.properties.status, 'contested');

  fs.writeFileSync(csv, 'country,admin1,admin2,pcode,controller,since\nAfghanistan,Atlantis,,,Taliban,2021-08-15\n');
  const bad = sitrep(['baseline', '--db', db, csv]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /baseline\.csv:2: no district matches/);
  fs.writeFileSync(csv, 'country,admin1,admin2,pcode,controller,since\nAfghanistan,,,,Taliban,15/08/2021\n');
  assert.match(sitrep(['baseline', '--db', db, csv]).err, /baseline\.csv:2: since/);
});

test('one bad item never ends the run: a lone surrogate, NUL in text and source, a missing path, a 10,000-deep page, a broken feed', () => {
  const dir = tempDir();
  const kidal = 'Militants seized the town of Kidal in northern Mali on Monday, residents said.';
  const batch = path.join(dir, 'batch.jsonl');
  fs.writeFileSync(
    batch,
    [
      JSON.stringify({ text: `${kidal} \ud800`, published: '2023-11-15', source: 'Wire', url: 'urn:1' }),
      JSON.stringify({ text: 'Malian troops recaptured Kidal on Tuesday, the army said.', published: '2023-11-16', source: 'Wi\u0000re\u0001', url: 'urn:2' }),
      JSON.stringify({ text: '\u0000\u0000\u0000\u0000\u0000', url: 'urn:3' }),
      JSON.stringify({ text: 'Hundreds of people protested peacefully in Bamako on Friday against rising prices.', published: '2023-11-17', source: 'Wire', url: 'urn:4' }),
    ].join('\n') + '\n',
  );
  const deep = path.join(dir, 'deep.html');
  fs.writeFileSync(deep, '<html><body>' + '<div>'.repeat(10_000) + '<p>Armed men attacked a police post in Gao on 14 November 2023, killing two officers, officials said.</p>' + '</div>'.repeat(10_000) + '</body></html>');
  const feed = path.join(dir, 'feed.xml');
  fs.writeFileSync(
    feed,
    '<rss><channel><title>F</title>\n<item><title>Bad <b>one</title></item>\n<item><title>Protest in Timbuktu</title><link>urn:5</link><pubDate>Fri, 17 Nov 2023 10:00:00 GMT</pubDate><description>Hundreds of people protested peacefully in Timbuktu on Friday against rising prices.</description></item>\n',
  );
  const db = path.join(dir, 'db');
  const r = sitrep(['ingest', '--db', db, batch, path.join(dir, 'missing.jsonl'), deep, feed]);
  assert.equal(r.code, 1, r.err);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
  assert.match(r.err, /batch\.jsonl:1: text: replaced 1 lone UTF-16 surrogate/);
  assert.match(r.err, /batch\.jsonl: line 2: "source" held control characters/);
  assert.match(r.err, /rejected \S*batch\.jsonl:3: text looks binary/);
  assert.match(r.err, /rejected \S*missing\.jsonl: no such file/);
  assert.match(r.err, /rejected \S*feed\.xml: item 1 \(line 2\): not well-formed XML/);
  assert.match(r.out, /6 reports read, 5 new/);
  const events = json(sitrep(['events', '--db', db]).out).events as any[];
  assert.ok(events.some((e) => e.location === 'Kidal' && e.sub_event_type === 'Non-state actor overtakes territory'), 'the surrogate line stored');
  assert.ok(events.some((e) => e.source === 'Wi re'), 'the NUL source stored cleaned');
  assert.ok(events.some((e) => e.location === 'Bamako'), 'the line after the bad ones');
  assert.ok(events.some((e) => e.location === 'Gao'), 'the deep page');
  assert.ok(events.some((e) => e.location === 'Timbuktu'), "the broken feed's good item");
});

test('locks: another host\'s lock is never taken over; a PID alive but started at another time, or a lock from before the boot, is stale', async () => {
  const { processStart } = await import('../src/store/db.js');
  const db = path.join(tempDir(), 'db');
  assert.equal(sitrep(['control', '--db', db, '--as-of', '2021-01-01']).code, 0, 'creates the store');
  const lock = path.join(db, 'sitrep.lock');
  const boot = fs.existsSync('/proc/sys/kernel/random/boot_id') ? fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : null;
  fs.writeFileSync(lock, JSON.stringify({ pid: 4242, host: 'other-box', since: 'then', boot, start: 1 }));
  const other = sitrep(['control', '--db', db, '--as-of', '2021-01-01']);
  assert.equal(other.code, 2);
  assert.match(other.err, /locked by another host.*process 4242 on other-box.*remove \S*sitrep\.lock/);
  assert.ok(fs.existsSync(lock), 'left in place');
  // This test's own process is alive: with its real start time the lock holds, with another it is a reused PID.
  const start = processStart(process.pid);
  fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: 'now', boot, start }));
  assert.match(sitrep(['control', '--db', db, '--as-of', '2021-01-01']).err, /store is busy/);
  if (start !== null) {
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: 'then', boot, start: start + 1 }));
    const reused = sitrep(['control', '--db', db, '--as-of', '2021-01-01']);
    assert.equal(reused.code, 0, reused.err);
  }
  if (boot) {
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: 'then', boot: '00000000-0000-0000-0000-000000000000', start }));
    const rebooted = sitrep(['control', '--db', db, '--as-of', '2021-01-01']);
    assert.equal(rebooted.code, 0, rebooted.err);
  }
  assert.ok(!fs.existsSync(lock), 'released on close');
});

test('a store whose creation was killed is created again, not refused as "not a sitrep store"', () => {
  const db = path.join(tempDir(), 'db');
  // What a kill during creation leaves: the marker, some of the cluster, a lock of a dead process.
  fs.mkdirSync(path.join(db, 'base', '1'), { recursive: true });
  fs.writeFileSync(path.join(db, 'base', '1', '1259'), 'half a file');
  fs.writeFileSync(path.join(db, 'PG_VERSION'), '17\n');
  fs.writeFileSync(path.join(db, 'sitrep.creating'), '99999\n');
  fs.writeFileSync(path.join(db, 'sitrep.lock'), JSON.stringify({ pid: 2 ** 22 + 7, host: os.hostname(), since: 'then' }));
  const r = sitrep(['control', '--db', db, '--as-of', '2021-01-01']);
  assert.equal(r.code, 0, r.err);
  assert.ok(!fs.existsSync(path.join(db, 'sitrep.creating')), 'the marker is gone once the store is made');
  assert.equal(sitrep(['control', '--db', db, '--as-of', '2021-01-01']).code, 0, 'and it opens as a store');
});
