// The store commands: ingest, control, events, timeline, baseline. They read inputs, call the
// pure stages, and hand the results to the store; all output goes through Io.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { loadControlRules, nameKey, unitDistrict } from '../control/claims.js';
import type { District } from '../control/claims.js';
import { InputError } from '../errors.js';
import { loadBoundaries } from '../geo/boundaries.js';
import { checkPublished } from '../ingest/dates.js';
import { decodeInput } from '../ingest/decode.js';
import { readFeedFile } from '../ingest/feed.js';
import { prepareReport } from '../ingest/prepare.js';
import type { ReportItem } from '../ingest/prepare.js';
import { readJsonl } from '../ingest/read.js';
import type { BatchItem } from '../ingest/read.js';
import { controlGeoJson, formatControl } from '../output/control.js';
import type { ControlFormat } from '../output/control.js';
import { formatEvents } from '../output/format.js';
import type { EventFormat } from '../output/format.js';
import { Store } from '../store/store.js';
import type { BaselineRow, StoredEvent } from '../store/store.js';
import type { Io } from './io.js';
import { BATCH_EXT, FEED_EXT, inputKind, REPORT_EXT, resources } from './io.js';

/** `--db`, then SITREP_DB, then .sitrep in the current directory. */
export function dbTarget(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_DB ?? '.sitrep';
}


interface Labelled extends ReportItem {
  /** Where it came from, for messages: "file", "file:line" or "feed item n". */
  origin: string;
}

interface Rejection {
  origin: string;
  reason: string;
}

/** The files a path stands for: itself, or the report, feed and batch files under a directory. */
function filesUnder(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new InputError(`${p}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [p];
  const out: string[] = [];
  for (const name of fs.readdirSync(p).sort()) {
    if (name.startsWith('.')) continue;
    const full = path.join(p, name);
    const ext = path.extname(name).toLowerCase();
    if (fs.statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (REPORT_EXT.has(ext) || FEED_EXT.has(ext) || BATCH_EXT.has(ext)) out.push(full);
  }
  return out;
}

/** A batch or feed item as a report to ingest; the command's --published and --source fill in what the item lacks. */
function labelled(it: BatchItem, fallback: { published: string | null; source: string | null }, origin: string): Labelled {
  return { text: it.text, published: it.published ?? fallback.published, source: it.source ?? fallback.source, url: it.url, title: it.title, filename: null, origin };
}

/** Items of one input (a report, a feed, a JSONL batch); problems with the whole input throw. */
function itemsOf(raw: Buffer, name: string, stdin: boolean, flags: IngestFlags, warn: (s: string) => void, reject: (r: Rejection) => void): Labelled[] {
  const override = { published: flags.published ?? null, source: flags.source ?? null };
  const kind = inputKind(raw, stdin ? null : name);
  if (kind === 'batch') {
    // The store knows a report by its URL or text; a batch line needs no id to be ingested.
    const { value, warnings } = readJsonl(raw, { idsShown: false });
    for (const w of warnings) {
      if (/skipped$/.test(w)) reject({ origin: name, reason: w.replace(/; line skipped$/, '') });
      else warn(`${name}: ${w}`);
    }
    return value.map((it) => labelled(it, override, `${name}:${it.line}`));
  }
  if (kind === 'feed') {
    const { value, warnings } = readFeedFile(raw, name);
    for (const w of warnings) {
      if (/; item skipped$/.test(w)) reject({ origin: name, reason: w.replace(`${name}: `, '').replace(/; item skipped$/, '') });
      else warn(w);
    }
    return value.map((it) => labelled(it, override, `${name} item ${it.line}`));
  }
  return [{ text: raw, ...override, url: null, title: null, filename: stdin ? null : name, origin: name }];
}

/**
 * Why one item failed, for its rejection line: bad input says so itself; anything else is a
 * fault of sitrep's on that item, which must not end the run for the others.
 */
export function itemFailure(e: unknown): string {
  if (e instanceof InputError) return e.message;
  return `internal error on this item (${(e as Error)?.message ?? String(e)}); skipped, please report it`;
}

interface IngestFlags {
  db?: string;
  published?: string;
  source?: string;
  rules?: string[];
  progress?: boolean;
}

export async function runIngest(inputs: string[], flags: IngestFlags, io: Io, isTty: boolean): Promise<number> {
  if (flags.published) checkPublished(flags.published);
  const config = loadConfig(process.env, flags.rules ?? []);
  const rejected: Rejection[] = [];
  const warn = (s: string) => io.err(`sitrep: ${s}\n`);
  const items: Labelled[] = [];
  for (const input of inputs) {
    let files: string[];
    try {
      files = input === '-' ? ['-'] : filesUnder(input);
    } catch (e) {
      // A missing path is one rejection: the other inputs are still ingested.
      if (!(e instanceof InputError)) throw e;
      rejected.push({ origin: input, reason: e.message.replace(`${input}: `, '') });
      continue;
    }
    if (!files.length) rejected.push({ origin: input, reason: 'no report, feed or .jsonl file in this directory' });
    for (const file of files) {
      try {
        const raw = file === '-' ? io.stdin() : fs.readFileSync(file);
        items.push(...itemsOf(raw, file === '-' ? 'stdin' : file, file === '-', flags, warn, (r) => rejected.push(r)));
      } catch (e) {
        if (!(e instanceof InputError) && !(e as NodeJS.ErrnoException).code) throw e;
        rejected.push({ origin: file, reason: e instanceof InputError ? e.message.replace(`${file}: `, '') : `cannot be read (${(e as NodeJS.ErrnoException).code})` });
      }
    }
  }
  const res = resources(config);
  const control = loadControlRules(config);
  const store = await Store.open(dbTarget(flags.db));
  const tally = { read: 0, new: 0, known: 0, nearDuplicates: 0, eventsAdded: 0, eventsMerged: 0, claims: 0 };
  const showProgress = flags.progress ?? isTty;
  // On a terminal the line redraws itself; in a log each report gets its own line.
  const progressEnd = isTty ? '' : '\n';
  try {
    for (const [i, item] of items.entries()) {
      if (showProgress) io.err(`\ringest ${i + 1}/${items.length} ${item.origin.slice(-50).padEnd(50)}${progressEnd}`);
      tally.read++;
      let prepared;
      try {
        const p = prepareReport(item, res, control, io.today());
        for (const w of p.warnings) if (!/^no publication date/.test(w) || !showProgress) warn(`${item.origin}: ${w}`);
        prepared = p.value;
      } catch (e) {
        rejected.push({ origin: item.origin, reason: itemFailure(e) });
        continue;
      }
      let r;
      try {
        r = await store.addReport(prepared);
      } catch (e) {
        // The report's transaction was rolled back; the next one may well be storable.
        rejected.push({ origin: item.origin, reason: `not stored (${(e as Error).message})` });
        continue;
      }
      if (r.status === 'known') tally.known++;
      else {
        tally.new++;
        if (r.nearDuplicateOf) tally.nearDuplicates++;
        tally.eventsAdded += r.eventsAdded;
        tally.eventsMerged += r.eventsMerged;
        tally.claims += r.claims;
      }
    }
    await fillCountries(store, config);
    if (tally.new) await store.analyze();
  } finally {
    if (showProgress && isTty && items.length) io.err('\n');
    await store.close();
  }
  io.out(
    `ingested into ${dbTarget(flags.db)}: ${tally.read} report${tally.read === 1 ? '' : 's'} read, ${tally.new} new (${tally.nearDuplicates} near-duplicate), ` +
      `${tally.known} already known; ${tally.eventsAdded} events added, ${tally.eventsMerged} merged into known events; ${tally.claims} control claims; ${rejected.length} rejected\n`,
  );
  for (const r of rejected) io.err(`sitrep: rejected ${r.origin}: ${r.reason}\n`);
  if (!rejected.length) return 0;
  return tally.read ? 1 : 2;
}

/**
 * Every district of a country with control claims joins the geography, so the control view
 * lists the districts no report has spoken of yet as unknown.
 */
async function fillCountries(store: Store, config: Config): Promise<void> {
  const countries = await store.db.query<{ country: string }>('SELECT DISTINCT country FROM districts');
  const boundaries = loadBoundaries(config);
  const units = boundaries.units(2).filter((u) => countries.some((c) => c.country === u.country));
  await store.addDistricts(units.map(unitDistrict));
}

/** Reads a baseline CSV: country, admin1, admin2, pcode, controller, since; blank fields mean "all". */
export function readBaseline(raw: Buffer, file: string, config: Config): BaselineRow[] {
  const { text } = decodeInput(raw, file);
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, comment: '#' });
  } catch (e) {
    throw new InputError(`${file}: not a CSV file (${(e as Error).message})`);
  }
  const units = loadBoundaries(config).units(2);
  const rows: BaselineRow[] = [];
  records.forEach((r, i) => {
    const line = `${file}:${i + 2}`;
    if (!r.controller) throw new InputError(`${line}: no controller (columns: country, admin1, admin2, pcode, controller, since)`);
    const since = checkPublished(r.since ?? '', `${line}: since`);
    const eq = (a: string, b: string | undefined) => !b || a.toLowerCase() === b.toLowerCase();
    let districts: District[] = units
      .filter((u) => (r.pcode ? u.pcode === r.pcode : eq(u.country, r.country) && (eq(u.admin1, r.admin1) || u.admin1_code === r.admin1) && eq(u.name, r.admin2)))
      .map(unitDistrict);
    if (!districts.length && r.country && r.admin1 && r.admin2) {
      districts = [{ code: r.pcode || nameKey(r.country, r.admin1, r.admin2), country: r.country, admin1: r.admin1, admin1_code: null, admin2: r.admin2 }];
    }
    if (!districts.length) throw new InputError(`${line}: no district matches ${JSON.stringify({ country: r.country, admin1: r.admin1, admin2: r.admin2, pcode: r.pcode })}`);
    for (const district of districts) rows.push({ district, controller: r.controller, since, reason: `baseline ${line}` });
  });
  if (!rows.length) throw new InputError(`${file}: no baseline rows`);
  return rows;
}

/** The demo's second half: ingest the example batch, then print the districts whose control it tells. */
export async function storeDemo(file: string, db: string | undefined, io: Io): Promise<void> {
  io.out(`\n== storing the examples\n`);
  await runIngest([file], { db, progress: false }, io, false);
  const target = dbTarget(db);
  const rows = await withStore(db, async (s) => {
    const range = await s.dateRange();
    return range ? { asOf: range.max, districts: (await s.control({ asOf: range.max })).filter((d) => d.status !== 'unknown') } : null;
  });
  if (rows) io.out(`\n${formatControl(rows.districts, 'table', { asOf: rows.asOf })}`);
  io.out(`\nNext: npx sitrep events --db ${target} --format csv   |   npx sitrep control --db ${target} --as-of YYYY-MM-DD   |   npx sitrep serve --db ${target}\n`);
}

async function withStore<T>(db: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(dbTarget(db));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerStoreCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const dbOption = () => new Option('--db <dir|url>', 'store: a directory (embedded PGlite) or postgres:// URL (default $SITREP_DB or ./.sitrep)');

  program
    .command('ingest')
    .description('extract and store reports (text, HTML, JSONL batches, RSS/Atom feeds, directories); the same report twice is stored once')
    .argument('<inputs...>', 'files or directories, or - for standard input')
    .addOption(dbOption())
    .option('--published <date>', 'publication date YYYY-MM-DD of a report file; for batch lines and feed items, used where they give none')
    .option('--source <name>', 'source name of a report file; for batch lines and feed items, used where they give none')
    .option('--rules <dir...>', 'extra rule directories that extend the built-in rules')
    .option('--progress', 'show progress even when standard error is not a terminal')
    .option('--no-progress', 'no progress line on the terminal')
    .action(async (inputs: string[], flags: IngestFlags) => setExit(await runIngest(inputs, flags, io, !!process.stderr.isTTY)));

  program
    .command('control')
    .description('who controls each district on a date, on what evidence, and whether it is contested')
    .addOption(dbOption())
    .requiredOption('--as-of <date>', 'the date to answer for (YYYY-MM-DD)')
    .option('--known-at <date>', 'use only what had been reported by this date')
    .option('--country <name>', 'only this country')
    .option('--admin1 <name>', 'only this province or state (name or code)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table', 'geojson']).default('json'))
    .action(async (flags: { db?: string; asOf: string; knownAt?: string; country?: string; admin1?: string; format: ControlFormat }) => {
      const asOf = checkPublished(flags.asOf, '--as-of');
      const knownAt = flags.knownAt ? checkPublished(flags.knownAt, '--known-at') : undefined;
      const districts = await withStore(flags.db, (s) => s.control({ asOf, knownAt, country: flags.country, admin1: flags.admin1 }));
      if (flags.format === 'geojson') io.out(JSON.stringify(controlGeoJson(districts, loadBoundaries(loadConfig()), { asOf, knownAt })) + '\n');
      else io.out(formatControl(districts, flags.format, { asOf, knownAt }));
    });

  program
    .command('timeline')
    .description("one district's control history: every claim, oldest first")
    .argument('<district>', 'district name or code (P-code)')
    .addOption(dbOption())
    .option('--known-at <date>', 'use only what had been reported by this date')
    .action(async (district: string, flags: { db?: string; knownAt?: string }) => {
      const knownAt = flags.knownAt ? checkPublished(flags.knownAt, '--known-at') : undefined;
      const t = await withStore(flags.db, (s) => s.timeline(district, knownAt));
      if (!t.district) throw new InputError(`no district "${district}" in the store`);
      io.out(JSON.stringify(t, null, 2) + '\n');
    });

  program
    .command('events')
    .description('the stored events, merged across reports, filtered')
    .addOption(dbOption())
    .option('--from <date>', 'first event date')
    .option('--to <date>', 'last event date')
    .option('--country <name>')
    .option('--admin1 <name>')
    .option('--admin2 <name>')
    .option('--type <type>', 'ACLED event type or sub-event type')
    .option('--known-at <date>', 'only events reported by this date')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'geojson', 'table']).default('json'))
    .action(async (flags: { db?: string; from?: string; to?: string; country?: string; admin1?: string; admin2?: string; type?: string; knownAt?: string; format: EventFormat }) => {
      const from = flags.from ? checkPublished(flags.from, '--from') : undefined;
      const to = flags.to ? checkPublished(flags.to, '--to') : undefined;
      const knownAt = flags.knownAt ? checkPublished(flags.knownAt, '--known-at') : undefined;
      const all: StoredEvent[] = await withStore(flags.db, async (s) => {
        const out: StoredEvent[] = [];
        let after: string | null = null;
        do {
          const page: { events: StoredEvent[]; next: string | null } = await s.events({ from, to, country: flags.country, admin1: flags.admin1, admin2: flags.admin2, type: flags.type, knownAt, after, limit: 5000 });
          out.push(...page.events);
          after = page.next;
        } while (after);
        return out;
      });
      io.out(formatEvents(all, flags.format));
    });

  program
    .command('baseline')
    .description('record initial control that reports then amend (CSV: country,admin1,admin2,pcode,controller,since; blank = all)')
    .argument('<file>', 'baseline CSV file')
    .addOption(dbOption())
    .action(async (file: string, flags: { db?: string }) => {
      let raw: Buffer;
      try {
        raw = fs.readFileSync(file);
      } catch (e) {
        throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code})`);
      }
      const rows = readBaseline(raw, file, loadConfig());
      const n = await withStore(flags.db, (s) => s.addBaseline(rows));
      io.out(`baseline: ${n} district${n === 1 ? '' : 's'} recorded from ${file}\n`);
    });
}
