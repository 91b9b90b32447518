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
import type { ControlRules, District } from '../control/claims.js';
import { InputError } from '../errors.js';
import { loadBoundaries } from '../geo/boundaries.js';
import { checkPublished } from '../ingest/dates.js';
import { decodeInput } from '../ingest/decode.js';
import { readFeedFile, readJsonFeed } from '../ingest/feed.js';
import { prepareReport } from '../ingest/prepare.js';
import type { ReportItem } from '../ingest/prepare.js';
import { acledAdminCodes, acledReport, readAcled } from '../ingest/acled.js';
import { readJsonl } from '../ingest/read.js';
import type { BatchItem } from '../ingest/read.js';
import { controlGeoJson, formatControl } from '../output/control.js';
import type { ControlFormat } from '../output/control.js';
import { formatEvents } from '../output/format.js';
import type { EventFormat } from '../output/format.js';
import { buildBrief } from '../report/brief.js';
import { loadMapData } from '../report/map.js';
import { renderBrief } from '../report/render.js';
import type { BriefFormat } from '../report/render.js';
import { loadBriefWording } from '../report/templates.js';
import { allEvents, readBriefInput } from '../store/brief.js';
import { Store } from '../store/store.js';
import type { AddResult, BaselineRow, PreparedReport, StoredEvent } from '../store/store.js';
import type { Resources } from '../extract/index.js';
import { ALERT_LEASE_MS, Alerting, alertOptions } from './alerting.js';
import type { AlertFlags } from './alerting.js';
import type { Io } from './io.js';
import { BATCH_EXT, FEED_EXT, inputKind, JSON_FEED_EXT, REPORT_EXT, resources, timeLimitOption } from './io.js';
import { deadlineIn } from '../core/deadline.js';

/** `--db`, then SITREP_DB, then .sitrep in the current directory. */
export function dbTarget(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_DB ?? '.sitrep';
}


export interface Labelled extends ReportItem {
  /** Where it came from, for messages: "file", "file:line" or "feed item n". */
  origin: string;
}

export interface Rejection {
  origin: string;
  reason: string;
}

/** The files a path stands for: itself, or the report, feed and batch files under a directory. */
export function filesUnder(p: string): string[] {
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
    else if (REPORT_EXT.has(ext) || FEED_EXT.has(ext) || BATCH_EXT.has(ext) || ext === JSON_FEED_EXT) out.push(full);
  }
  return out;
}

/** A batch or feed item as a report to ingest; the command's --published and --source fill in what the item lacks. */
export function labelled(it: BatchItem, fallback: { published: string | null; source: string | null }, origin: string): Labelled {
  return { text: it.text, published: it.published ?? fallback.published, source: it.source ?? fallback.source, url: it.url, title: it.title, filename: null, origin };
}

/** Items of one input (a report, a feed, a JSONL batch); problems with the whole input throw. */
export function itemsOf(raw: Buffer, name: string, stdin: boolean, flags: Pick<IngestFlags, 'published' | 'source'>, warn: (s: string) => void, reject: (r: Rejection) => void): Labelled[] {
  const override = { published: flags.published ?? null, source: flags.source ?? null };
  const kind = inputKind(raw, stdin ? null : name);
  if (kind === 'jsonfeed') {
    const { text } = decodeInput(raw, name);
    const { value, warnings } = readJsonFeed(text, name);
    for (const w of warnings) warn(w);
    return value.map((it) => labelled(it, override, `${name} item ${it.line}`));
  }
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

interface IngestFlags extends AlertFlags {
  db?: string;
  published?: string;
  source?: string;
  rules?: string[];
  progress?: boolean;
  timeLimit?: number;
}

export async function runIngest(inputs: string[], flags: IngestFlags, io: Io, isTty: boolean): Promise<number> {
  if (flags.published) checkPublished(flags.published);
  const withAlerts = Alerting.fromFlags(flags);
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
  const ctx: IngestContext = { res: resources(config), control: loadControlRules(config), today: io.today(), warn, timeLimit: flags.timeLimit, alertsPendingMs: withAlerts ? ALERT_LEASE_MS : undefined };
  const store = await Store.open(dbTarget(flags.db));
  const alerting = withAlerts?.(store, io) ?? null;
  const tally = newTally();
  const showProgress = flags.progress ?? isTty;
  // On a terminal the line redraws itself; in a log each report gets its own line.
  const progressEnd = isTty ? '' : '\n';
  try {
    await alerting?.catchUp();
    for (const [i, item] of items.entries()) {
      if (showProgress) io.err(`\ringest ${i + 1}/${items.length} ${item.origin.slice(-50).padEnd(50)}${progressEnd}`);
      const r = await ingestItem(store, item, { ...ctx, quietNoDate: showProgress }, tally);
      if ('rejected' in r) rejected.push(r.rejected);
      else if (alerting) for (const a of await alerting.raise(r.prepared, r.result)) await alerting.emit(a);
    }
    await fillCountries(store, config);
    if (tally.new) await store.analyze();
  } finally {
    if (showProgress && isTty && items.length) io.err('\n');
    await store.close();
  }
  // With alerts on standard output (JSON lines), the summary goes to standard error.
  (alerting ? io.err : io.out)(`ingested into ${dbTarget(flags.db)}: ${tallyLine(tally, rejected.length)}\n`);
  for (const r of rejected) io.err(`sitrep: rejected ${r.origin}: ${r.reason}\n`);
  if (!rejected.length) return 0;
  return tally.read ? 1 : 2;
}

export interface IngestContext {
  res: Resources;
  control: ControlRules;
  today: string;
  warn: (s: string) => void;
  /** Seconds one report's extraction may take (none when absent or 0). */
  timeLimit?: number;
  /** Leave out the "no publication date" warning (a progress line is showing). */
  quietNoDate?: boolean;
  /** With alerting on: a new report is marked as having alerts to evaluate, held this long by this process (`Store.addReport`). */
  alertsPendingMs?: number;
  /** Runs after extraction, just before the report is stored (a worker waits for the item before it). */
  before?: (prepared: PreparedReport) => Promise<void>;
}

export type Tally = ReturnType<typeof newTally>;
export const newTally = () => ({ read: 0, new: 0, known: 0, nearDuplicates: 0, eventsAdded: 0, eventsMerged: 0, claims: 0 });

export function tallyLine(t: Tally, rejected: number): string {
  return (
    `${t.read} report${t.read === 1 ? '' : 's'} read, ${t.new} new (${t.nearDuplicates} near-duplicate), ` +
    `${t.known} already known; ${t.eventsAdded} events added, ${t.eventsMerged} merged into known events; ${t.claims} control claims; ${rejected} rejected`
  );
}

/**
 * The one ingest path (`ingest`, `watch`): extract an item and store it, counted in the tally.
 * An item the reader refuses comes back as a rejection with its place.
 */
export async function ingestItem(store: Store, item: Labelled, ctx: IngestContext, tally: Tally): Promise<{ prepared: PreparedReport; result: AddResult } | { rejected: Rejection }> {
  tally.read++;
  let prepared: PreparedReport;
  try {
    const p = prepareReport(item, ctx.res, ctx.control, ctx.today, deadlineIn(ctx.timeLimit));
    for (const w of p.warnings) if (!ctx.quietNoDate || !/^no publication date/.test(w)) ctx.warn(`${item.origin}: ${w}`);
    prepared = p.value;
  } catch (e) {
    return { rejected: { origin: item.origin, reason: itemFailure(e) } };
  }
  await ctx.before?.(prepared);
  let result: AddResult;
  try {
    result = await store.addReport(prepared, { alertsPendingMs: ctx.alertsPendingMs });
  } catch (e) {
    // The report's transaction was rolled back; the next one may well be storable.
    return { rejected: { origin: item.origin, reason: `not stored (${(e as Error).message})` } };
  }
  if (result.status === 'known') tally.known++;
  else {
    tally.new++;
    if (result.nearDuplicateOf) tally.nearDuplicates++;
    tally.eventsAdded += result.eventsAdded;
    tally.eventsMerged += result.eventsMerged;
    tally.claims += result.claims;
  }
  return { prepared, result };
}

/**
 * Every district of a country with control claims joins the geography, so the control view
 * lists the districts no report has spoken of yet as unknown.
 */
export async function fillCountries(store: Store, config: Config): Promise<void> {
  const countries = await store.db.query<{ country: string }>('SELECT DISTINCT country FROM districts');
  const boundaries = loadBoundaries(config);
  const units = boundaries.units(2).filter((u) => countries.some((c) => c.country === u.country));
  await store.addDistricts(units.map(unitDistrict));
}

/** Rows stored per transaction: a failure leaves the chunks before it and nothing of its own. */
const IMPORT_CHUNK = 500;

export async function runImport(file: string, flags: { db?: string; format: string }, io: Io): Promise<number> {
  if (flags.format !== 'acled') throw new InputError(`--format ${flags.format}: only acled is read`);
  const config = loadConfig();
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  const { text } = decodeInput(raw, file);
  const { value } = readAcled(text, path.basename(file), acledAdminCodes(resources(config).gazetteer, loadBoundaries(config).units(2)));
  const rules = loadControlRules(config);
  const tally = { new: 0, known: 0, eventsAdded: 0, eventsMerged: 0, claims: 0 };
  await withStore(flags.db, async (store) => {
    for (let i = 0; i < value.rows.length; i += IMPORT_CHUNK) {
      const results = await store.addReports(value.rows.slice(i, i + IMPORT_CHUNK).map((r) => acledReport(r, rules)));
      for (const r of results) {
        if (r.status === 'known') tally.known++;
        else {
          tally.new++;
          tally.eventsAdded += r.eventsAdded;
          tally.eventsMerged += r.eventsMerged;
          tally.claims += r.claims;
        }
      }
    }
    await fillCountries(store, config);
    if (tally.new) await store.analyze();
  });
  const read = value.rows.length + value.rejected.length;
  io.out(
    `imported into ${dbTarget(flags.db)} from ${file} (ACLED ${value.layout} layout): ${read} row${read === 1 ? '' : 's'} read, ${tally.new} imported ` +
      `(${tally.eventsAdded} new events, ${tally.eventsMerged} merged with known events), ${tally.known} already known; ${tally.claims} control claims; ${value.rejected.length} rejected\n`,
  );
  for (const r of value.rejected) io.err(`sitrep: rejected ${file}:${r.line}: ${r.reason}\n`);
  if (!value.rejected.length) return 0;
  return value.rows.length ? 1 : 2;
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

export async function withStore<T>(db: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(dbTarget(db));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const dbOption = () => new Option('--db <dir|url>', 'store: a directory (embedded PGlite) or postgres:// URL (default $SITREP_DB or ./.sitrep)');

export function registerStoreCommands(program: Command, io: Io, setExit: (code: number) => void): void {

  alertOptions(program
    .command('ingest'))
    .description('extract and store reports (text, HTML, JSONL batches, RSS/Atom feeds, directories); the same report twice is stored once')
    .argument('<inputs...>', 'files or directories, or - for standard input')
    .addOption(dbOption())
    .option('--published <date>', 'publication date YYYY-MM-DD of a report file; for batch lines and feed items, used where they give none')
    .option('--source <name>', 'source name of a report file; for batch lines and feed items, used where they give none')
    .option('--rules <dir...>', 'extra rule directories that extend the built-in rules')
    .option('--progress', 'show progress even when standard error is not a terminal')
    .option('--no-progress', 'no progress line on the terminal')
    .addOption(timeLimitOption())
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
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'jsonl', 'csv', 'acled', 'acled-2020', 'geojson', 'table']).default('json'))
    .action(async (flags: { db?: string; from?: string; to?: string; country?: string; admin1?: string; admin2?: string; type?: string; knownAt?: string; format: EventFormat }) => {
      const from = flags.from ? checkPublished(flags.from, '--from') : undefined;
      const to = flags.to ? checkPublished(flags.to, '--to') : undefined;
      const knownAt = flags.knownAt ? checkPublished(flags.knownAt, '--known-at') : undefined;
      const all: StoredEvent[] = await withStore(flags.db, (s) => allEvents(s, { from, to, country: flags.country, admin1: flags.admin1, admin2: flags.admin2, type: flags.type, knownAt }));
      io.out(formatEvents(all, flags.format));
    });

  program
    .command('import')
    .description('read an ACLED export (current or 2020 layout) into the store: each row an event with ACLED as its source; the same row twice is stored once')
    .argument('<file>', 'ACLED export CSV')
    .addOption(dbOption())
    .addOption(new Option('--format <format>', 'input format').choices(['acled']).makeOptionMandatory())
    .action(async (file: string, flags: { db?: string; format: string }) => setExit(await runImport(file, flags, io)));

  program
    .command('brief')
    .description('a situation brief over the stored events and control claims; every sentence cites its events and reports')
    .addOption(dbOption())
    .option('--country <name>')
    .option('--admin1 <name>', 'province or state (name or code)')
    .option('--admin2 <name>', 'district (name or code)')
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day of the period (YYYY-MM-DD)')
    .option('--known-at <date>', 'write the brief as it could have been written on this date')
    .option('--rules <dir...>', 'extra rule directories (rules/brief/ wording: house style)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html', 'json']).default('md'))
    .action(async (flags: { db?: string; country?: string; admin1?: string; admin2?: string; from: string; to: string; knownAt?: string; rules?: string[]; format: BriefFormat }) => {
      const from = checkPublished(flags.from, '--from');
      const to = checkPublished(flags.to, '--to');
      if (from > to) throw new InputError(`--from ${from} is after --to ${to}`);
      const knownAt = flags.knownAt ? checkPublished(flags.knownAt, '--known-at') : undefined;
      const config = loadConfig(process.env, flags.rules ?? []);
      const wording = loadBriefWording(config);
      const input = await withStore(flags.db, (s) => readBriefInput(s, { country: flags.country, admin1: flags.admin1, admin2: flags.admin2, from, to, knownAt }));
      const { value, warnings } = buildBrief(input, wording);
      for (const w of warnings) io.err(`sitrep: ${w}\n`);
      io.out(renderBrief(value, flags.format, flags.format === 'html' ? loadMapData(config, loadBoundaries(config)) : undefined));
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
