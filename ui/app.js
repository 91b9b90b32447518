// @ts-check
// The sitrep web map: district control at a date and the events around it, drawn with MapLibre
// GL JS from data this page gets only through sitrep's HTTP API (/api/...). No tiles, fonts or
// scripts from anywhere else: the style has no glyphs and no remote sources.
import { AttributionControl, Map as MapLibreMap, NavigationControl, ScaleControl } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { alertMarks, renderAlerts } from '/ui/alerts.js';
import { clear, el, evidenceBlocks, link } from '/ui/dom.js';
import { dayChart } from '/ui/chart.js';
import { download, eventsCsv, eventsGeoJson, mapPng } from '/ui/export.js';
import { placeSearch } from '/ui/search.js';
import { renderTheatres, theatreBounds } from '/ui/theatre.js';
import { readView, writeView } from '/ui/view.js';

/**
 * An element of index.html by its id (a missing one is a broken page, said at once).
 * @param {string} id
 */
function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}
/** The page's form controls by id, as what they are: an input, a select, a text area, a button. */
const field = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ ($(id));
const choice = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ ($(id));
const textArea = (/** @type {string} */ id) => /** @type {HTMLTextAreaElement} */ ($(id));
const pressable = (/** @type {string} */ id) => /** @type {HTMLButtonElement} */ ($(id));

// ---------------------------------------------------------------------------------------------
// API

/**
 * An answer of sitrep's API; its error message when it fails.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>} the JSON the route documents (GET /api/openapi.json)
 */
async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Colours

const UNKNOWN = '#f4f4f4';
// A side's colour is data (rules/control/colours.tsv through /api/meta). A side without one gets
// a colour from its name (so it keeps it across dates and reloads), unless another side has it:
// then the next free one. Soft fills (ColorBrewer Set3 and Pastel1 without their purples, which
// read as the violence-against-civilians circles), so the saturated event circles stand out.
const PALETTE = ['#8dd3c7', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#ffed6f', '#ccebc5', '#e5d8bd', '#fed9a6', '#b3cde3'];
const assigned = new Map();
/** @param {string} name @returns {string} */
function controllerColor(name) {
  let colour = assigned.get(name) ?? state.meta?.side_colours?.[name];
  if (colour) return colour;
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ /** @type {number} */ (ch.codePointAt(0)), 16777619) >>> 0;
  const taken = new Set([...assigned.values(), ...Object.values(state.meta?.side_colours ?? {})]);
  for (let i = 0; i < PALETTE.length && !colour; i++) {
    const c = PALETTE[(h + i) % PALETTE.length];
    if (!taken.has(c)) colour = c;
  }
  // More sides than colours: a grey of their own.
  colour ??= `hsl(0, 0%, ${30 + ((h >>> 8) % 40)}%)`;
  assigned.set(name, colour);
  return colour;
}

// Event-type colours come from the server (/api/meta), the same the HTML brief's map uses.
/** @type {Record<string, string>} */
const TYPE_COLORS = {};

// ---------------------------------------------------------------------------------------------
// Dates

const DAY = 86400000;
/** The known_at parameter when the map shows only what had been reported by the date. */
const knownAt = (/** @type {string} */ date) => (field('as-known').checked ? `&known_at=${date}` : '');
const toDay = (/** @type {string} */ s) => Date.parse(`${s}T00:00:00Z`);
const fromDay = (/** @type {number} */ t) => new Date(t).toISOString().slice(0, 10);

/** How long before `date` the day `since` was, in words: "the same day", "6 days", "3 years". */
/** @param {string} since @param {string} date */
function ageBefore(since, date) {
  const days = Math.round((toDay(date) - toDay(since)) / DAY);
  if (days === 0) return 'the same day';
  const n = Math.abs(days);
  const [k, unit] = n < 60 ? [n, 'day'] : n < 730 ? [Math.round(n / 30.44), 'month'] : [Math.round(n / 365.25), 'year'];
  return `${k} ${unit}${k === 1 ? '' : 's'} ${days > 0 ? 'ago' : 'later'}`;
}
const sinceText = (/** @type {string | null} */ since, /** @type {string} */ date) => (since ? `since ${since}, ${ageBefore(since, date)}` : '');
const daysBetween = (/** @type {string} */ a, /** @type {string} */ b) => Math.round((toDay(b) - toDay(a)) / DAY);
/** Days without news after which a district's control fades (the panel's setting; 0: never). */
const fadeDays = () => Math.max(0, Math.floor(Number(field('fade-days').value) || 0));
/** The last day, up to `date`, a report spoke of the district's control: its latest claim. */
const lastReported = (/** @type {DistrictState} */ d, /** @type {string} */ date) => d.evidence.map((c) => c.date).filter((x) => x <= date).sort().pop() ?? d.since;
/** A controller not spoken of for more than the fading age. */
const isStale = (/** @type {DistrictState | undefined} */ d, /** @type {string} */ date) => Boolean(d?.controller && fadeDays() && d.last && daysBetween(d.last, date) > fadeDays());
/** "last reported 3 days ago (2021-08-18)", "last reported on this day". */
const lastText = (/** @type {string | null} */ last, /** @type {string} */ date) => {
  if (!last) return '';
  const n = daysBetween(last, date);
  return n === 0 ? 'last reported on this day' : `last reported ${n.toLocaleString('en')} day${n === 1 ? '' : 's'} ago (${last})`;
};

/** A certainty and who says so, without saying it twice ("reported", not "reported (reportedly)"). */
/** @param {string} certainty @param {string | null | undefined} attribution */
function certaintyText(certainty, attribution) {
  const a = attribution?.trim();
  return a && !a.toLowerCase().startsWith(String(certainty).slice(0, 5).toLowerCase()) ? `${certainty} (${a})` : String(certainty);
}

// ---------------------------------------------------------------------------------------------
// State

/**
 * What GET /api/meta says.
 * @typedef {{ version: string, date_range: { min: string, max: string } | null, counts: Record<string, number>, event_types: Record<string, string[]>,
 *   writes: string, write_secret?: string, limits: { body_bytes: number, report_chars: number }, sides: Record<string, string>, side_colours: Record<string, string> }} Meta
 * @typedef {import('geojson').Feature<import('geojson').Geometry, Record<string, any>>} AnyFeature
 * @typedef {import('geojson').Feature<import('geojson').Point, Record<string, any>>} PointFeature
 * @typedef {import('geojson').FeatureCollection<import('geojson').Geometry, Record<string, any>>} Collection
 * @typedef {import('geojson').FeatureCollection<import('geojson').Point, Record<string, any>>} PointCollection
 * @typedef {{ kind: string, id: string }} Selection
 * @typedef {Record<string, any>} ApiEvent an event as GET /api/events and /api/events/:id give it
 * @typedef {{ actor: string, events: number, side: string | null }} Actor
 * @typedef {{ country: string, admin1: string, admin2: string, pcode: string | null, controller: string | null, status: string, since: string | null,
 *   point: [number, number] | null, evidence: { date: string }[], last?: string | null }} DistrictState a district of GET /api/control, with the day it was last reported
 * @typedef {[[number, number], [number, number]]} Box corners south-west and north-east
 * @typedef {import('/vendor/maplibre-gl/maplibre-gl.mjs').GeoJSONSource} GeoJSONSource
 */

/** One of the map's GeoJSON sources (addLayers adds them all). @param {string} id */
const geojson = (id) => /** @type {GeoJSONSource} */ (map.getSource(id));
/** A point feature's coordinates, as a longitude and a latitude. @param {PointFeature} f */
const lngLat = (f) => /** @type {[number, number]} */ (f.geometry.coordinates);
/** The value of the input an event came from. @param {Event} e */
const valueOf = (e) => /** @type {HTMLInputElement} */ (e.target).value;

/** Set by start() before anything reads it: the page's data that is never absent once it runs. */
const unset = /** @type {any} */ (null);

const state = {
  /** @type {Meta} */
  meta: unset,
  /** @type {string[]} */
  days: [],
  /** @type {string} */
  date: unset,
  /** GeoJSON of adm2 with control properties set per date. @type {Collection} */
  districts: unset,
  /** @type {Collection} */
  provinces: unset,
  /** @type {PointCollection} */
  labels: unset,
  /** P-codes the boundary packs draw as polygons; other districts are drawn as points. */
  polygons: /** @type {Set<string>} */ (new Set()),
  /** District control at the date (GET /api/control), by code. @type {Map<string, any>} */
  control: new Map(),
  /** Control of districts without a polygon, as points (GeoJSON features). */
  /** @type {PointFeature[]} */
  controlPoints: [],
  /** The window's events by id, and their features (all of them; the filters pick what is drawn). */
  /** @type {Map<string, any>} */
  events: new Map(),
  /** @type {PointFeature[]} */
  features: [],
  /** The features the filters let through: what the map, the status line, the legend and the list show. */
  /** @type {PointFeature[]} */
  shown: [],
  truncated: false,
  selectedTypes: /** @type {Set<string>} */ (new Set()),
  actor: '',
  /** The countries of the store (GET /api/theatres), and the one last chosen ('' for every theatre). */
  /** @type {import('/ui/theatre.js').Theatre[]} */
  theatres: [],
  theatre: '',
  playing: false,
  /** What the details panel shows, so it can follow the date: {kind: 'district' | 'event', id}. */
  /** @type {Selection | null} */
  selected: null,
  /** The last pointer's kind: a touch leaves no tooltip behind. */
  pointer: 'mouse',
  controlSeq: 0,
  eventsSeq: 0,
  /** Events per day (GET /api/days) by date and type, for the chart; known_at it was read for. */
  /** @type {{ date: string, event_type: string, count: number }[] | null} */
  perDay: null,
  /** @type {string | null | undefined} */
  perDayKnown: undefined,
  /** The last alerts (GET /api/alerts?order=newest), newest first. */
  /** @type {import('/ui/alerts.js').Alert[]} */
  alerts: [],
};

const CREDITS = 'Districts: OCHA COD-AB, AGCHO · Countries: Natural Earth · Places: GeoNames (CC BY 4.0)';

const map = new MapLibreMap({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#cfdce6' } }] },
  center: [20, 20],
  zoom: 1.5,
  attributionControl: false,
});
const mapLoaded = new Promise((resolve) => map.once('load', resolve));
map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
// The credits the boundary and place data ask for, on the map itself (see NOTICE).
map.addControl(
  new AttributionControl({
    compact: true,
    customAttribution: CREDITS,
  }),
  'bottom-right',
);
// On a phone the credits start folded behind their (i) button: open, they cover the map's foot.
if (matchMedia('(max-width: 700px)').matches) map.once('load', () => document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));
// For tests and for anyone scripting the page.
window.sitrepMap = map;

/** @param {string} text */
function setStatus(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : '';
}

/** Resolves when the map has drawn everything it was given (a repaint asked for, so idle comes). */
const idle = () =>
  new Promise((resolve) => {
    map.once('idle', resolve);
    map.triggerRepaint();
  });

/** A diagonal hatch for contested districts, drawn once into an image the style can use. */
function hatchImage() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if ((x + y) % size > 1) continue;
      const i = (y * size + x) * 4;
      data.set([40, 40, 40, 200], i);
    }
  return { width: size, height: size, data };
}

/** @type {PointCollection} */
const EMPTY = { type: 'FeatureCollection', features: [] };

const ALERT_COLOR = '#d01c1c';

/** @param {Collection} countries */
function addLayers(countries) {
  map.addImage('hatch', hatchImage());
  // The world's countries under everything, so a theatre outside the boundary packs has a map.
  map.addSource('countries', { type: 'geojson', data: countries });
  map.addSource('districts', { type: 'geojson', data: state.districts, promoteId: 'pcode' });
  map.addSource('provinces', { type: 'geojson', data: state.provinces });
  map.addSource('control-points', { type: 'geojson', data: EMPTY });
  // Clustered up to zoom 5: a country's hundreds of events are counts, not one blot of circles.
  map.addSource('events', { type: 'geojson', data: EMPTY, cluster: true, clusterMaxZoom: 5, clusterRadius: 36 });
  map.addSource('search', { type: 'geojson', data: EMPTY });
  map.addSource('alerts', { type: 'geojson', data: EMPTY });
  // The alerts' districts in a source of their own: a layer over 'districts', which every date
  // change sets anew, costs the map a second a date in software WebGL (bench:map).
  map.addSource('alert-districts', { type: 'geojson', data: EMPTY });
  map.addSource('labels', { type: 'geojson', data: state.labels });
  map.addLayer({ id: 'country-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f2efe6' } });
  map.addLayer({ id: 'country-line', type: 'line', source: 'countries', paint: { 'line-color': '#8f8f8f', 'line-width': 0.7 } });
  map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': ['case', ['get', 'stale'], 0.3, 0.85] } });
  map.addLayer({ id: 'district-hatch', type: 'fill', source: 'districts', filter: ['==', ['get', 'status'], 'contested'], paint: { 'fill-pattern': 'hatch' } });
  map.addLayer({ id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#8a8a8a', 'line-width': 0.4 } });
  map.addLayer({
    id: 'district-contested',
    type: 'line',
    source: 'districts',
    filter: ['==', ['get', 'status'], 'contested'],
    paint: { 'line-color': '#111', 'line-width': 2, 'line-dasharray': [2, 1] },
  });
  map.addLayer({ id: 'province-line', type: 'line', source: 'provinces', paint: { 'line-color': '#333', 'line-width': 1.2 } });
  map.addLayer({
    id: 'district-selected',
    type: 'line',
    source: 'districts',
    filter: ['==', ['get', 'pcode'], ''],
    paint: { 'line-color': '#ffd400', 'line-width': 3 },
  });
  // A district no pack draws: a square-ish marker in its side's colour, thick dark ring when contested.
  map.addLayer({
    id: 'control-points',
    type: 'circle',
    source: 'control-points',
    paint: {
      'circle-color': ['get', 'color'],
      'circle-opacity': ['case', ['get', 'stale'], 0.35, 1],
      'circle-radius': 11,
      'circle-stroke-color': ['case', ['==', ['get', 'status'], 'contested'], '#111', '#555'],
      'circle-stroke-width': ['case', ['==', ['get', 'status'], 'contested'], 3, 1.5],
    },
  });
  // Names from the browser's own fonts: the style has no glyphs URL, so nothing is fetched.
  // Province names up to zoom 7.5, district names from there on.
  /** @param {string} id @param {number} level @param {{ minzoom?: number, maxzoom?: number }} zooms @param {number} size @param {string} color @param {number} halo */
  const labels = (id, level, zooms, size, color, halo) =>
    map.addLayer({
      id,
      type: 'symbol',
      source: 'labels',
      filter: ['==', ['get', 'level'], level],
      ...zooms,
      layout: { 'text-field': ['get', 'name'], 'text-size': size, 'text-font': ['sans-serif'] },
      paint: { 'text-color': color, 'text-halo-color': '#fff', 'text-halo-width': halo },
    });
  labels('province-label', 1, { maxzoom: 7.5 }, 12, '#222', 1.5);
  labels('district-label', 2, { minzoom: 7.5 }, 11, '#333', 1.2);
  map.addLayer({
    id: 'event-clusters',
    type: 'circle',
    source: 'events',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': '#37474f',
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 11, 10, 22, 40, 34],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
      'circle-opacity': 0.85,
    },
  });
  map.addLayer({
    id: 'event-cluster-count',
    type: 'symbol',
    source: 'events',
    filter: ['has', 'point_count'],
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-size': 12, 'text-font': ['sans-serif'], 'text-allow-overlap': true },
    paint: { 'text-color': '#fff' },
  });
  map.addLayer({
    id: 'events',
    type: 'circle',
    source: 'events',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': /** @type {import('/vendor/maplibre-gl/maplibre-gl.mjs').ExpressionSpecification} */ (/** @type {unknown} */ (['match', ['get', 'event_type'], ...Object.entries(TYPE_COLORS).flat(), '#444'])),
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'fatalities']], 0, 5.5, 3, 8, 10, 14, 30, 24],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 1.5,
      'circle-opacity': 0.9,
    },
  });
  // The last alerts: their districts outlined and their events ringed in red, over everything else.
  map.addLayer({ id: 'district-alert', type: 'line', source: 'alert-districts', paint: { 'line-color': ALERT_COLOR, 'line-width': 2.5, 'line-dasharray': [2, 1] } }, 'province-label');
  map.addLayer({ id: 'alert-events', type: 'circle', source: 'alerts', paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': ALERT_COLOR, 'circle-stroke-width': 3 } });
  // The place last found by the search: a ring, so it is seen under the events.
  map.addLayer({ id: 'search-place', type: 'circle', source: 'search', paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#0050b3', 'circle-stroke-width': 3 } });
}

// ---------------------------------------------------------------------------------------------
// Control at the chosen date

/** @param {string} date */
async function loadControl(date) {
  const seq = ++state.controlSeq;
  const doc = await api(`/api/control?as_of=${date}${knownAt(date)}`);
  if (seq !== state.controlSeq) return false;
  // Keyed as /api/timeline finds a district: its code, or its name when it has none.
  state.control = new Map(doc.districts.map((/** @type {DistrictState} */ d) => [d.pcode ?? d.admin2, d]));
  for (const d of state.control.values()) d.last = lastReported(d, date);
  const stale = (/** @type {DistrictState | undefined} */ d) => isStale(d, date);
  for (const f of state.districts.features) {
    const d = state.control.get(f.properties.pcode);
    f.properties.controller = d?.controller ?? null;
    f.properties.status = d?.status ?? 'unknown';
    f.properties.since = d?.since ?? null;
    f.properties.last = d?.last ?? null;
    f.properties.stale = stale(d);
    f.properties.color = d?.controller ? controllerColor(d.controller) : UNKNOWN;
  }
  state.controlPoints = doc.districts
    .filter((/** @type {DistrictState} */ d) => d.controller && d.point && !state.polygons.has(d.pcode ?? ''))
    .map((/** @type {DistrictState} */ d) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: d.point },
      properties: { code: d.pcode ?? d.admin2, name: d.admin2, admin1: d.admin1, country: d.country, controller: d.controller, status: d.status, since: d.since, last: d.last, stale: stale(d), color: controllerColor(/** @type {string} */ (d.controller)) },
    }));
  geojson('districts').setData(state.districts);
  geojson('control-points').setData({ type: 'FeatureCollection', features: state.controlPoints });
  renderControlLegend();
  return true;
}

function renderControlLegend() {
  const counts = new Map();
  let contested = 0;
  let unknown = 0;
  let stale = 0;
  for (const p of [...state.districts.features, ...state.controlPoints].map((f) => f.properties)) {
    const c = p.controller;
    if (!c) unknown++;
    else counts.set(c, (counts.get(c) ?? 0) + 1);
    if (p.status === 'contested') contested++;
    if (p.stale) stale++;
  }
  const items = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => el('div', { className: 'legend-item', dataset: { controller: name } }, el('span', { className: 'swatch', style: `background:${controllerColor(name)}` }), `${name} (${n})`));
  clear(
    $('legend-control'),
    el('h3', {}, 'Control'),
    ...items,
    el('div', { className: 'legend-item' }, el('span', { className: 'swatch hatch' }), `contested (${contested}), dashed outline or thick ring`),
    el('div', { className: 'legend-item' }, el('span', { className: 'swatch', style: `background:${UNKNOWN}` }), `unknown (${unknown})`),
    fadeDays()
      ? el('div', { className: 'legend-item', dataset: { stale: String(stale) } }, el('span', { className: 'swatch faded' }), `faded: no news for over ${fadeDays()} days (${stale})`)
      : null,
    state.controlPoints.length
      ? el('div', { className: 'legend-item', dataset: { points: String(state.controlPoints.length) } }, el('span', { className: 'swatch round', style: 'background:#fff;border-width:2px' }), `a district without boundaries here (${state.controlPoints.length}): a disc where its control was reported`)
      : null,
  );
}

function renderEventLegend() {
  const shown = countByType();
  clear(
    $('legend-events'),
    el('h3', {}, 'Events'),
    ...Object.entries(TYPE_COLORS)
      .filter(([t]) => state.selectedTypes.has(t))
      .map(([t, c]) => el('div', { className: 'legend-item' }, el('span', { className: 'swatch round', style: `background:${c}` }), `${t} (${shown.get(t) ?? 0})`)),
    el('div', { className: 'small' }, 'circle size grows with fatalities (0, 10, 100)'),
  );
}

// ---------------------------------------------------------------------------------------------
// Events up to the chosen date

const MAX_EVENTS = 20000;
const PAGE = 5000;

/** @param {ApiEvent} e @returns {PointFeature} */
function eventFeature(e) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [e.longitude, e.latitude] },
    properties: { event_id: e.event_id, event_type: e.event_type, fatalities: e.fatalities },
  };
}

/** "Brief for this view": the situation brief of the shown period, as one HTML page. */
/** @param {string} to @param {string} from @param {string | null} known */
function briefLink(to, from, known) {
  const q = new URLSearchParams({ from, to, format: 'html' });
  if (known) q.set('known_at', known);
  /** @type {HTMLAnchorElement} */ ($('brief-link')).href = `/api/brief?${q}`;
}

/** The events of the window ending at `date`, drawn page by page as they come. */
/** @param {string} date */
async function loadEvents(date) {
  const seq = ++state.eventsSeq;
  const params = new URLSearchParams({ to: date, limit: String(PAGE) });
  if (windowDays()) params.set('from', windowFrom(date));
  if (field('as-known').checked) params.set('known_at', date);
  briefLink(date, params.get('from') ?? state.days[0] ?? date, params.get('known_at'));
  const events = new Map();
  const features = [];
  let cursor = null;
  do {
    if (cursor) params.set('cursor', cursor);
    const page = await api(`/api/events?${params}`);
    if (seq !== state.eventsSeq) return false;
    for (const e of page.events) {
      events.set(e.event_id, e);
      if (e.latitude !== null && e.longitude !== null) features.push(eventFeature(e));
    }
    state.events = events;
    state.features = features;
    cursor = page.next;
    state.truncated = Boolean(cursor);
    applyEventFilter();
  } while (cursor && events.size < MAX_EVENTS);
  return true;
}

// The actor filter: a whole actor name or a side (rules/control/sides.tsv), never a piece of one,
// so "Taliban" is the Taliban under both their names and not the Anti-Taliban Militia.
const sideOf = (/** @type {string} */ actor) => state.meta?.sides?.[actor] ?? actor;
/** The actors of an event, one name each (ACLED joins several associated actors with "; "). */
const actorsOf = (/** @type {ApiEvent} */ e) => [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].flatMap((a) => (a ? a.split(/;\s*/) : [])).filter(Boolean);

/** The choices: every side with its members in the store, then every actor of the store (GET /api/actors), most named first. */
async function loadActorChoices() {
  const { actors } = await api('/api/actors');
  const members = new Map();
  for (const a of actors) if (a.side && a.side !== a.actor) members.set(a.side, [...(members.get(a.side) ?? []), a.actor]);
  clear(
    $('actor-list'),
    ...[...members].map(([side, names]) => el('option', { value: side, label: `side: ${names.join(', ')}` })),
    ...actors.filter((/** @type {Actor} */ a) => !members.has(a.actor)).map((/** @type {Actor} */ a) => el('option', { value: a.actor, label: `${a.events.toLocaleString('en')} event${a.events === 1 ? '' : 's'}` })),
  );
}

function actorMatch() {
  const want = state.actor.toLowerCase();
  if (!want) return () => true;
  return (/** @type {ApiEvent} */ e) => actorsOf(e).some((a) => a.toLowerCase() === want || sideOf(a).toLowerCase() === want);
}

/** Types and actor applied to the window's events: the map, the status, the legend and the list agree. */
function applyEventFilter() {
  const match = actorMatch();
  const shown = state.features.filter((f) => state.selectedTypes.has(f.properties.event_type) && match(state.events.get(f.properties.event_id)));
  state.shown = shown;
  geojson('events')?.setData({ type: 'FeatureCollection', features: shown });
  const n = shown.length;
  const all = state.features.length;
  const filtered = n === all ? '' : ` (of ${all.toLocaleString('en')} in the window)`;
  setStatus(`${n.toLocaleString('en')} event${n === 1 ? '' : 's'} on the map${filtered}${state.truncated ? ` (the first ${MAX_EVENTS.toLocaleString('en')}: choose fewer days)` : ''}`);
  $('actor-hint').textContent = state.actor && ![...state.events.values()].some(match) ? `No actor or side named "${state.actor}" in these dates: choose one from the list.` : '';
  renderEventLegend();
  renderEventList();
}

function countByType() {
  const counts = new Map();
  for (const f of state.shown) counts.set(f.properties.event_type, (counts.get(f.properties.event_type) ?? 0) + 1);
  return counts;
}

function renderTypeFilters() {
  const box = $('type-filters');
  clear(box, el('legend', {}, 'Types'));
  for (const t of Object.keys(state.meta.event_types)) {
    state.selectedTypes.add(t);
    const input = el('input', { type: 'checkbox', checked: true, value: t, onchange: (/** @type {Event} */ ev) => {
      if (/** @type {HTMLInputElement} */ (ev.target).checked) state.selectedTypes.add(t);
      else state.selectedTypes.delete(t);
      applyEventFilter();
      renderChart().catch((e) => setStatus(e.message, true));
      saveView();
    } });
    box.append(el('label', {}, input, el('span', { className: 'swatch round', style: `background:${TYPE_COLORS[t] ?? '#444'}` }), t));
  }
}

const LIST_MAX = 200;
const eventLine = (/** @type {ApiEvent} */ e) => `${e.event_date} · ${e.sub_event_type} · ${[e.location, e.country].filter(Boolean).join(', ')}${e.fatalities ? ` · ${e.fatalities} killed` : ''}`;

/** @param {ApiEvent} e */
function eventButton(e) {
  return el('button', { type: 'button', dataset: { eventId: e.event_id }, onclick: () => showEvent(e.event_id) }, eventLine(e));
}

/** The shown events inside the map's view, newest first: every event reachable by keyboard. */
function renderEventList() {
  const b = map.getBounds();
  const inView = state.shown.filter((f) => b.contains(lngLat(f))).map((f) => state.events.get(f.properties.event_id));
  inView.sort((x, y) => (x.event_date < y.event_date ? 1 : x.event_date > y.event_date ? -1 : 0));
  clear(
    $('event-list'),
    ...inView.slice(0, LIST_MAX).map((e) => el('li', {}, eventButton(e))),
    inView.length > LIST_MAX ? el('li', { className: 'hint' }, `and ${inView.length - LIST_MAX} more: zoom in or filter`) : null,
    inView.length ? null : el('li', { className: 'hint' }, 'No event in view.'),
  );
}

// ---------------------------------------------------------------------------------------------
// Details: a district's timeline, an event's sources

const reports = new Map();
/** @param {number} id @returns {Promise<string>} */
function reportText(id) {
  if (!reports.has(id)) reports.set(id, api(`/api/reports/${id}`).then((r) => r.text));
  return reports.get(id);
}

/** @param {number | null} reportId @param {import('/ui/dom.js').Span[] | null | undefined} spans */
async function evidenceFor(reportId, spans) {
  if (!spans?.length) return [];
  const text = reportId == null ? null : await reportText(reportId).catch(() => null);
  return evidenceBlocks(text, spans);
}

/** "control: X (from Y)" only when the district changes hands; "contest: X against Y" for a contest. */
/** @param {{ kind: string, actor: string, against?: string | null }} c */
function claimLine(c) {
  const other = c.against && c.against !== c.actor ? c.against : null;
  if (!other) return `${c.kind}: ${c.actor}`;
  return c.kind === 'contest' ? `contest: ${c.actor} against ${other}` : `${c.kind}: ${c.actor} (from ${other})`;
}

/** @param {string} code */
async function showDistrict(code) {
  const body = $('details-body');
  body.className = '';
  state.selected = { kind: 'district', id: code };
  saveView();
  delete $('details').dataset.loaded;
  map.setFilter('district-selected', ['==', ['get', 'pcode'], code]);
  const date = state.date;
  try {
    const t = await api(`/api/timeline?admin2=${encodeURIComponent(code)}${knownAt(date)}`);
    const now = state.control.get(code);
    const claims = [];
    let after = 0;
    for (const c of [...t.claims].reverse()) {
      // Told of after the slider's date: what the map does not show yet.
      const later = c.date > date || (field('as-known').checked && c.known_at > date);
      if (later) after++;
      claims.push(
        el(
          'div',
          { className: later ? 'claim after' : 'claim' },
          el('div', {}, el('strong', {}, c.date), ` ${claimLine(c)}`),
          el('div', { className: 'meta' }, [certaintyText(c.certainty, c.attribution), c.source, c.known_at !== c.date ? `reported ${c.known_at}` : null].filter(Boolean).join(' · ')),
          ...(await evidenceFor(c.report_id, c.spans)),
          c.spans?.length ? null : el('div', { className: 'meta' }, c.reason),
        ),
      );
    }
    if (state.date !== date) return;
    clear(
      body,
      el('h3', {}, `${t.district.admin2}, ${t.district.admin1}`),
      el('div', { className: 'meta' }, `${t.district.country} · ${t.district.code}`),
      el('p', { className: 'now' }, `On ${date}: `, now?.controller ? `${now.controller}, ${now.status} ${sinceText(now.since, date)}` : 'no control known'),
      now?.controller && now.last
        ? el('p', { className: isStale(now, date) ? 'age stale' : 'age' }, `${lastText(now.last, date)}${isStale(now, date) ? `: no news for over ${fadeDays()} days, shown faded` : ''}`)
        : null,
      el('h3', {}, `Control history (${t.claims.length} claim${t.claims.length === 1 ? '' : 's'}, newest first${after ? `; ${after} after ${date}, greyed` : ''})`),
      ...(claims.length ? claims : [el('div', { className: 'hint' }, 'No report has spoken of this district.')]),
    );
  } catch (/** @type {any} */ e) {
    clear(body, el('div', { className: 'error' }, e.message));
  }
  $('details').dataset.loaded = `district:${code}`;
  $('details').dataset.date = date;
  $('details').scrollIntoView({ block: 'nearest' });
}

const killedText = (/** @type {number} */ n) => (n ? `${n} killed` : 'no death toll given');

/** @param {ApiEvent} e */
function eventSummary(e) {
  return [
    el('h3', {}, `${e.event_date} · ${e.sub_event_type}`),
    el(
      'dl',
      {},
      el('dt', {}, 'type'), el('dd', {}, e.event_type),
      el('dt', {}, 'where'), el('dd', {}, [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(', ')),
      el('dt', {}, 'who'), el('dd', {}, [e.actor1, e.actor2].filter(Boolean).join(' v ') || '—'),
      el('dt', {}, 'fatalities'), el('dd', {}, e.fatalities ? String(e.fatalities) : '0 (no figure given)'),
      el('dt', {}, 'certainty'), el('dd', {}, certaintyText(e.certainty, e.attribution)),
    ),
  ];
}

/** @param {string} id */
async function showEvent(id) {
  const body = $('details-body');
  body.className = '';
  state.selected = { kind: 'event', id };
  saveView();
  delete $('details').dataset.loaded;
  try {
    const e = await api(`/api/events/${encodeURIComponent(id)}`);
    const sources = [];
    for (const s of e.sources) {
      sources.push(
        el(
          'div',
          { className: 'source' },
          el('div', {}, el('strong', {}, s.source || 'unnamed source'), s.published ? ` · ${s.published}` : '', ' · ', s.url ? link(s.url, s.title || s.url) : s.title || `report ${s.report_id}`),
          el('div', { className: 'meta' }, `${s.fatalities ? `says ${s.fatalities} killed` : killedText(0)} · ${certaintyText(s.certainty, s.attribution)}`),
          ...(await evidenceFor(s.report_id, s.evidence)),
        ),
      );
    }
    clear(body, ...eventSummary(e), el('div', { className: 'meta' }, e.notes), el('h3', {}, `Sources (${e.sources.length})`), ...sources);
  } catch (/** @type {any} */ err) {
    clear(body, el('div', { className: 'error' }, err.message));
  }
  $('details').dataset.loaded = `event:${id}`;
  $('details').scrollIntoView({ block: 'nearest' });
}

/** Several events under one tap: a list to choose from, as circles on one place hide each other. */
/** @param {string[]} ids */
function showEventsHere(ids) {
  state.selected = null;
  const events = ids.map((id) => state.events.get(id)).filter(Boolean);
  clear(
    $('details-body'),
    el('h3', {}, `${events.length} events here`),
    el('ul', { className: 'here-list' }, ...events.map((e) => el('li', {}, eventButton(e)))),
  );
  $('details-body').className = '';
  $('details').dataset.loaded = `events:${events.length}`;
  $('details').scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------------------------
// Alerts: the last ones listed, and marked on the map

const ALERTS_SHOWN = 20;

/** Reads the last alerts (another process raises them: read again every minute) and shows them. */
async function loadAlerts() {
  const { alerts } = await api(`/api/alerts?order=newest&limit=${ALERTS_SHOWN}`);
  state.alerts = alerts;
  renderAlerts($('alert-list'), alerts, { event: showEvent, district: showDistrict, focus: focusAlert });
  $('alerts-count').textContent = alerts.length ? ` (${alerts.length})` : '';
  const marks = alertMarks(alerts);
  geojson('alerts').setData(marks.points);
  // A district drawn as a point (no polygon) has its alert's events ringed, not an outline.
  const codes = new Set(marks.districts);
  geojson('alert-districts').setData({ type: 'FeatureCollection', features: state.districts.features.filter((f) => codes.has(f.properties.pcode)) });
  $('alerts').dataset.loaded = String(alerts.length);
}

/** An alert's place on the map: its events and district brought into view, the district's history or its event opened. */
/** @param {import('/ui/alerts.js').Alert} a */
function focusAlert(a) {
  const code = a.district?.code;
  const district = code ? (state.labels.features.find((f) => f.properties.level === 2 && f.properties.pcode === code) ?? state.controlPoints.find((f) => f.properties.code === code)) : undefined;
  /** @type {[number, number][]} */
  const points = [...a.points.map((p) => /** @type {[number, number]} */ ([p.longitude, p.latitude])), ...(district ? [lngLat(district)] : [])];
  if (points.length) {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    map.once('moveend', () => ($('map').dataset.alert = String(a.id)));
    map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 60, maxZoom: 8, duration: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 800 });
  }
  if (code) showDistrict(code);
  else if (a.events[0]) showEvent(a.events[0]);
}

// ---------------------------------------------------------------------------------------------
// Paste a report

function pasteBody() {
  /** @type {{ text: string, html: boolean, published?: string, source?: string }} */
  const body = { text: textArea('paste-text').value, html: false };
  if (field('paste-published').value) body.published = field('paste-published').value;
  if (field('paste-source').value.trim()) body.source = field('paste-source').value.trim();
  return body;
}

/** The API's message in the words of the page: what to do, not which field failed. */
/** @param {string} message */
function pasteError(message) {
  if (/\btext\b.*(empty|required)/i.test(message)) return 'Paste a report first.';
  if (/too big|too long|larger than/i.test(message)) return `The report is too long: at most ${(state.meta?.limits?.report_chars ?? 500000).toLocaleString('en')} characters. Paste a part of it.`;
  if (/published/i.test(message)) return 'The publication date is not a date: use the date field (YYYY-MM-DD).';
  // A message about the file a command-line user would have named: the page has none.
  return message.replace(/\breport\.(txt|html):\s*/g, '');
}

/** The same line said many times (a long situation report repeats its contests) shown once with a count. */
/** @param {string[]} lines */
function foldLines(lines) {
  const counts = new Map();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([line, n]) => el('li', {}, line, n > 1 ? el('span', { className: 'claim-fold' }, ` ×${n}`) : null));
}

async function preview() {
  const out = $('paste-result');
  pressable('paste-store').disabled = true;
  delete out.dataset.state;
  try {
    if (!textArea('paste-text').value.trim()) throw new Error('text is empty');
    const r = await api('/api/extract', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(pasteBody()) });
    const cards = r.events.map((/** @type {ApiEvent} */ e) => el('div', { className: 'event-card' }, ...eventSummary(e), ...evidenceBlocks(r.text, e.evidence)));
    const claims = foldLines(r.claims.map((/** @type {any} */ c) => `${c.valid_from} ${claimLine(c)} — ${c.district.admin2}, ${c.district.admin1}`));
    const today = fromDay(Date.now());
    const dated = field('paste-published').value
      ? null
      : el('p', { className: 'dated' }, `No publication date given: sitrep dated it ${r.published}${r.published === today ? ' (today), as the text names no date of its own' : ' from a date in the text'}. Set the date above if that is wrong.`);
    clear(
      out,
      el('p', {}, `sitrep finds ${r.events.length} event${r.events.length === 1 ? '' : 's'} and ${r.claims.length} control claim${r.claims.length === 1 ? '' : 's'} (published ${r.published}). Nothing is stored until you press Store.`),
      dated,
      ...r.warnings.map((/** @type {string} */ w) => el('div', { className: 'meta' }, `warning: ${w}`)),
      claims.length ? el('ul', {}, ...claims) : null,
      ...cards,
    );
    pressable('paste-store').disabled = state.meta.writes === 'closed';
    if (state.meta.writes === 'closed') out.append(el('div', { className: 'hint' }, 'This server takes no writes (start it with --token, or --open on 127.0.0.1).'));
    out.dataset.state = 'previewed';
  } catch (/** @type {any} */ e) {
    clear(out, el('div', { className: 'error' }, pasteError(e.message)));
    out.dataset.state = 'error';
  }
}

async function store() {
  const out = $('paste-result');
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json' };
  const token = field('paste-token').value.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  // A server started with --open takes writes only from its own page, which /api/meta gives a secret.
  else if (state.meta.write_secret) headers['X-Sitrep-Write-Secret'] = state.meta.write_secret;
  try {
    const r = await api('/api/reports', { method: 'POST', headers, body: JSON.stringify(pasteBody()) });
    clear(
      out,
      el('p', {}, r.status === 'known' ? `Already stored (report ${r.report_id}).` : `Stored as report ${r.report_id}: ${r.events_added} new events, ${r.events_merged} merged, ${r.claims} control claims.`),
    );
    out.dataset.state = 'stored';
    pressable('paste-store').disabled = true;
    await refreshMeta();
  } catch (/** @type {any} */ e) {
    out.append(el('div', { className: 'error' }, `Not stored: ${pasteError(e.message)}`));
    out.dataset.state = 'error';
  }
}

// ---------------------------------------------------------------------------------------------
// Time

/** @param {{ min: string, max: string } | null} range */
function setDays(range) {
  const min = range?.min ?? fromDay(Date.now());
  const max = range?.max ?? min;
  state.days = [];
  for (let t = toDay(min); t <= toDay(max); t += DAY) state.days.push(fromDay(t));
  const slider = field('date-slider');
  slider.max = String(state.days.length - 1);
  Object.assign(field('date-input'), { min, max });
  $('date-min').textContent = min;
  $('date-max').textContent = max;
}

/** The days of events shown: the window's length (0: every day up to the date). */
const windowDays = () => Number(choice('window').value);
/** The first day of the window ending at `date`. */
const windowFrom = (/** @type {string} */ date) => (windowDays() ? fromDay(Math.max(toDay(state.days[0] ?? date), toDay(date) - (windowDays() - 1) * DAY)) : state.days[0] ?? date);

/** Sets the window's length, adding it to the choices when it is not one of them (a brush on the chart, a shared link). */
/** @param {number} n */
function setWindow(n) {
  const select = choice('window');
  if (![...select.options].some((o) => o.value === String(n))) {
    select.querySelector('option[data-custom]')?.remove();
    select.append(el('option', { value: String(n), dataset: { custom: 'true' } }, `${n} days`));
  }
  select.value = String(n);
}

/** The chart above the slider: events per day of the types shown, as known by the date when asked. */
async function renderChart() {
  const known = field('as-known').checked ? state.date : null;
  if (!state.perDay || state.perDayKnown !== known) {
    const r = await api(`/api/days${known ? `?known_at=${known}` : ''}`);
    state.perDay = r.days;
    state.perDayKnown = known;
  }
  const perDay = new Map();
  for (const d of state.perDay ?? []) if (state.selectedTypes.has(d.event_type)) perDay.set(d.date, (perDay.get(d.date) ?? 0) + d.count);
  chart.setData(state.days, perDay);
  chart.setView(windowFrom(state.date), state.date);
}

/** What the date shows, over the map: the date and the days of events drawn. */
function renderMapDate() {
  const n = windowDays();
  $('map-date').textContent = `${state.date}${n === 1 ? ' · events of this day' : n ? ` · events of ${n} days to this date` : ' · all events to this date'}${field('as-known').checked ? ' · as known then' : ''}`;
}

/**
 * Shows day `i`; resolves once the control and events of that day are drawn (the map idle), or,
 * with `settle` false (the opening, whose view moves next), once they are given to the map.
 */
/** @param {number} i */
async function selectDay(i, settle = true) {
  const slider = field('date-slider');
  i = Math.max(0, Math.min(state.days.length - 1, i));
  slider.value = String(i);
  state.date = state.days[i];
  const date = state.date;
  slider.setAttribute('aria-valuetext', date);
  $('date-label').textContent = date;
  field('date-input').value = date;
  document.body.dataset.date = date;
  renderMapDate();
  const [control, events] = await Promise.all([
    loadControl(date).catch((e) => void setStatus(e.message, true)),
    loadEvents(date).catch((e) => void setStatus(e.message, true)),
    renderChart().catch((e) => void setStatus(e.message, true)),
  ]);
  if (state.selected?.kind === 'district' && date === state.date) showDistrict(state.selected.id);
  saveView();
  if (settle) await idle();
  // Tests read these after the map has drawn the new data.
  if (control && date === state.date) $('map').dataset.controlDate = date;
  if (events && date === state.date) $('map').dataset.eventsDate = date;
}

const dayIndex = () => Number(field('date-slider').value);

const chart = dayChart(/** @type {SVGSVGElement} */ (/** @type {unknown} */ ($('chart'))), {
  // A range dragged across the chart: its days are the window, its last day the date.
  onBrush: (from, to) => {
    setWindow(daysBetween(from, to) + 1);
    selectDay(state.days.indexOf(to));
  },
  onDay: (day) => selectDay(state.days.indexOf(day)),
});

/** Play: a step of a day over a short range, a week over a long one; the next waits for the map to settle. */
async function togglePlay() {
  const button = pressable('play');
  if (state.playing) {
    state.playing = false;
    button.textContent = '▶ Play';
    return;
  }
  if (dayIndex() >= state.days.length - 1) await selectDay(0);
  state.playing = true;
  button.textContent = '❚❚ Pause';
  const step = state.days.length > 90 ? 7 : 1;
  while (state.playing) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (!state.playing) break;
    await selectDay(dayIndex() + step);
    if (dayIndex() >= state.days.length - 1) break;
  }
  state.playing = false;
  button.textContent = '▶ Play';
}

// ---------------------------------------------------------------------------------------------
// The view in the address

/** Whether the page has put its first view up: before that, nothing is written to the address. */
let viewReady = false;

function saveView() {
  if (!viewReady) return;
  const all = Object.keys(state.meta.event_types);
  writeView({
    date: state.date,
    window: windowDays(),
    known: field('as-known').checked,
    fade: fadeDays(),
    types: all.every((t) => state.selectedTypes.has(t)) ? null : all.filter((t) => state.selectedTypes.has(t)),
    actor: state.actor,
    theatre: state.theatre,
    bounds: map.getBounds().toArray(),
    sel: state.selected,
  });
}

/** The settings a shared address asks for, put into the controls before the first date is drawn. */
/** @param {ReturnType<typeof readView>} v */
function applyView(v) {
  if (v.window !== undefined) setWindow(v.window);
  if (v.known) field('as-known').checked = true;
  if (v.fade !== undefined) field('fade-days').value = String(v.fade);
  if (v.types) {
    state.selectedTypes = new Set(v.types.filter((t) => t in state.meta.event_types));
    for (const input of $('type-filters').querySelectorAll('input')) input.checked = state.selectedTypes.has(input.value);
  }
  if (v.actor) {
    field('actor-filter').value = v.actor;
    state.actor = v.actor;
  }
  if (v.theatre && state.theatres.some((t) => t.country === v.theatre)) state.theatre = v.theatre;
  renderTheatres(choice('theatre'), state.theatres, state.theatre);
}

// ---------------------------------------------------------------------------------------------
// Export

/** The events of the list: shown by the filters and inside the map's view, newest first. */
function eventsInView() {
  const b = map.getBounds();
  return state.shown
    .filter((f) => b.contains(lngLat(f)))
    .map((f) => state.events.get(f.properties.event_id))
    .sort((x, y) => (x.event_date < y.event_date ? 1 : x.event_date > y.event_date ? -1 : 0));
}

const exportName = (/** @type {string} */ ext) => `sitrep-${windowFrom(state.date)}-to-${state.date}.${ext}`;

async function exportPng() {
  const legend = [
    ...[...new Set([...state.districts.features, ...state.controlPoints].map((f) => f.properties.controller).filter(Boolean))].map((c) => ({ colour: controllerColor(c), label: c })),
    ...[...countByType()].map(([t, n]) => ({ colour: TYPE_COLORS[t] ?? '#444', label: `${t} (${n})`, round: true })),
  ];
  const faded = [...state.districts.features, ...state.controlPoints].filter((f) => f.properties.stale).length;
  if (faded) legend.push({ colour: 'rgba(224,200,138,.35)', label: `pale: no news for over ${fadeDays()} days (${faded})` });
  const n = windowDays();
  const blob = await mapPng(map, {
    title: `${state.date}${field('as-known').checked ? ' (as known then)' : ''}`,
    subtitle: `Control on this date; events ${n ? `from ${windowFrom(state.date)} to ${state.date}` : `to ${state.date}`}${state.actor ? `, ${state.actor}` : ''} · sitrep`,
    legend,
    credits: CREDITS,
  });
  download(exportName('png'), blob);
}

async function refreshMeta() {
  state.meta = await api('/api/meta');
  // A stored report may bring a country, or events to one.
  api('/api/theatres')
    .then((r) => renderTheatres(choice('theatre'), (state.theatres = r.theatres), state.theatre))
    .catch((e) => setStatus(e.message, true));
  loadActorChoices().catch((e) => setStatus(e.message, true));
  const keep = state.date;
  setDays(state.meta.date_range);
  const i = keep ? state.days.indexOf(keep) : -1;
  await selectDay(i >= 0 ? i : state.days.length - 1);
}

// ---------------------------------------------------------------------------------------------
// The first view

/**
 * The opening view: the events of the window and the districts whose control changed in it;
 * else every district with a known controller; else the whole world.
 */
function openingBounds() {
  const from = windowFrom(state.date);
  const labelOf = new Map(state.labels.features.filter((f) => f.properties.level === 2).map((f) => [f.properties.pcode, lngLat(f)]));
  /** @param {(d: any) => boolean} keep @returns {[number, number][]} */
  const districtPoints = (keep) => [
    ...[...state.control.values()].filter(keep).map((d) => labelOf.get(d.pcode)).filter(/** @returns {p is [number, number]} */ (p) => p !== undefined),
    ...state.controlPoints.filter((f) => keep(f.properties)).map(lngLat),
  ];
  let points = [...state.features.map(lngLat), ...districtPoints((d) => d.controller && d.since && d.since >= from)];
  if (!points.length) points = districtPoints((d) => d.controller);
  if (!points.length) return null;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  /** @type {Box} */
  const box = [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
  return box;
}

/** How a view is fitted to what it shows: the opening view, a theatre chosen. */
const FIT = { padding: 40, maxZoom: 6 };

/** The theatre chosen: the map fitted to its events and controls (every theatre's for ''). */
function fitTheatre() {
  const bounds = theatreBounds(state.theatres, state.theatre);
  if (!bounds) return;
  delete $('map').dataset.theatre;
  map.once('moveend', () => ($('map').dataset.theatre = state.theatre || '*'));
  map.fitBounds(bounds, { ...FIT, duration: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 800 });
}

/** A cluster clicked: zoomed into, or, when its events share one place, listed. */
/** @param {PointFeature} f */
async function openCluster(f) {
  const source = geojson('events');
  const id = f.properties.cluster_id;
  const leaves = /** @type {PointFeature[]} */ (await source.getClusterLeaves(id, 50, 0));
  const places = new Set(leaves.map((l) => l.geometry.coordinates.join(',')));
  if (places.size === 1) return showEventsHere(leaves.map((l) => l.properties.event_id));
  const zoom = await source.getClusterExpansionZoom(id);
  map.easeTo({ center: lngLat(f), zoom });
}

/** The zoom a found place is shown at, by its level. */
/** @type {Record<string, number>} */
const PLACE_ZOOM = { country: 5, admin1: 7, admin2: 9, town: 10, point: 10 };

/** A place picked in the search: marked with a ring and flown to. */
/** @param {{ longitude: number, latitude: number, location: string, level: string }} r */
function flyToPlace(r) {
  /** @type {[number, number]} */
  const point = [r.longitude, r.latitude];
  geojson('search').setData({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { name: r.location } }] });
  map.flyTo({ center: point, zoom: PLACE_ZOOM[r.level] ?? 9, duration: matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1200 });
  map.once('moveend', () => ($('map').dataset.place = r.location));
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  const [meta, topology, labels, world, theatres] = await Promise.all([api('/api/meta'), api('/api/boundaries'), api('/api/labels'), api('/data/world/countries.topo.json'), api('/api/theatres')]);
  state.meta = meta;
  state.theatres = theatres.theatres;
  Object.assign(TYPE_COLORS, meta.type_colours);
  state.labels = labels;
  state.districts = /** @type {Collection} */ (/** @type {unknown} */ (window.topojson.feature(topology, topology.objects.adm2)));
  state.provinces = /** @type {Collection} */ (/** @type {unknown} */ (window.topojson.feature(topology, topology.objects.adm1)));
  for (const f of state.districts.features) {
    Object.assign(f.properties, { controller: null, status: 'unknown', color: UNKNOWN });
    state.polygons.add(f.properties.pcode);
  }
  await mapLoaded;
  addLayers(/** @type {Collection} */ (/** @type {unknown} */ (window.topojson.feature(world, world.objects.countries))));
  renderTypeFilters();
  setDays(meta.date_range);
  loadActorChoices().catch((e) => setStatus(e.message, true));

  field('date-slider').addEventListener('input', (e) => selectDay(Number(valueOf(e))));
  field('date-input').addEventListener('change', (e) => {
    const i = state.days.indexOf(valueOf(e));
    if (i >= 0) return void selectDay(i);
    // A date outside the store's range: the nearest end of it.
    if (valueOf(e)) selectDay(valueOf(e) < state.days[0] ? 0 : state.days.length - 1);
  });
  for (const b of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button.step'))) b.addEventListener('click', () => selectDay(dayIndex() + Number(b.dataset.days)));
  pressable('play').addEventListener('click', togglePlay);
  choice('window').addEventListener('change', () => selectDay(dayIndex()));
  choice('theatre').addEventListener('change', (e) => {
    state.theatre = valueOf(e);
    fitTheatre();
    saveView();
  });
  field('as-known').addEventListener('change', () => selectDay(dayIndex()));
  field('fade-days').addEventListener('change', () => selectDay(dayIndex()));
  field('actor-filter').addEventListener('input', (e) => {
    state.actor = valueOf(e).trim();
    applyEventFilter();
    saveView();
  });
  $('export-csv').addEventListener('click', () => download(exportName('csv'), new Blob([eventsCsv(eventsInView())], { type: 'text/csv' })));
  $('export-geojson').addEventListener('click', () => download(exportName('geojson'), new Blob([eventsGeoJson(eventsInView())], { type: 'application/geo+json' })));
  $('export-png').addEventListener('click', () => exportPng().catch((e) => setStatus(`No image: ${e.message}`, true)));
  placeSearch({ input: field('place-search'), list: $('place-results'), hint: $('search-hint'), api, onPick: flyToPlace });
  pressable('paste-preview').addEventListener('click', preview);
  pressable('paste-store').addEventListener('click', store);
  textArea('paste-text').addEventListener('input', () => {
    pressable('paste-store').disabled = true;
    pressable('paste-preview').disabled = !textArea('paste-text').value.trim();
  });
  $('panel-toggle').addEventListener('click', () => {
    const folded = document.body.dataset.panel !== 'folded';
    document.body.dataset.panel = folded ? 'folded' : 'open';
    $('panel-toggle').textContent = folded ? 'show panel' : 'hide panel';
    $('panel-toggle').setAttribute('aria-expanded', String(!folded));
  });
  map.on('moveend', () => {
    renderEventList();
    saveView();
  });

  // A click takes the events within a finger's width, not only under the pixel.
  /** @param {{ x: number, y: number }} p @param {number} r @returns {[[number, number], [number, number]]} */
  const near = (p, r) => [[p.x - r, p.y - r], [p.x + r, p.y + r]];
  map.on('click', (e) => {
    $('tooltip').hidden = true;
    const r = state.pointer === 'mouse' ? 6 : 14;
    const cluster = map.queryRenderedFeatures(near(e.point, r), { layers: ['event-clusters'] })[0];
    if (cluster) return void openCluster(/** @type {PointFeature} */ (/** @type {unknown} */ (cluster)));
    const hits = map.queryRenderedFeatures(near(e.point, r), { layers: ['events'] });
    const ids = [...new Set(hits.map((h) => h.properties.event_id))];
    if (ids.length === 1) return void showEvent(ids[0]);
    if (ids.length > 1) return void showEventsHere(ids);
    const p = map.queryRenderedFeatures(near(e.point, r), { layers: ['control-points'] })[0];
    if (p) return void showDistrict(p.properties.code);
    const d = map.queryRenderedFeatures(e.point, { layers: ['district-fill'] })[0];
    if (d) showDistrict(d.properties.pcode);
  });
  const tip = $('tooltip');
  const canvas = map.getCanvasContainer();
  for (const type of ['pointerdown', 'pointermove']) canvas.addEventListener(type, (e) => (state.pointer = /** @type {PointerEvent} */ (e).pointerType), { capture: true });
  map.on('mousemove', (e) => {
    if (state.pointer !== 'mouse') return void (tip.hidden = true);
    const hit = map.queryRenderedFeatures(e.point, { layers: ['control-points', 'district-fill'] })[0];
    map.getCanvas().style.cursor = map.queryRenderedFeatures(near(e.point, 6), { layers: ['events'] }).length || hit ? 'pointer' : '';
    if (!hit) return void (tip.hidden = true);
    const p = hit.properties;
    const known = (/** @type {unknown} */ v) => v && v !== 'null';
    const control = known(p.controller) ? `${p.controller} (${p.status}${known(p.since) ? `, ${sinceText(p.since, state.date)}` : ''}${known(p.last) ? `; ${lastText(p.last, state.date)}` : ''})` : 'unknown';
    tip.textContent = `${p.name}, ${p.admin1}: ${control}`;
    tip.style.left = `${e.originalEvent.clientX + 12}px`;
    tip.style.top = `${e.originalEvent.clientY + 12}px`;
    tip.hidden = false;
  });
  canvas.addEventListener('mouseleave', () => (tip.hidden = true));

  // A shared address gives the date, the settings, the bounds and the selection; else the last
  // date, fitted to its theatre's events and controls when it names one, else to its own.
  const asked = readView(location.search);
  applyView(asked);
  const day = asked.date ? state.days.indexOf(asked.date) : -1;
  // Drawn once, in the view it opens at: no render of the whole world first.
  await selectDay(day >= 0 ? day : asked.date && asked.date < state.days[0] ? 0 : state.days.length - 1, false);
  const bounds = asked.bounds ?? (state.theatre ? theatreBounds(state.theatres, state.theatre) : openingBounds());
  if (bounds) map.fitBounds(bounds, { ...(asked.bounds ? { padding: 0, maxZoom: 18 } : FIT), duration: 0 });
  await idle();
  renderEventList();
  viewReady = true;
  await loadAlerts().catch((e) => setStatus(`No alerts: ${e.message}`, true));
  setInterval(() => loadAlerts().catch((e) => setStatus(`No alerts: ${e.message}`, true)), 60_000);
  if (asked.sel?.kind === 'district') await showDistrict(asked.sel.id);
  else if (asked.sel?.kind === 'event') await showEvent(asked.sel.id);
  saveView();
  document.documentElement.dataset.ready = 'true';
}

start().catch((e) => {
  setStatus(`cannot load: ${e.message}`, true);
  document.documentElement.dataset.ready = 'error';
});
