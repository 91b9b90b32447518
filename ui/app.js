// The sitrep web map: district control at a date and the events around it, drawn with MapLibre
// GL JS from data this page gets only through sitrep's HTTP API (/api/...). No tiles, fonts or
// scripts from anywhere else: the style has no glyphs and no remote sources.
import { Map as MapLibreMap, NavigationControl } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { clear, el, evidenceBlocks, link } from '/ui/dom.js';

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// API

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Colours

const UNKNOWN = '#f4f4f4';
// A controller's colour comes from its name (so a side keeps it across dates and reloads),
// unless another side seen before has it: then the next free one, so no two sides share one.
// Soft fills (ColorBrewer Set3 and Pastel1), so the saturated event circles stand out on them.
const PALETTE = ['#8dd3c7', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#bebada', '#fccde5', '#ffed6f', '#bc80bd', '#ccebc5', '#e5d8bd', '#decbe4', '#fed9a6', '#b3cde3'];
const assigned = new Map();
function controllerColor(name) {
  let colour = assigned.get(name);
  if (colour) return colour;
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  const taken = new Set(assigned.values());
  for (let i = 0; i < PALETTE.length && !colour; i++) {
    const c = PALETTE[(h + i) % PALETTE.length];
    if (!taken.has(c)) colour = c;
  }
  // More sides than colours: a grey of their own.
  colour ??= `hsl(0, 0%, ${30 + ((h >>> 8) % 40)}%)`;
  assigned.set(name, colour);
  return colour;
}

const TYPE_COLORS = {
  Battles: '#c0392b',
  'Explosions/Remote violence': '#e67e22',
  'Violence against civilians': '#8e44ad',
  Protests: '#2980b9',
  Riots: '#16a085',
  'Strategic developments': '#7f8c8d',
};

// ---------------------------------------------------------------------------------------------
// Dates

const DAY = 86400000;
/** The known_at parameter when the map shows only what had been reported by the date. */
const knownAt = (date) => ($('as-known').checked ? `&known_at=${date}` : '');
const toDay = (s) => Date.parse(`${s}T00:00:00Z`);
const fromDay = (t) => new Date(t).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// State

const state = {
  meta: null,
  days: [],
  date: null,
  districts: null, // GeoJSON of adm2 with control properties set per date
  provinces: null,
  labels: null,
  control: new Map(),
  selectedTypes: new Set(),
  actor: '',
  playing: null,
  controlSeq: 0,
  eventsSeq: 0,
};

const map = new MapLibreMap({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dde4ea' } }] },
  center: [66, 34],
  zoom: 4.5,
  attributionControl: false,
});
const mapLoaded = new Promise((resolve) => map.once('load', resolve));
map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
// For tests and for anyone scripting the page.
window.sitrepMap = map;

function setStatus(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : '';
}

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

function addLayers() {
  map.addImage('hatch', hatchImage());
  map.addSource('districts', { type: 'geojson', data: state.districts, promoteId: 'pcode' });
  map.addSource('provinces', { type: 'geojson', data: state.provinces });
  map.addSource('events', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('labels', { type: 'geojson', data: state.labels });
  map.addLayer({ id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.85 } });
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
  // Names from the browser's own fonts: the style has no glyphs URL, so nothing is fetched.
  // Province names up to zoom 7.5, district names from there on.
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
    id: 'events',
    type: 'circle',
    source: 'events',
    paint: {
      'circle-color': ['match', ['get', 'event_type'], ...Object.entries(TYPE_COLORS).flat(), '#444'],
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'fatalities']], 0, 4, 3, 7, 10, 14, 30, 24],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 1.2,
      'circle-opacity': 0.9,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Control at the chosen date

async function loadControl(date) {
  const seq = ++state.controlSeq;
  const doc = await api(`/api/control?as_of=${date}${knownAt(date)}`);
  if (seq !== state.controlSeq) return;
  state.control = new Map(doc.districts.map((d) => [d.pcode ?? `${d.admin1}/${d.admin2}`, d]));
  for (const f of state.districts.features) {
    const d = state.control.get(f.properties.pcode);
    f.properties.controller = d?.controller ?? null;
    f.properties.status = d?.status ?? 'unknown';
    f.properties.since = d?.since ?? null;
    f.properties.color = d?.controller ? controllerColor(d.controller) : UNKNOWN;
  }
  map.getSource('districts').setData(state.districts);
  renderControlLegend();
  // Tests read this after the map has drawn the new data.
  map.once('idle', () => {
    if (seq === state.controlSeq) $('map').dataset.controlDate = date;
  });
}

function renderControlLegend() {
  const counts = new Map();
  let contested = 0;
  let unknown = 0;
  for (const f of state.districts.features) {
    const c = f.properties.controller;
    if (!c) unknown++;
    else counts.set(c, (counts.get(c) ?? 0) + 1);
    if (f.properties.status === 'contested') contested++;
  }
  const items = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => el('div', { className: 'legend-item', dataset: { controller: name } }, el('span', { className: 'swatch', style: `background:${controllerColor(name)}` }), `${name} (${n})`));
  clear(
    $('legend-control'),
    el('h3', {}, 'Control'),
    ...items,
    el('div', { className: 'legend-item' }, el('span', { className: 'swatch hatch' }), `contested (${contested}), dashed outline`),
    el('div', { className: 'legend-item' }, el('span', { className: 'swatch', style: `background:${UNKNOWN}` }), `unknown (${unknown})`),
  );
}

function renderEventLegend() {
  clear(
    $('legend-events'),
    el('h3', {}, 'Events'),
    ...Object.entries(TYPE_COLORS).map(([t, c]) => el('div', { className: 'legend-item' }, el('span', { className: 'swatch round', style: `background:${c}` }), t)),
    el('div', { className: 'small' }, 'circle size grows with fatalities (0, 10, 100)'),
  );
}

// ---------------------------------------------------------------------------------------------
// Events up to the chosen date

const MAX_EVENTS = 20000;
const PAGE = 5000;

function eventFeature(e) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [e.longitude, e.latitude] },
    properties: { event_id: e.event_id, event_type: e.event_type, fatalities: e.fatalities, actors: [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].join('|').toLowerCase() },
  };
}

/** "Brief for this view": the situation brief of the shown period, as one HTML page. */
function briefLink(to, from, known) {
  const q = new URLSearchParams({ from, to, format: 'html' });
  if (known) q.set('known_at', known);
  $('brief-link').href = `/api/brief?${q}`;
}

/** The events of the window ending at `date`, drawn page by page as they come. */
async function loadEvents(date) {
  const seq = ++state.eventsSeq;
  const windowDays = Number($('window').value);
  const params = new URLSearchParams({ to: date, limit: String(PAGE) });
  if (windowDays) params.set('from', fromDay(toDay(date) - (windowDays - 1) * DAY));
  if ($('as-known').checked) params.set('known_at', date);
  briefLink(date, params.get('from') ?? state.days[0] ?? date, params.get('known_at'));
  const events = [];
  const features = [];
  let cursor = null;
  do {
    if (cursor) params.set('cursor', cursor);
    const page = await api(`/api/events?${params}`);
    if (seq !== state.eventsSeq) return;
    events.push(...page.events);
    for (const e of page.events) if (e.latitude !== null && e.longitude !== null) features.push(eventFeature(e));
    map.getSource('events').setData({ type: 'FeatureCollection', features });
    cursor = page.next;
  } while (cursor && events.length < MAX_EVENTS);
  const actors = new Set(events.flatMap((e) => [e.actor1, e.actor2]).filter(Boolean));
  clear($('actor-list'), ...[...actors].sort().map((a) => el('option', { value: a })));
  const n = features.length;
  setStatus(`${n.toLocaleString('en')} event${n === 1 ? '' : 's'} on the map${cursor ? ` (the first ${MAX_EVENTS.toLocaleString('en')}: choose fewer days)` : ''}`);
  map.once('idle', () => {
    if (seq === state.eventsSeq) $('map').dataset.eventsDate = date;
  });
}

function applyEventFilter() {
  const types = [...state.selectedTypes];
  const filter = ['all', ['in', ['get', 'event_type'], ['literal', types]]];
  if (state.actor) filter.push(['in', state.actor.toLowerCase(), ['get', 'actors']]);
  map.setFilter('events', filter);
}

function renderTypeFilters() {
  const box = $('type-filters');
  clear(box, el('legend', {}, 'Types'));
  for (const t of Object.keys(state.meta.event_types)) {
    state.selectedTypes.add(t);
    const input = el('input', { type: 'checkbox', checked: true, value: t, onchange: (ev) => {
      if (ev.target.checked) state.selectedTypes.add(t);
      else state.selectedTypes.delete(t);
      applyEventFilter();
    } });
    box.append(el('label', {}, input, el('span', { className: 'swatch round', style: `background:${TYPE_COLORS[t] ?? '#444'}` }), t));
  }
}

// ---------------------------------------------------------------------------------------------
// Details: a district's timeline, an event's sources

const reports = new Map();
function reportText(id) {
  if (!reports.has(id)) reports.set(id, api(`/api/reports/${id}`).then((r) => r.text));
  return reports.get(id);
}

async function evidenceFor(reportId, spans) {
  if (!spans?.length) return [];
  const text = reportId == null ? null : await reportText(reportId).catch(() => null);
  return evidenceBlocks(text, spans);
}

async function showDistrict(pcode) {
  const body = $('details-body');
  body.className = '';
  delete $('details').dataset.loaded;
  map.setFilter('district-selected', ['==', ['get', 'pcode'], pcode]);
  try {
    const t = await api(`/api/timeline?admin2=${encodeURIComponent(pcode)}${knownAt(state.date)}`);
    const now = state.control.get(pcode);
    const claims = [];
    for (const c of [...t.claims].reverse()) {
      claims.push(
        el(
          'div',
          { className: 'claim' },
          el('div', {}, el('strong', {}, c.date), ` ${c.kind}: `, c.actor, c.against ? ` (from ${c.against})` : ''),
          el('div', { className: 'meta' }, [c.certainty, c.attribution, c.source, c.known_at !== c.date ? `reported ${c.known_at}` : null].filter(Boolean).join(' · ')),
          ...(await evidenceFor(c.report_id, c.spans)),
          c.spans?.length ? null : el('div', { className: 'meta' }, c.reason),
        ),
      );
    }
    clear(
      body,
      el('h3', {}, `${t.district.admin2}, ${t.district.admin1}`),
      el('div', { className: 'meta' }, `${t.district.country} · ${t.district.code}`),
      el('p', {}, `On ${state.date}: `, now?.controller ? `${now.controller}, ${now.status} since ${now.since}` : 'no control known'),
      el('h3', {}, `Control history (${t.claims.length} claim${t.claims.length === 1 ? '' : 's'}, newest first)`),
      ...(claims.length ? claims : [el('div', { className: 'hint' }, 'No report has spoken of this district.')]),
    );
  } catch (e) {
    clear(body, el('div', { className: 'error' }, e.message));
  }
  $('details').dataset.loaded = `district:${pcode}`;
  $('details').scrollIntoView({ block: 'nearest' });
}

function eventSummary(e) {
  return [
    el('h3', {}, `${e.event_date} · ${e.sub_event_type}`),
    el(
      'dl',
      {},
      el('dt', {}, 'type'), el('dd', {}, e.event_type),
      el('dt', {}, 'where'), el('dd', {}, [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(', ')),
      el('dt', {}, 'who'), el('dd', {}, [e.actor1, e.actor2].filter(Boolean).join(' v ') || '—'),
      el('dt', {}, 'fatalities'), el('dd', {}, String(e.fatalities)),
      el('dt', {}, 'certainty'), el('dd', {}, `${e.certainty}${e.attribution ? ` (${e.attribution})` : ''}`),
    ),
  ];
}

async function showEvent(id) {
  const body = $('details-body');
  body.className = '';
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
          el('div', { className: 'meta' }, `says ${s.fatalities} killed · ${s.certainty}${s.attribution ? ` · ${s.attribution}` : ''}`),
          ...(await evidenceFor(s.report_id, s.evidence)),
        ),
      );
    }
    clear(body, ...eventSummary(e), el('div', { className: 'meta' }, e.notes), el('h3', {}, `Sources (${e.sources.length})`), ...sources);
  } catch (err) {
    clear(body, el('div', { className: 'error' }, err.message));
  }
  $('details').dataset.loaded = `event:${id}`;
  $('details').scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------------------------
// Paste a report

function pasteBody() {
  const body = { text: $('paste-text').value, html: false };
  if ($('paste-published').value) body.published = $('paste-published').value;
  if ($('paste-source').value.trim()) body.source = $('paste-source').value.trim();
  return body;
}

async function preview() {
  const out = $('paste-result');
  $('paste-store').disabled = true;
  delete out.dataset.state;
  try {
    const r = await api('/api/extract', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(pasteBody()) });
    const cards = r.events.map((e) => el('div', { className: 'event-card' }, ...eventSummary(e), ...evidenceBlocks(r.text, e.evidence)));
    const claims = r.claims.map((c) => el('li', {}, `${c.valid_from} ${c.kind}: `, c.actor, ` — ${c.district.admin2}, ${c.district.admin1}`));
    clear(
      out,
      el('p', {}, `sitrep finds ${r.events.length} event${r.events.length === 1 ? '' : 's'} and ${r.claims.length} control claim${r.claims.length === 1 ? '' : 's'} (published ${r.published}). Nothing is stored until you press Store.`),
      ...r.warnings.map((w) => el('div', { className: 'meta' }, `warning: ${w}`)),
      claims.length ? el('ul', {}, ...claims) : null,
      ...cards,
    );
    $('paste-store').disabled = state.meta.writes === 'closed';
    if (state.meta.writes === 'closed') out.append(el('div', { className: 'hint' }, 'This server takes no writes (start it with --token, or --open on 127.0.0.1).'));
    out.dataset.state = 'previewed';
  } catch (e) {
    clear(out, el('div', { className: 'error' }, e.message));
    out.dataset.state = 'error';
  }
}

async function store() {
  const out = $('paste-result');
  const headers = { 'Content-Type': 'application/json' };
  const token = $('paste-token').value.trim();
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
    $('paste-store').disabled = true;
    await refreshMeta();
  } catch (e) {
    out.append(el('div', { className: 'error' }, `Not stored: ${e.message}`));
    out.dataset.state = 'error';
  }
}

// ---------------------------------------------------------------------------------------------
// Time

function setDays(range) {
  const min = range?.min ?? fromDay(Date.now());
  const max = range?.max ?? min;
  state.days = [];
  for (let t = toDay(min); t <= toDay(max); t += DAY) state.days.push(fromDay(t));
  const slider = $('date-slider');
  slider.max = String(state.days.length - 1);
  $('date-min').textContent = min;
  $('date-max').textContent = max;
}

function selectDay(i) {
  const slider = $('date-slider');
  slider.value = String(i);
  state.date = state.days[i];
  $('date-label').textContent = state.date;
  document.body.dataset.date = state.date;
  loadControl(state.date).catch((e) => setStatus(e.message, true));
  loadEvents(state.date).catch((e) => setStatus(e.message, true));
}

function togglePlay() {
  const button = $('play');
  if (state.playing) {
    clearInterval(state.playing);
    state.playing = null;
    button.textContent = '▶ Play';
    return;
  }
  const slider = $('date-slider');
  if (Number(slider.value) >= state.days.length - 1) selectDay(0);
  button.textContent = '❚❚ Pause';
  state.playing = setInterval(() => {
    const next = Number(slider.value) + 1;
    if (next >= state.days.length) togglePlay();
    else selectDay(next);
  }, 800);
}

async function refreshMeta() {
  state.meta = await api('/api/meta');
  const keep = state.date;
  setDays(state.meta.date_range);
  const i = keep ? state.days.indexOf(keep) : -1;
  selectDay(i >= 0 ? i : state.days.length - 1);
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  const [meta, topology, labels] = await Promise.all([api('/api/meta'), api('/api/boundaries'), api('/api/labels')]);
  state.meta = meta;
  state.labels = labels;
  state.districts = window.topojson.feature(topology, topology.objects.adm2);
  state.provinces = window.topojson.feature(topology, topology.objects.adm1);
  for (const f of state.districts.features) Object.assign(f.properties, { controller: null, status: 'unknown', color: UNKNOWN });
  if (topology.bbox) map.fitBounds([[topology.bbox[0], topology.bbox[1]], [topology.bbox[2], topology.bbox[3]]], { padding: 20, duration: 0 });
  await mapLoaded;
  addLayers();
  renderTypeFilters();
  renderEventLegend();
  applyEventFilter();
  setDays(meta.date_range);

  $('date-slider').addEventListener('input', (e) => selectDay(Number(e.target.value)));
  $('play').addEventListener('click', togglePlay);
  $('window').addEventListener('change', () => loadEvents(state.date).catch((e) => setStatus(e.message, true)));
  $('as-known').addEventListener('change', () => selectDay(Number($('date-slider').value)));
  $('actor-filter').addEventListener('input', (e) => {
    state.actor = e.target.value.trim();
    applyEventFilter();
  });
  $('paste-preview').addEventListener('click', preview);
  $('paste-store').addEventListener('click', store);
  $('paste-text').addEventListener('input', () => ($('paste-store').disabled = true));

  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: ['events'] })[0];
    if (hit) return void showEvent(hit.properties.event_id);
    const d = map.queryRenderedFeatures(e.point, { layers: ['district-fill'] })[0];
    if (d) showDistrict(d.properties.pcode);
  });
  const tip = $('tooltip');
  map.on('mousemove', (e) => {
    const d = map.queryRenderedFeatures(e.point, { layers: ['district-fill'] })[0];
    map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: ['events'] }).length || d ? 'pointer' : '';
    if (!d) return void (tip.hidden = true);
    const p = d.properties;
    tip.textContent = `${p.name}, ${p.admin1}: ${p.controller && p.controller !== 'null' ? `${p.controller} (${p.status})` : 'unknown'}`;
    tip.style.left = `${e.originalEvent.clientX + 12}px`;
    tip.style.top = `${e.originalEvent.clientY + 12}px`;
    tip.hidden = false;
  });
  map.getCanvas().addEventListener('mouseleave', () => (tip.hidden = true));

  selectDay(state.days.length - 1);
  document.documentElement.dataset.ready = 'true';
}

start().catch((e) => {
  setStatus(`cannot load: ${e.message}`, true);
  document.documentElement.dataset.ready = 'error';
});
