// Every regular expression the project's code writes or builds, for the ReDoS check
// (test/redos.test.ts) and its report (scripts/redos.ts):
// - the literals written in src/, read with the TypeScript parser;
// - every RegExp built at run time by `new RegExp(...)` or `RegExp(...)` in src/, seen by
//   wrapping the RegExp constructor while every module of src/ is loaded, the rules are compiled
//   and the examples are extracted. So the patterns of rules/**/*.tsv are checked as the code
//   compiles them (wrapped as whole words, joined into one alternation...), and each is traced
//   back to its rule line.
// Nothing of src/ may be imported before collect() runs: a module loaded earlier would build its
// patterns unseen (the check of the constructor sites would then fail, which says so).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { check } from 'recheck';
import type { Diagnostics } from 'recheck';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Pattern {
  source: string;
  /** The flags that change what is matched (g, y and d do not change how one attempt backtracks). */
  flags: string;
  /** Where it is written or built ("src/ingest/feed.ts:12"), and the rule line it came from ("rules/events/triggers.tsv:40"). */
  sites: string[];
}

export interface Collected {
  patterns: Pattern[];
  /** Every `new RegExp(...)` and `RegExp(...)` call in src/, as "src/x.ts:LINE". */
  constructorSites: string[];
  /** The constructor sites no RegExp was seen built at: their patterns went unchecked. */
  unseen: string[];
}

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    // Declaration files (.d.ts) hold types only: no code, no patterns, nothing compiled.
    return e.isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** Rule lines with a column long enough to tell where a compiled pattern came from. */
function ruleColumns(): { where: string; text: string }[] {
  return filesUnder(path.join(ROOT, 'rules'), '.tsv').flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.trim().startsWith('#') ? [] : line.split('\t').map((c) => ({ where: `${rel(file)}:${i + 1}`, text: c.trim() })))),
  );
}

export async function collect(): Promise<Collected> {
  const byKey = new Map<string, Pattern>();
  const add = (source: string, flags: string, site: string) => {
    const kept = [...flags].filter((f) => !'gyd'.includes(f)).sort().join('');
    const key = `${kept}/${source}`;
    const p = byKey.get(key) ?? { source, flags: kept, sites: [] };
    if (!p.sites.includes(site)) p.sites.push(site);
    byKey.set(key, p);
  };

  const constructorSites: string[] = [];
  for (const file of filesUnder(path.join(ROOT, 'src'), '.ts')) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const site = (n: ts.Node) => `${rel(file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (n: ts.Node): void => {
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = n.getText(sf);
        const slash = text.lastIndexOf('/');
        add(text.slice(1, slash), text.slice(slash + 1), site(n));
      } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
        constructorSites.push(site(n));
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }

  // Built at run time: the caller of the constructor, mapped back to src/*.ts by the source maps.
  const built = new Set<string>();
  const srcPrefix = path.join(ROOT, 'src') + path.sep;
  const Native = globalThis.RegExp;
  const record = (re: RegExp, trap: (...a: never[]) => unknown) => {
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, trap);
    const frame = holder.stack?.split('\n')[1] ?? '';
    const m = /(?:\(|at )(?:file:\/\/)?([^()\s]+\.ts):(\d+):\d+\)?$/.exec(frame);
    if (!m || !m[1]!.startsWith(srcPrefix)) return;
    const site = `${rel(m[1]!)}:${m[2]}`;
    built.add(site);
    add(re.source, re.flags, site);
  };
  const handler: ProxyHandler<RegExpConstructor> = {
    construct(target, args, newTarget) {
      const re = Reflect.construct(target, args, newTarget === wrapped ? target : newTarget) as RegExp;
      record(re, handler.construct!);
      return re;
    },
    apply(target, self, args) {
      const re = Reflect.apply(target, self, args) as RegExp;
      record(re, handler.apply!);
      return re;
    },
  };
  const wrapped = new Proxy(Native, handler);
  process.setSourceMapsEnabled(true);
  globalThis.RegExp = wrapped;
  try {
    for (const file of filesUnder(path.join(ROOT, 'src'), '.ts')) await import(pathToFileURL(path.join(ROOT, 'dist', rel(file).replace(/\.ts$/, '.js'))).href);
    const { loadConfig } = await import('../../src/config.js');
    const { loadResources } = await import('../../src/extract/index.js');
    const { loadControlRules } = await import('../../src/control/claims.js');
    const { prepareReport } = await import('../../src/ingest/prepare.js');
    const { altNames } = await import('../../src/geo/packs.js');
    const config = loadConfig({});
    const res = loadResources(config);
    const control = loadControlRules(config);
    const examples = path.join(ROOT, 'examples');
    for (const name of fs.readdirSync(examples).filter((f) => f.endsWith('.txt'))) {
      prepareReport({ text: fs.readFileSync(path.join(examples, name)), published: null, source: null, url: null, title: null, filename: name }, res, control, '2024-01-01');
    }
    for (const level of [1, 2] as const) altNames({ source: 'features', features: [], skipped: 0 }, level, []);
  } finally {
    globalThis.RegExp = Native;
  }

  const rules = ruleColumns().filter((c) => c.text.length >= 8);
  const patterns = [...byKey.values()];
  for (const p of patterns) {
    if (!p.sites.some((s) => built.has(s))) continue;
    const from = rules.filter((c) => p.source.includes(c.text)).sort((a, b) => b.text.length - a.text.length)[0];
    if (from) p.sites.push(from.where);
  }
  return { patterns, constructorSites, unseen: constructorSites.filter((s) => !built.has(s)) };
}

/**
 * collect() in a worker thread, stopped after `ms`: a pattern that backtracks without bound on
 * the examples (a new rule, say) would otherwise hang the run where it should fail it.
 */
export function collectWithin(ms: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { collect: true } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`collecting the patterns took over ${ms / 1000} s: one built from src/ or rules/ backtracks on examples/*.txt: suspect a pattern or rule changed since the last run that passed`));
    }, ms);
    worker.once('message', (c: Collected) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(c);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

if (!isMainThread && (workerData as { collect?: boolean } | null)?.collect) parentPort!.postMessage(await collect());

export interface Checked {
  pattern: Pattern;
  diagnostics: Diagnostics;
}

/**
 * Where checkAll keeps recheck's verdicts between runs: under node_modules/.cache (so `npm ci`
 * starts afresh), one file per recheck version. A verdict depends only on the pattern, its
 * flags, the checker's parameters (fixed here, but for the timeout) and recheck's version, so an
 * unchanged pattern need not be checked again: a run checks what is new or changed (a cold run
 * of every pattern takes minutes of processor time, most of it fuzzing the rules' alternations).
 * SITREP_REDOS_FRESH=1 ignores the cache (and writes it anew).
 */
export const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'sitrep-redos');

function recheckVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'recheck', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const cacheKey = (p: Pattern) => `${p.flags}/${p.source}`;

/**
 * Runs recheck on every pattern, as many at a time as there are processors; one it could not
 * decide in `timeoutMs` (a busy machine) is tried again alone with five times as long. With
 * `cache` (the default), verdicts of earlier runs (CACHE_DIR) are taken as they are and new
 * ones added; an undecided pattern is never cached.
 */
export async function checkAll(patterns: Pattern[], timeoutMs: number, opts: { cache?: boolean } = {}): Promise<Checked[]> {
  const useCache = (opts.cache ?? true) && process.env.SITREP_REDOS_FRESH !== '1';
  const file = path.join(CACHE_DIR, `recheck-${recheckVersion()}.json`);
  let cached: Record<string, Diagnostics> = {};
  if (useCache) {
    try {
      cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Diagnostics>;
    } catch {
      cached = {};
    }
  }
  const out: Checked[] = [];
  const queue: Pattern[] = [];
  for (const p of patterns) {
    const d = cached[cacheKey(p)];
    if (d) out.push({ pattern: p, diagnostics: d });
    else queue.push(p);
  }
  const fresh: Checked[] = [];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) fresh.push({ pattern: p, diagnostics: await check(p.source, p.flags, { timeout: timeoutMs }) });
  };
  await Promise.all(Array.from({ length: Math.max(1, os.availableParallelism()) }, worker));
  for (const c of fresh) {
    if (c.diagnostics.status === 'unknown' && c.diagnostics.error.kind === 'timeout') c.diagnostics = await check(c.pattern.source, c.pattern.flags, { timeout: 5 * timeoutMs });
  }
  if (fresh.length && opts.cache !== false) {
    const all: Record<string, Diagnostics> = useCache ? { ...cached } : {};
    for (const c of [...out, ...fresh]) if (c.diagnostics.status !== 'unknown') all[cacheKey(c.pattern)] = c.diagnostics;
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all));
    fs.renameSync(tmp, file);
  }
  return [...out, ...fresh];
}

/** The attack string recheck found, its pumps repeated until it is about `chars` long. */
export function attackOfLength(d: Diagnostics, chars: number): string | null {
  if (d.status !== 'vulnerable') return null;
  const { pumps, suffix } = d.attack;
  const fixed = pumps.reduce((n, p) => n + p.prefix.length + p.pump.length * p.bias, suffix.length);
  const perRound = pumps.reduce((n, p) => n + p.pump.length, 0);
  const rounds = Math.max(1, Math.round((chars - fixed) / Math.max(1, perRound)));
  return pumps.map((p) => p.prefix + p.pump.repeat(Math.max(0, rounds + p.bias))).join('') + suffix;
}

/** Milliseconds one exec of the pattern takes on the input in a fresh Node.js process; null when it was stopped at `limitMs`. */
export function timeExec(p: Pattern, input: string, limitMs: number): number | null {
  const code = `const { source, flags, input } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const re = new RegExp(source, flags);
const t = process.hrtime.bigint();
re.exec(input);
console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const r = spawnSync(process.execPath, ['-e', code], { input: JSON.stringify({ source: p.source, flags: p.flags, input }), encoding: 'utf8', timeout: limitMs });
  if (r.status === 0) return Number(r.stdout.trim());
  if (r.signal) return null;
  throw new Error(`timing /${p.source}/${p.flags} failed: ${r.stderr}`);
}

/**
 * Whether a vulnerable verdict holds in V8. The automaton checker decides from the pattern alone
 * and has no false positives; the fuzz checker's verdict depends on what it tried in its time,
 * and some of its attacks do not slow V8 down (it optimises what recheck's model does not). So a
 * fuzz verdict counts when one exec on 100 KB of its attack takes over half a second (a linear
 * pattern takes milliseconds; a quadratic one that takes 0.7 s on 30 KB takes 8 s).
 */
export function holdsInV8(c: Checked): boolean {
  const d = c.diagnostics;
  if (d.status !== 'vulnerable') return false;
  if (!d.complexity.isFuzz) return true;
  const ms = timeExec(c.pattern, attackOfLength(d, 100_000)!, 5_000);
  return ms === null || ms > 500;
}
