// @ts-check
// The theatre switcher: the countries the store has events or control claims in (GET
// /api/theatres), each with its counts; choosing one fits the map to the extent of its events,
// its claims and its districts with claims. A native <select>, so the keyboard works as anywhere.
import { clear, el } from '/ui/dom.js';

/** @typedef {{ country: string, events: number, districts: number, bbox: [number, number, number, number] | null }} Theatre */

const count = (/** @type {number} */ n, /** @type {string} */ one) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

/**
 * "Afghanistan: 3 events, 401 districts" (districts with control claims: the switcher's title says so).
 * @param {Theatre} t
 */
export function theatreLabel(t) {
  return `${t.country}: ${[t.events ? count(t.events, 'event') : null, t.districts ? count(t.districts, 'district') : null].filter(Boolean).join(', ')}`;
}

/**
 * The choices: every theatre, then the store's countries (most events first, as the API lists them).
 * @param {HTMLSelectElement} select
 * @param {Theatre[]} theatres
 * @param {string} chosen the country chosen ('' for every theatre)
 */
export function renderTheatres(select, theatres, chosen) {
  clear(select, el('option', { value: '' }, `every theatre (${theatres.length})`), ...theatres.map((t) => el('option', { value: t.country }, theatreLabel(t))));
  select.value = theatres.some((t) => t.country === chosen) ? chosen : '';
}

/**
 * The extent to fit for a country, or for every theatre when it is '' or not one of them; null
 * when nothing of it is placed.
 * @param {Theatre[]} theatres
 * @param {string} country
 * @returns {[[number, number], [number, number]] | null}
 */
export function theatreBounds(theatres, country) {
  const one = theatres.filter((t) => t.country === country);
  const boxes = (one.length ? one : theatres).map((t) => t.bbox).filter((b) => b !== null);
  if (!boxes.length) return null;
  return [
    [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))],
    [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))],
  ];
}
