// `sitrep watch`, `sitrep sources`, `sitrep alerts`: following feeds, pages and directories into
// the store, with the state of each source kept in the store (so a restart resumes), and alerts
// raised on what each new report changes. The network is used only here, only when asked.
import fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { loadControlRules } from '../control/claims.js';
import { InputError } from '../errors.js';
import { readArticle } from '../follow/article.js';
import { PoliteClient } from '../follow/http.js';
import type { Fetched } from '../follow/http.js';
import { backoffMs, DEFAULT_BACKOFF, itemKey, parseDuration, parseSourceList, sourceSpec } from '../follow/sources.js';
import type { Backoff, SourceSpec } from '../follow/sources.js';
import { JobQueue } from '../follow/queue.js';
import type { IngestJob } from '../follow/queue.js';
import { checkPublished } from '../ingest/dates.js';
import { decodeInput } from '../ingest/decode.js';
import { looksLikeFeed, looksLikeJsonFeed, readFeed, readJsonFeed } from '../ingest/feed.js';
import { looksLikeHtml } from '../ingest/html.js';
import type { BatchItem } from '../ingest/read.js';
import { contentHash } from '../store/fingerprint.js';
import { alertJson } from '../store/follow.js';
import type { SourceState } from '../store/follow.js';
import { isPostgresUrl } from '../store/db.js';
import { Store } from '../store/store.js';
import { ALERT_LEASE_MS, Alerting, alertOptions, readFlagFile, userAgent } from './alerting.js';
import type { AlertFlags, Exclusive } from './alerting.js';
import type { Io } from './io.js';
import { resources, timeLimitOption } from './io.js';
import { dbOption, dbTarget, fillCountries, filesUnder, ingestItem, itemsOf, labelled, newTally, withStore } from './store.js';
import type { IngestContext, Labelled, Tally } from './store.js';

interface FollowFlags extends AlertFlags {
  db?: string;
  delay: string;
  timeout: string;
  timeLimit?: number;
  maxBytes: string;
  rules?: string[];
  jobTimeout: string;
}

interface WatchFlags extends FollowFlags {
  sources?: string;
  every: string;
  once?: boolean;
}

/** What one poll of one source did. */
export interface PollSummary {
  source: string;
  kind: string;
  notModified: boolean;
  items: number;
  /** New items handed to the job queue (PostgreSQL with workers) instead of ingested here. */
  queued: number;
  tally: Tally;
  rejected: number;
  error: string | null;
}

/** An item to take: what to ingest, or (for a summary) how to get the article first (`article`). */
type Pending = Omit<IngestJob<Labelled>, 'source'>;

export interface WatchOptions {
  everyMs: number;
  backoff: Backoff;
  random: () => number;
  now: () => number;
  /** Seconds one report's extraction may take (none when absent or 0). */
  timeLimit?: number;
}

/** Polls sources into one open store; store work is one step at a time, fetching runs alongside. */
export class Watcher {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly ctx: IngestContext;
  private readonly alerting: Alerting | null;

  constructor(
    private readonly store: Store,
    private readonly client: PoliteClient,
    private readonly config: Config,
    private readonly o: WatchOptions,
    private readonly io: Io,
    /** The alerting, given the watcher's turns at the store. */
    alerting: ((exclusive: Exclusive) => Alerting) | null,
  ) {
    this.alerting = alerting?.((fn) => this.exclusive(fn)) ?? null;
    this.ctx = {
      res: resources(config),
      control: loadControlRules(config),
      today: io.today(),
      warn: (s) => io.err(`sitrep: ${s}\n`),
      quietNoDate: true,
      timeLimit: o.timeLimit,
      alertsPendingMs: this.alerting ? ALERT_LEASE_MS : undefined,
    };
  }

  /** On start and each round: alerts of reports never evaluated raised, undelivered ones sent again (`Alerting.catchUp`). */
  async catchUp(): Promise<void> {
    try {
      await this.alerting?.catchUp();
    } catch (e) {
      // The store or the network failing here is for the next round to retry; polling goes on.
      this.ctx.warn(`alerts: catching up failed (${(e as Error).message})`);
    }
  }

  /**
   * Store work one at a time: the duplicate check and insert of a report belong together. A
   * PostgreSQL server keeps them together itself (one transaction under a lock, migration 005),
   * so there a worker's jobs extract side by side.
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.store.db.kind === 'postgres') return fn();
    const run = this.chain.then(fn);
    this.chain = run.catch(() => {});
    return run;
  }

  state(source: string): Promise<SourceState> {
    return this.exclusive(() => this.store.follow.source(source));
  }

  /**
   * One poll of one source. A failure is recorded as the source's error (with its backoff), not
   * thrown. New items are ingested here, one after another, or, given `enqueue`, handed on as
   * jobs that workers take (each then runs `ingest`, the same step).
   */
  async poll(spec: SourceSpec, enqueue?: (jobs: IngestJob<Labelled>[]) => Promise<void>): Promise<PollSummary> {
    const summary: PollSummary = { source: spec.source, kind: spec.kind === 'path' ? 'directory' : 'url', notModified: false, items: 0, queued: 0, tally: newTally(), rejected: 0, error: null };
    const state = await this.state(spec.source);
    try {
      const fetched = spec.kind === 'path' ? null : await this.client.get(spec.source, { etag: state.etag, lastModified: state.last_modified });
      let pending: Pending[] = [];
      if (fetched?.status === 304) {
        summary.notModified = true;
        summary.kind = state.kind ?? summary.kind;
      } else if (fetched) pending = this.itemsOfAnswer(fetched, summary);
      else pending = this.itemsOfPath(spec.source);
      const seen = await this.exclusive(() => this.store.follow.seen(spec.source, pending.map((p) => p.key)));
      const fresh = pending.filter((p) => !seen.has(p.key));
      summary.items = pending.length;
      if (enqueue) {
        await enqueue(fresh.map((p, i) => ({ source: spec.source, ...p, after: fresh[i - 1]?.key ?? null })));
        summary.queued = fresh.length;
      } else {
        for (const p of fresh) await this.ingest({ source: spec.source, ...p }, summary);
        if (summary.tally.new) await this.exclusive(() => fillCountries(this.store, this.config));
      }
      await this.exclusive(() =>
        this.store.follow.polled(spec.source, { kind: summary.kind, etag: fetched?.etag ?? null, lastModified: fetched?.lastModified ?? null, nextPoll: new Date(this.o.now() + this.o.everyMs) }),
      );
    } catch (e) {
      // An unreachable or broken source is its own error; the others go on.
      const message = e instanceof InputError ? e.message : `internal error: ${(e as Error).message}`;
      summary.error = message;
      await this.exclusive(() => this.store.follow.failed(spec.source, message, (n) => new Date(this.o.now() + backoffMs(n, this.o.backoff, this.o.random))));
      this.ctx.warn(message);
    }
    return summary;
  }

  /** A feed's items, or a page as one item; what it is decided by its content. */
  private itemsOfAnswer(f: Fetched, summary: PollSummary): Pending[] {
    const { text } = decodeInput(f.body, f.url);
    const head = text.slice(0, 512);
    const origin = (it: BatchItem) => `${f.url} item ${it.line}`;
    const feedItems = (items: BatchItem[]) =>
      items.map((it) => ({
        key: itemKey(it, () => contentHash(it.text)),
        item: labelled(it, { published: null, source: null }, origin(it)),
        article: it.summaryOnly && it.url ? it.url : null,
      }));
    if (looksLikeFeed(head)) {
      summary.kind = 'feed';
      const { value, warnings } = readFeed(text, f.url, { allowEmpty: true });
      warnings.forEach(this.ctx.warn);
      return feedItems(value);
    }
    if (looksLikeJsonFeed(text)) {
      summary.kind = 'json feed';
      const { value, warnings } = readJsonFeed(text, f.url, { allowEmpty: true });
      warnings.forEach(this.ctx.warn);
      return feedItems(value);
    }
    if (looksLikeHtml(text)) {
      summary.kind = 'page';
      const article = readArticle(text);
      const html = article?.html ?? text;
      // A page is a new report when its article's text changes.
      return [{ key: `page:${contentHash(html)}`, item: { text: html, published: article?.published ?? null, source: article?.siteName ?? null, url: f.url, title: article?.title ?? null, filename: 'page.html', origin: f.url }, article: null }];
    }
    throw new InputError(`${f.url}: neither an RSS/Atom or JSON feed nor an HTML page (${f.contentType || 'no content type'})`);
  }

  /** A directory's (or file's) reports, feeds and batches; a file is taken again when it changes. */
  private itemsOfPath(p: string): Pending[] {
    const out: Pending[] = [];
    for (const file of filesUnder(p)) {
      const st = fs.statSync(file);
      const key = `file:${file}:${st.size}:${Math.trunc(st.mtimeMs)}`;
      out.push({ key, item: { text: '', published: null, source: null, url: null, title: null, filename: file, origin: file }, article: null });
    }
    return out;
  }

  /** Takes one new item: fetches its article if needed, stores it, marks it taken, raises alerts. */
  async ingest(p: IngestJob<Labelled>, summary: Pick<PollSummary, 'tally' | 'rejected'>, turn?: () => Promise<void>): Promise<void> {
    let items: Labelled[] = [p.item];
    if (p.article) items = [await this.withArticle(p.item, p.article)];
    else if (p.item.filename && !p.item.text.length) {
      // A file under a followed directory: read now, so an unchanged file is never read again.
      try {
        items = itemsOf(fs.readFileSync(p.item.filename), p.item.filename, false, {}, this.ctx.warn, (r) => {
          summary.rejected++;
          this.ctx.warn(`rejected ${r.origin}: ${r.reason}`);
        });
      } catch (e) {
        if (!(e instanceof InputError) && !(e as NodeJS.ErrnoException).code) throw e;
        summary.rejected++;
        this.ctx.warn(`rejected ${p.item.origin}: ${(e as Error).message}`);
        items = [];
      }
    }
    const fired: Record<string, unknown>[] = [];
    await this.exclusive(async () => {
      let reportId: number | null = null;
      for (const item of items) {
        // today: a watch runs for days, and a report without a date takes the day it came.
        const r = await ingestItem(this.store, item, { ...this.ctx, today: this.io.today(), before: turn }, summary.tally);
        if ('rejected' in r) {
          summary.rejected++;
          this.ctx.warn(`rejected ${r.rejected.origin}: ${r.rejected.reason}`);
          continue;
        }
        reportId ??= r.result.reportId;
        if (this.alerting) fired.push(...(await this.alerting.raise(r.prepared, r.result)));
      }
      await this.store.follow.took(p.source, p.key, reportId);
    });
    for (const a of fired) await this.alerting!.emit(a);
  }

  /** A summary-only item with its article's main text in place of the summary; the feed's date stays. */
  private async withArticle(item: Labelled, url: string): Promise<Labelled> {
    try {
      const page = await this.client.get(url);
      const article = readArticle(decodeInput(page.body, url).text);
      if (article) return { ...item, text: article.html, filename: 'article.html', title: item.title ?? article.title, source: item.source ?? article.siteName };
      this.ctx.warn(`${url}: no article found in the page; the feed's summary is used`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.ctx.warn(`${e.message}; the feed's summary is used`);
    }
    return item;
  }

  /** Waits for the store work in flight. */
  settle(): Promise<unknown> {
    return this.exclusive(async () => {});
  }
}

function byteSize(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`--max-bytes "${s}" is not a positive whole number of bytes`);
  return n;
}

function summaryLine(s: PollSummary): string {
  if (s.error) return `${s.source}: error: ${s.error}`;
  if (s.notModified) return `${s.source}: not modified`;
  const t = s.tally;
  return `${s.source}: ${s.kind}, ${s.items} item${s.items === 1 ? '' : 's'}, ${t.read} new to sitrep: ${t.new} stored, ${t.known} already known, ${s.rejected} rejected; ${t.eventsAdded} events added, ${t.eventsMerged} merged`;
}

/** A watcher over an open store with the fetch options given. */
function watcherFor(store: Store, flags: FollowFlags, everyMs: number, io: Io): Watcher {
  const alerting = Alerting.fromFlags(flags);
  const config = loadConfig(process.env, flags.rules ?? []);
  const client = new PoliteClient({ userAgent: userAgent(), hostDelayMs: parseDuration(flags.delay, '--delay', { zero: true }), timeoutMs: parseDuration(flags.timeout, '--timeout'), maxBytes: byteSize(flags.maxBytes) });
  const o = { everyMs, backoff: { ...DEFAULT_BACKOFF, baseMs: Math.min(DEFAULT_BACKOFF.baseMs, everyMs) }, random: Math.random, now: Date.now, timeLimit: flags.timeLimit };
  return new Watcher(store, client, config, o, io, alerting ? (exclusive) => alerting(store, io, { roundMs: everyMs, exclusive }) : null);
}

/** A worker's round: how often it catches up on alerts (and a failed delivery waits half of it). */
const WORKER_ROUND_MS = 60_000;

interface WorkerFlags extends FollowFlags {
  concurrency: string;
}

/**
 * `sitrep worker`: takes poll jobs (runs `Watcher.poll`, queueing the new items as ingest jobs and
 * the source's next poll) and ingest jobs (runs `Watcher.ingest`), the steps watch runs itself
 * on an embedded store. The store's idempotency (text hash, URL) and the taken items keep a
 * report stored once however many workers see it; a job of a killed worker expires and is retried.
 */
export async function runWorker(flags: WorkerFlags, io: Io): Promise<number> {
  const target = dbTarget(flags.db);
  if (!isPostgresUrl(target)) throw new InputError('worker: give a PostgreSQL store (--db postgres://...); on an embedded store, sitrep watch does all the work itself');
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new InputError(`--concurrency "${flags.concurrency}" is not a whole number from 1 to 64`);
  const jobTimeoutS = Math.ceil(parseDuration(flags.jobTimeout, '--job-timeout') / 1000);
  const store = await Store.open(target);
  let queue: JobQueue | null = null;
  let rounds: NodeJS.Timeout | undefined;
  const totals = { polls: 0, ingests: 0, tally: newTally(), rejected: 0 };
  try {
    queue = await JobQueue.open(target, { jobTimeoutS, checkEveryS: Number(process.env.SITREP_WORKER_CHECK_S ?? 2) }, (e) => io.err(`sitrep worker: job queue: ${e.message}\n`));
    const q = queue;
    const watcher = watcherFor(store, flags, WORKER_ROUND_MS, io);
    // Alerts a dead worker left (not evaluated, not delivered): on start and each round, each taken by one worker.
    await watcher.catchUp();
    rounds = setInterval(() => void watcher.catchUp(), WORKER_ROUND_MS);
    await q.work(concurrency, {
      poll: async ({ spec, everyMs }) => {
        const s = await watcher.poll(spec, (jobs) => q.ingest(jobs));
        totals.polls++;
        io.err(`sitrep worker: ${summaryLine(s)}\n`);
        if (everyMs) await q.poll([{ spec, everyMs }], new Date(Date.now() + everyMs));
      },
      ingest: async (job) => {
        await watcher.ingest(job, totals, () => turnOf(store, job, jobTimeoutS));
        totals.ingests++;
      },
    });
    io.err(`sitrep worker: taking jobs from ${store.db.where} (${concurrency} of each kind at a time); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await q.stop();
    await watcher.settle();
  } finally {
    clearInterval(rounds);
    if (queue) await queue.stop().catch(() => {});
    await store.close();
  }
  const t = totals.tally;
  io.err(`sitrep worker: stopped after ${totals.polls} polls and ${totals.ingests} items: ${t.new} reports stored, ${t.known} already known, ${totals.rejected} rejected; ${t.eventsAdded} events added, ${t.eventsMerged} merged\n`);
  return 0;
}

/**
 * Waits (after extraction, before storing) until the item before this one in its feed is taken:
 * reports are stored in feed order whatever worker extracted them, so merges (which depend on
 * what was stored before) come out as one process makes them. A predecessor not taken within
 * half the job time limit fails this job, to be retried later.
 */
async function turnOf(store: Store, job: IngestJob, jobTimeoutS: number): Promise<void> {
  if (!job.after) return;
  const until = Date.now() + (jobTimeoutS * 1000) / 2;
  // Short waits: the whole feed passes through this hand-over, one item after another.
  for (let wait = 5; !(await store.follow.seen(job.source, [job.after])).size; wait = Math.min(wait * 2, 25)) {
    if (Date.now() > until) throw new Error(`${job.source}: item ${job.after}, before ${job.key}, is not stored yet`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

export async function runWatch(args: string[], flags: WatchFlags, io: Io): Promise<number> {
  const exists = (p: string) => fs.existsSync(p);
  const specs = args.map((a, i) => sourceSpec(a, `argument ${i + 1}`, exists));
  if (flags.sources) specs.push(...parseSourceList(readFlagFile(flags.sources, '--sources'), flags.sources, exists));
  if (!specs.length) throw new InputError('watch: give sources (URLs of feeds or pages, directories) as arguments or with --sources FILE');
  const unique = [...new Map(specs.map((s) => [s.source, s])).values()];
  const everyMs = parseDuration(flags.every, '--every');
  const target = dbTarget(flags.db);
  if (isPostgresUrl(target)) {
    // There watch only queues polls: the workers ingest, so they raise the alerts.
    if (flags.alerts || flags.webhook) throw new InputError('watch: on a PostgreSQL store the workers ingest and raise the alerts: give --alerts (and --webhook) to sitrep worker');
    return queuePolls(target, unique, flags.once ? null : everyMs, parseDuration(flags.jobTimeout, '--job-timeout'), io);
  }
  const store = await Store.open(target);
  let watcher: Watcher;
  try {
    watcher = watcherFor(store, flags, everyMs, io);
  } catch (e) {
    await store.close();
    throw e;
  }
  let failed = 0;
  try {
    await watcher.catchUp();
    if (flags.once) {
      const summaries = await Promise.all(unique.map((s) => watcher.poll(s)));
      for (const s of summaries) io.err(`sitrep watch: ${summaryLine(s)}\n`);
      failed = summaries.filter((s) => s.error).length;
      if (summaries.some((s) => s.tally.new)) await store.analyze();
    } else {
      io.err(`sitrep watch: following ${unique.length} source${unique.length === 1 ? '' : 's'} every ${flags.every} into ${dbTarget(flags.db)}; Ctrl-C stops\n`);
      await followForever(watcher, unique, io);
    }
  } finally {
    await watcher.settle();
    await store.close();
  }
  return failed ? 1 : 0;
}

/**
 * On a PostgreSQL store, watch queues a poll of each source and returns: `sitrep worker`
 * processes take the polls and the ingests they queue, and queue each source's next poll.
 */
async function queuePolls(target: string, specs: SourceSpec[], everyMs: number | null, jobTimeoutMs: number, io: Io): Promise<number> {
  // The store's tables (and migrations) come first: workers expect them.
  await (await Store.open(target)).close();
  const queue = await JobQueue.open(target, { jobTimeoutS: Math.ceil(jobTimeoutMs / 1000) }, (e) => io.err(`sitrep: job queue: ${e.message}\n`));
  try {
    await queue.poll(specs.map((spec) => ({ spec, everyMs })));
  } finally {
    await queue.stop();
  }
  io.err(`sitrep watch: queued a poll of ${specs.length} source${specs.length === 1 ? '' : 's'}${everyMs ? `, again every ${Math.round(everyMs / 1000)} s` : ' (once)'}; sitrep worker --db ... processes them\n`);
  return 0;
}

/** Each source on its own schedule (its next poll as kept in the store) until SIGINT or SIGTERM. */
async function followForever(watcher: Watcher, specs: SourceSpec[], io: Io): Promise<void> {
  let stopped = false;
  const wakers = new Set<() => void>();
  const stop = () => {
    stopped = true;
    for (const w of wakers) w();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        wakers.delete(done);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      wakers.add(done);
    });
  try {
    await Promise.all(
      specs.map(async (spec) => {
        while (!stopped) {
          // A restart waits out the interval (or backoff) the last run set, instead of refetching.
          const next = (await watcher.state(spec.source)).next_poll;
          if (next) await wait(Date.parse(next) - Date.now());
          if (stopped) break;
          const s = await watcher.poll(spec);
          if (!s.error && (s.tally.read || s.rejected)) io.err(`sitrep watch: ${summaryLine(s)}\n`);
          await watcher.catchUp();
        }
      }),
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function when(ts: string | null): string {
  return ts ? ts.slice(0, 16).replace('T', ' ') : '-';
}

/** The options of fetching and ingesting that watch and worker share. */
function followOptions(cmd: Command): Command {
  return alertOptions(cmd)
    .addOption(dbOption())
    .option('--delay <duration>', 'pause between two requests to the same host', '2s')
    .option('--timeout <duration>', 'time limit of one request', '30s')
    .option('--max-bytes <n>', 'largest answer taken from a source', String(10 * 1024 * 1024))
    .option('--rules <dir...>', 'extra rule directories that extend the built-in rules')
    .option('--job-timeout <duration>', 'PostgreSQL store: a job not done in this time is retried by another worker', '5m')
    .addOption(timeLimitOption());
}

export function registerWatch(program: Command, io: Io, setExit: (code: number) => void): void {
  followOptions(program.command('watch'))
    .description('follow RSS/Atom and JSON feeds, pages and local directories into the store; new items only, state kept in the store')
    .argument('[sources...]', 'feed or page URLs (http/https) and directories')
    .option('--sources <file>', 'a file of sources, one URL or directory a line (# comments)')
    .option('--every <duration>', 'poll each source this often (30s, 10m, 1h)', '10m')
    .option('--once', 'poll each source once and exit (for cron)')
    .action(async (sources: string[], flags: WatchFlags) => setExit(await runWatch(sources, flags, io)));

  followOptions(program.command('worker'))
    .description('PostgreSQL store: take the polls and ingests that watch queues, until SIGINT or SIGTERM; run as many as you like, on any machine')
    .option('--concurrency <n>', 'jobs of each kind taken at a time', '2')
    .action(async (flags: WorkerFlags) => setExit(await runWorker(flags, io)));

  program
    .command('sources')
    .description('the sources watch follows, with their health: last success, last error, items per day')
    .addOption(dbOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { db?: string; format: 'table' | 'json' }) => {
      const rows = await withStore(flags.db, (s) => s.follow.health());
      if (flags.format === 'json') return io.out(JSON.stringify(rows, null, 2) + '\n');
      if (!rows.length) return io.out('no sources yet: sitrep watch URL... adds them\n');
      io.out(['source', 'kind', 'last success', 'last error', 'failures', 'items', 'per day', 'next poll'].join('\t') + '\n');
      for (const r of rows) {
        const error = r.last_error ? `${when(r.last_error_at)} ${r.last_error}` : '-';
        io.out([r.source, r.kind ?? '-', when(r.last_success), error, r.failures, r.items_seen, r.items_per_day, when(r.next_poll)].join('\t') + '\n');
      }
    });

  program
    .command('alerts')
    .description('the alerts raised by watch, oldest first, one JSON object a line')
    .addOption(dbOption())
    .option('--since <date>', 'only alerts fired on or after this date (YYYY-MM-DD) or time (ISO 8601)')
    .option('--limit <n>', 'at most this many', '1000')
    .action(async (flags: { db?: string; since?: string; limit: string }) => {
      const since = flags.since ? sinceOf(flags.since) : undefined;
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new InputError(`--limit "${flags.limit}" is not a positive whole number`);
      const rows = await withStore(flags.db, (s) => s.follow.alerts({ since, limit }));
      for (const a of rows) io.out(JSON.stringify(alertJson(a)) + '\n');
    });
}

/** A date or an ISO 8601 time, checked (the store takes a date as its start in UTC). */
function sinceOf(s: string): string {
  if (s.length === 10) return checkPublished(s, '--since');
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new InputError(`--since "${s}" is neither a date YYYY-MM-DD nor an ISO 8601 time`);
  return new Date(t).toISOString();
}
