// @ts-check
// The last alerts (GET /api/alerts?order=newest): a list in the panel, each saying what changed,
// where and when, with buttons to its events and district and links to its sources; and what the
// map marks for them (rings at their events, outlines on their districts).
import { clear, el, link } from '/ui/dom.js';

/**
 * @typedef {{ id: number, fired_at: string, rule: string, condition: string, message: string, events: string[],
 *   sources: { source: string | null, url: string | null, title: string | null, published: string, report_id: number }[],
 *   district?: { code: string, admin2: string, admin1: string, country: string },
 *   points: { event_id: string, longitude: number, latitude: number }[] }} Alert an alert of GET /api/alerts
 * @typedef {{ event: (id: string) => void, district: (code: string) => void, focus: (a: Alert) => void }} AlertActions
 */

/** "2024-06-01 14:05 UTC": when an alert fired, in the same zone for every reader. @param {string} iso */
const firedText = (iso) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The list of alerts, newest first; every action a button or a link, so all of it is reachable
 * by keyboard.
 * @param {HTMLElement} list @param {Alert[]} alerts @param {AlertActions} on
 */
export function renderAlerts(list, alerts, on) {
  clear(
    list,
    ...alerts.map((a) =>
      el(
        'li',
        { className: 'alert', dataset: { alertId: String(a.id) } },
        el('div', { className: 'alert-head' }, el('strong', {}, a.rule), ' · ', el('time', { datetime: a.fired_at }, firedText(a.fired_at))),
        el('div', {}, a.message),
        el(
          'div',
          { className: 'alert-links' },
          a.points.length || a.district ? el('button', { type: 'button', className: 'alert-focus', onclick: () => on.focus(a) }, 'show on map') : null,
          a.district ? el('button', { type: 'button', onclick: () => on.district(/** @type {{ code: string }} */ (a.district).code) }, `${a.district.admin2} history`) : null,
          ...a.events.map((id) => el('button', { type: 'button', dataset: { eventId: id }, onclick: () => on.event(id) }, `event ${id}`)),
        ),
        el(
          'div',
          { className: 'meta' },
          ...a.sources.flatMap((s, i) => [i ? ' · ' : '', s.source || 'unnamed source', ` ${s.published} `, s.url ? link(s.url, s.title || s.url) : s.title || `report ${s.report_id}`]),
        ),
      ),
    ),
    alerts.length ? null : el('li', { className: 'hint' }, 'No alert raised yet (sitrep watch --alerts raises them).'),
  );
}

/**
 * What the map marks for the alerts: a point per event (with its alert's id and rule) and the
 * codes of their districts.
 * @param {Alert[]} alerts
 */
export function alertMarks(alerts) {
  /** @type {import('geojson').FeatureCollection<import('geojson').Point>} */
  const points = {
    type: 'FeatureCollection',
    features: alerts.flatMap((a) => a.points.map((p) => ({ type: /** @type {const} */ ('Feature'), geometry: { type: /** @type {const} */ ('Point'), coordinates: [p.longitude, p.latitude] }, properties: { alert: a.id, rule: a.rule, event_id: p.event_id } }))),
  };
  const districts = [...new Set(alerts.flatMap((a) => (a.district ? [a.district.code] : [])))];
  return { points, districts };
}
