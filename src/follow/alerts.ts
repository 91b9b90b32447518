// Alert rules as data, and which of them what one report brought sets off. Pure: the CLI reads
// the rules file, snapshots control before and after storing the report, keeps and sends alerts.
//
// A rules file has one rule a line, tab-separated: name, area, condition. # starts a comment.
//   area       *  |  country=Afghanistan; admin1=Baghlan; admin2=Andarab (names or codes)  |  bbox=west,south,east,north
//   condition  control changes  |  becomes contested  |  fatalities >= N  |  event type in T1, T2  |  actor matches TEXT
import type { District } from '../control/claims.js';
import type { ControlStatus } from '../control/status.js';
import { InputError } from '../errors.js';
import type { Event } from '../schema/event.js';

export type Area = { kind: 'any' } | { kind: 'admin'; country?: string; admin1?: string; admin2?: string } | { kind: 'bbox'; west: number; south: number; east: number; north: number };

export type Condition =
  | { kind: 'control_changes' }
  | { kind: 'becomes_contested' }
  | { kind: 'fatalities'; min: number }
  | { kind: 'event_type'; types: string[] }
  | { kind: 'actor'; text: string };

export interface AlertRule {
  name: string;
  area: Area;
  condition: Condition;
  /** The condition as written, for the alert. */
  text: string;
  /** file:line */
  where: string;
}

export function parseArea(s: string, where: string): Area {
  const t = s.trim();
  if (t === '*' || t === '') return { kind: 'any' };
  if (t.toLowerCase().startsWith('bbox=')) {
    const n = t.slice(5).split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    const [west, south, east, north] = n as [number, number, number, number];
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || west > east || south > north || west < -180 || east > 180 || south < -90 || north > 90) {
      throw new InputError(`${where}: area "${t}": a bbox is four numbers west,south,east,north (west <= east, south <= north, in degrees)`);
    }
    return { kind: 'bbox', west, south, east, north };
  }
  const area: { kind: 'admin'; country?: string; admin1?: string; admin2?: string } = { kind: 'admin' };
  for (const part of t.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (eq < 0 || !value || (key !== 'country' && key !== 'admin1' && key !== 'admin2')) {
      throw new InputError(`${where}: area "${t}": expected *, bbox=w,s,e,n, or country=, admin1=, admin2= separated by ";"`);
    }
    area[key] = value;
  }
  return area;
}

export function parseCondition(s: string, where: string): Condition {
  const t = s.trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  if (lower === 'control changes') return { kind: 'control_changes' };
  if (lower === 'becomes contested') return { kind: 'becomes_contested' };
  if (lower.startsWith('fatalities >=')) {
    const n = Number(t.slice('fatalities >='.length).trim());
    if (!Number.isInteger(n) || n < 0) throw new InputError(`${where}: condition "${t}": fatalities >= needs a whole number`);
    return { kind: 'fatalities', min: n };
  }
  if (lower.startsWith('event type in ')) {
    const types = t.slice('event type in '.length).split(',').map((x) => x.trim().replace(/^\[|\]$/g, '').trim()).filter(Boolean);
    if (!types.length) throw new InputError(`${where}: condition "${t}": name one or more event types, comma-separated`);
    return { kind: 'event_type', types: types.map((x) => x.toLowerCase()) };
  }
  if (lower.startsWith('actor matches ')) {
    const text = t.slice('actor matches '.length).trim();
    if (!text) throw new InputError(`${where}: condition "${t}": name the actor`);
    return { kind: 'actor', text: text.toLowerCase() };
  }
  throw new InputError(`${where}: condition "${t}" is not one of: control changes; becomes contested; fatalities >= N; event type in T1, T2; actor matches TEXT`);
}

/** The rules of an alerts file; a bad line throws InputError with its file and line. */
export function parseAlertRules(text: string, file: string): AlertRule[] {
  const rules: AlertRule[] = [];
  const names = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (!line.trim() || line.trim().startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length !== 3) throw new InputError(`${where}: expected three tab-separated columns (name, area, condition), found ${cols.length}`);
    const name = cols[0]!.trim();
    if (!name) throw new InputError(`${where}: the rule has no name`);
    if (names.has(name)) throw new InputError(`${where}: a rule named "${name}" is already defined`);
    names.add(name);
    rules.push({ name, area: parseArea(cols[1]!, where), condition: parseCondition(cols[2]!, where), text: cols[2]!.trim().replace(/\s+/g, ' '), where });
  });
  if (!rules.length) throw new InputError(`${file}: no alert rules (one a line: name, area, condition, tab-separated)`);
  return rules;
}

export interface ControlView {
  controller: string | null;
  status: ControlStatus;
  since: string | null;
}

/** A district whose control the report spoke of, as it was before storing the report and after. */
export interface ControlChange {
  district: District;
  before: ControlView;
  after: ControlView;
  /** Positions in the report's events of the events whose claims are about this district. */
  events: number[];
}

export interface AlertInput {
  report: { id: number; url: string | null; source: string | null; title: string | null; published: string };
  events: Event[];
  /** The stored event id of each event (merged or new), by position. */
  eventIds: string[];
  changes: ControlChange[];
}

export interface AlertDraft {
  /** The same change or event gives the same key: an alert is raised once for it. */
  key: string;
  rule: string;
  condition: string;
  message: string;
  events: string[];
  sources: { source: string | null; url: string | null; title: string | null; published: string; report_id: number }[];
  district?: District;
  before?: ControlView;
  after?: ControlView;
}

const same = (a: string | null | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();

function inAdmin(area: Extract<Area, { kind: 'admin' }>, p: { country: string; admin1: string; admin1_code: string | null; admin2: string; admin2_code: string | null }): boolean {
  return (
    (!area.country || same(p.country, area.country)) &&
    (!area.admin1 || same(p.admin1, area.admin1) || same(p.admin1_code, area.admin1)) &&
    (!area.admin2 || same(p.admin2, area.admin2) || same(p.admin2_code, area.admin2))
  );
}

function eventInArea(area: Area, e: Event): boolean {
  if (area.kind === 'any') return true;
  if (area.kind === 'admin') return inAdmin(area, e);
  return e.latitude != null && e.longitude != null && e.longitude >= area.west && e.longitude <= area.east && e.latitude >= area.south && e.latitude <= area.north;
}

/** A district is in a bbox when one of the report's events about it lies there (districts carry no point). */
function changeInArea(area: Area, c: ControlChange, events: Event[]): boolean {
  if (area.kind === 'any') return true;
  if (area.kind === 'admin') return inAdmin(area, { ...c.district, admin2_code: c.district.code });
  return c.events.some((i) => events[i] && eventInArea(area, events[i]!));
}

function eventMatches(cond: Condition, e: Event): boolean {
  switch (cond.kind) {
    case 'fatalities':
      return e.fatalities >= cond.min;
    case 'event_type':
      return cond.types.includes(e.event_type.toLowerCase()) || cond.types.includes(e.sub_event_type.toLowerCase());
    case 'actor':
      return [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].some((a) => a.toLowerCase().includes(cond.text));
    default:
      return false;
  }
}

const view = (v: ControlView) => (v.status === 'unknown' ? 'unknown' : `${v.controller}${v.status === 'contested' ? ' (contested)' : ''}`);

/** The alerts the rules raise on one stored report: per event for event conditions, per district for control ones. */
export function evaluateAlerts(rules: AlertRule[], input: AlertInput): AlertDraft[] {
  const r = input.report;
  const sources = [{ source: r.source, url: r.url, title: r.title, published: r.published, report_id: r.id }];
  const out: AlertDraft[] = [];
  for (const rule of rules) {
    const c = rule.condition;
    if (c.kind === 'control_changes' || c.kind === 'becomes_contested') {
      for (const ch of input.changes) {
        if (!changeInArea(rule.area, ch, input.events)) continue;
        const fires =
          c.kind === 'control_changes'
            ? ch.after.status !== 'unknown' && ch.after.controller !== ch.before.controller
            : ch.after.status === 'contested' && ch.before.status !== 'contested';
        if (!fires) continue;
        const d = ch.district;
        out.push({
          key: `${rule.name}|${c.kind}|${d.code}|${ch.after.controller ?? ''}|${ch.after.status}|${ch.after.since ?? ''}`,
          rule: rule.name,
          condition: rule.text,
          message: `${d.admin2} (${d.admin1}, ${d.country}): ${view(ch.before)} -> ${view(ch.after)}`,
          events: [...new Set(ch.events.map((i) => input.eventIds[i]).filter((x): x is string => !!x))],
          sources,
          district: d,
          before: ch.before,
          after: ch.after,
        });
      }
      continue;
    }
    input.events.forEach((e, i) => {
      const id = input.eventIds[i];
      if (!id || !eventInArea(rule.area, e) || !eventMatches(c, e)) return;
      out.push({
        key: `${rule.name}|event|${id}`,
        rule: rule.name,
        condition: rule.text,
        message: `${e.sub_event_type} in ${e.location} (${e.admin2 || e.admin1}, ${e.country}) on ${e.event_date}: ${e.actor1}${e.actor2 ? ` / ${e.actor2}` : ''}, ${e.fatalities} fatalities`,
        events: [id],
        sources,
      });
    });
  }
  // One alert per key: two events of one report merged into one stored event raise it once.
  return [...new Map(out.map((a) => [a.key, a])).values()];
}
