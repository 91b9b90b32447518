// The `sitrep` command. The only place that touches files, stdin/stdout and the clock:
// it reads input, loads resources once, calls the pure stages and writes the output.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, ROOT } from '../config.js';
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { analyseDoc, extractDoc } from '../extract/index.js';
import { explainAnalysis } from '../output/explain.js';
import { readDocument, readJsonl } from '../ingest/read.js';
import type { BatchItem } from '../ingest/read.js';
import { decodeInput } from '../ingest/decode.js';
import { readFeedFile, readJsonFeed } from '../ingest/feed.js';
import { checkPublished } from '../ingest/dates.js';
import type { Event } from '../schema/event.js';
import { formatEvents } from '../output/format.js';
import type { EventFormat } from '../output/format.js';
import { geocodeQuery, type GeocodeAnswer } from './geocode.js';
import { reverseGeocode } from '../geo/answer.js';
import { parseCoordinates } from '../geo/coords.js';
import { registerGeo } from './geo.js';
import { defaultIo, inputKind, readInput, resources, timeLimitOption } from './io.js';
import { deadlineIn } from '../core/deadline.js';
import { TimeLimitError } from '../errors.js';
import type { Io } from './io.js';
import { registerServe } from './serve.js';
import { itemFailure, registerStoreCommands, storeDemo } from './store.js';
import { registerWatch } from './watch.js';

interface ExtractFlags {
  published?: string;
  source?: string;
  format: EventFormat | 'jsonl';
  rules?: string[];
  timeLimit: number;
}

function extractOne(raw: Buffer | string, filename: string | null, flags: { published?: string | null; source?: string | null; timeLimit?: number }, config: Config, io: Io, place?: string): { events: Event[]; text?: string } {
  // Loading the rules and gazetteer (once a run) is not the report's time.
  const res = resources(config);
  const deadline = deadlineIn(flags.timeLimit);
  const { value: doc, warnings } = readDocument(raw, { published: flags.published ?? null, source: flags.source ?? null, filename, what: place ? 'text' : undefined });
  const tag = place ? `${place}: ` : '';
  for (const w of warnings) io.err(`sitrep: ${tag}${w}\n`);
  const { value: events, warnings: ew } = extractDoc(doc, res, {
    published: doc.published ?? io.today(),
    source: flags.source ?? doc.source ?? '',
    deadline,
  });
  for (const w of ew) io.err(`sitrep: ${tag}${w}\n`);
  // Offsets index doc.text: the input itself for plain LF-ended text, else (HTML, CRLF, a BOM,
  // repaired characters) a text the user does not have, so it goes with the events.
  const given = typeof raw === 'string' ? raw : raw.toString('utf8');
  return doc.text === given ? { events } : { events, text: doc.text };
}

/** Returns the exit code: 1 when a batch line or feed item was skipped, as for ingest. */
function runExtract(file: string, flags: ExtractFlags, io: Io): number {
  if (flags.published) checkPublished(flags.published);
  const config = loadConfig(process.env, flags.rules ?? []);
  const raw = readInput(file, io);
  const format = flags.format;
  const name = file === '-' ? null : file;
  const kind = inputKind(raw, name);
  if (kind === 'report' && format !== 'jsonl') {
    let out: { events: Event[]; text?: string };
    try {
      out = extractOne(raw, name, flags, config, io);
    } catch (e) {
      if (e instanceof TimeLimitError) throw new TimeLimitError(`${name ?? 'stdin'}: ${e.message}`);
      throw e;
    }
    const { events, text } = out;
    io.out(formatEvents(events, format, text));
    return 0;
  }
  // A batch or a feed: each item on its own, a bad one reported with its place and skipped.
  const what = name ?? 'stdin';
  let skipped = 0;
  const skip = (message: string) => {
    skipped++;
    io.err(`sitrep: ${message}; skipped\n`);
  };
  let items: BatchItem[];
  let placeOf: (it: BatchItem) => string;
  if (kind === 'feed' || kind === 'jsonfeed') {
    const { value, warnings } = kind === 'feed' ? readFeedFile(raw, what) : readJsonFeed(decodeInput(raw, what).text, what);
    for (const w of warnings) {
      if (/; item skipped$/.test(w)) skip(w.replace(/; item skipped$/, ''));
      else io.err(`sitrep: ${w}\n`);
    }
    items = value;
    placeOf = (it) => `${what} item ${it.line}`;
  } else {
    const { value, warnings } = readJsonl(raw);
    for (const w of warnings) {
      if (/; line skipped$/.test(w)) skip(`${what}: ${w.replace(/; line skipped$/, '')}`);
      else io.err(`sitrep: ${what}: ${w}\n`);
    }
    items = value;
    placeOf = (it) => `${what}:${it.line}`;
  }
  const all: Event[] = [];
  for (const item of items) {
    let events: Event[];
    let text: string | undefined;
    try {
      ({ events, text } = extractOne(item.text, null, { published: flags.published ?? item.published, source: flags.source ?? item.source, timeLimit: flags.timeLimit }, config, io, placeOf(item)));
    } catch (e) {
      skip(`${placeOf(item)}: ${itemFailure(e)}`);
      continue;
    }
    if (format === 'jsonl') io.out(JSON.stringify(text === undefined ? { id: item.id, events } : { id: item.id, events, text }) + '\n');
    else all.push(...events);
  }
  if (format !== 'jsonl') io.out(formatEvents(all, format));
  return skipped ? 1 : 0;
}

async function runDemo(io: Io, flags: { db?: string }): Promise<void> {
  // The example reports were written for the project; the batch gives each its publication date.
  const file = path.join(ROOT, 'examples', 'reports.jsonl');
  const config = loadConfig();
  const { value: items } = readJsonl(fs.readFileSync(file));
  for (const item of items) {
    const { events } = extractOne(item.text, null, { published: item.published, source: item.source }, config, io);
    io.out(`\n== ${item.id} (published ${item.published}; ${events.length} event${events.length === 1 ? '' : 's'})\n`);
    io.out(formatEvents(events, 'table'));
  }
  // Then the main job: the same reports into the store, and the control picture they give.
  await storeDemo(file, flags.db, io);
}

export function buildProgram(io: Io, setExit: (code: number) => void = () => {}): Command {
  const program = new Command('sitrep')
    .description('Turns news reports about armed conflict into sourced, geocoded, ACLED-coded events')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('extract')
    .description('extract ACLED-coded events from one report (text, HTML, or a .jsonl batch)')
    .argument('<file>', 'report file, or - for standard input')
    .option('--published <date>', 'publication date YYYY-MM-DD (relative dates resolve against it)')
    .option('--source <name>', 'source name written into each event')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'table', 'jsonl', 'geojson']).default('json'))
    .option('--rules <dir...>', 'extra rule directories that extend the built-in rules')
    .addOption(timeLimitOption())
    .action((file: string, flags: ExtractFlags) => setExit(runExtract(file, flags, io)));

  program
    .command('geocode')
    .description('resolve a place name to country, admin1, admin2 and a point')
    .argument('<query>', 'place name (or LAT,LON), or - to read one query per line from standard input')
    .option('--country <iso2>', 'prefer places in this country')
    .option('--context <text>', 'text around the place (other places, the country)')
    .option('--reverse', 'the queries are coordinates (LAT,LON): answer the country, admin1, admin2 and nearest populated place')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'jsonl', 'table']).default('json'))
    .action((query: string, flags: { country?: string; context?: string; reverse?: boolean; format: 'json' | 'jsonl' | 'table' }) => {
      const config = loadConfig();
      const queries = query === '-' ? io.stdin().toString('utf8').split('\n').map((q) => q.trim()).filter(Boolean) : [query];
      // A single query that is no point is the user's mistake; in a batch it is that line's note.
      const notPoint = (q: string) => `not a coordinate pair: "${q}" (expected LAT,LON, e.g. 34.52,69.18)`;
      if (flags.reverse && query !== '-' && !parseCoordinates(query, true)) throw new InputError(notPoint(query));
      const res = resources(config);
      for (const q of queries) {
        const pt = flags.reverse ? parseCoordinates(q, true) : null;
        const answer: GeocodeAnswer = flags.reverse
          ? pt
            ? reverseGeocode(res.gazetteer, pt, {}, q)
            : { query: q, result: null, candidates: [], notes: [notPoint(q)] }
          : geocodeQuery(res.gazetteer, q, flags);
        if (flags.format === 'table') {
          const r = answer.result;
          io.out(r ? `${q}\t${r.location}\t${r.admin2}\t${r.admin1}\t${r.country}\t${r.latitude},${r.longitude}\t${r.reason}\n` : `${q}\tno match\n`);
        } else io.out(JSON.stringify(answer, null, flags.format === 'json' && queries.length === 1 ? 2 : 0) + '\n');
      }
    });

  program
    .command('explain')
    .description('show what each stage finds in each sentence of a report (to trace a wrong or missing event)')
    .argument('<file>', 'report file, or - for standard input')
    .option('--published <date>', 'publication date YYYY-MM-DD')
    .action((file: string, flags: { published?: string }) => {
      if (flags.published) checkPublished(flags.published);
      const config = loadConfig();
      const { value: doc, warnings } = readDocument(readInput(file, io), { published: flags.published ?? null, filename: file === '-' ? null : file });
      for (const w of warnings) io.err(`sitrep: ${w}\n`);
      const res = resources(config);
      const { value } = analyseDoc(doc, res, { published: doc.published ?? io.today(), source: '' });
      io.out(explainAnalysis(value.analyses));
    });

  registerStoreCommands(program, io, setExit);
  registerWatch(program, io, setExit);

  program
    .command('demo')
    .description('extract the example reports shipped with sitrep, store them (embedded store by default) and show who controls what')
    .option('--db <dir|url>', 'store: a directory (embedded PGlite) or postgres:// URL (default $SITREP_DB or ./.sitrep)')
    .action((flags: { db?: string }) => runDemo(io, flags));

  registerGeo(program, io);
  registerServe(program, io);

  return program;
}

/** Runs the CLI; returns the exit code. Problems with the input are one line on stderr, never a trace. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError) {
      io.err(`sitrep: ${e.message}\n`);
      return 2;
    }
    io.err(`sitrep: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.SITREP_DEBUG) io.err(`${(e as Error).stack ?? ''}\n`);
    return 70;
  }
}
