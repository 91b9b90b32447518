// @ts-check
// Place search: the gazetteer through GET /api/geocode, as a combobox (WAI-ARIA 1.2 pattern):
// typing lists the places found, arrows move through them, Enter or a click picks one, Escape
// closes the list. Nothing is asked of any server but sitrep's own.
import { clear, el } from '/ui/dom.js';

/** @type {Record<string, string>} */
const LEVEL_NAMES = { country: 'country', admin1: 'province', admin2: 'district', town: 'town', point: 'point' };

/**
 * The words a result is listed with: "Lashio — Lashio District, Shan, Myanmar (town)"; a unit without itself among its parents.
 * @param {{ location: string, level: string, country: string, admin1: string, admin2: string }} r a place of GET /api/geocode
 */
export function placeLine(r) {
  /** @type {Record<string, string[]>} */
  const above = { country: [], admin1: [r.country], admin2: [r.admin1, r.country] };
  const parents = above[r.level] ?? [r.admin2, r.admin1, r.country];
  const where = parents.filter((x, /** @type {number} */ i) => x && x !== parents[i - 1]);
  return `${r.location}${where.length ? ` — ${where.join(', ')}` : ''} (${LEVEL_NAMES[r.level] ?? r.level})`;
}

/**
 * @param {object} o
 * @param {HTMLInputElement} o.input
 * @param {HTMLElement} o.list
 * @param {HTMLElement} o.hint
 * @param {(path: string) => Promise<any>} o.api
 * @param {(place: any) => void} o.onPick
 */
export function placeSearch({ input, list, hint, api, onPick }) {
  /** @type {any[]} */
  let results = [];
  let active = -1;
  let seq = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  const open = (/** @type {boolean} */ yes) => {
    list.hidden = !yes;
    input.setAttribute('aria-expanded', String(yes));
    if (!yes) input.removeAttribute('aria-activedescendant');
  };

  /** @param {number} i */
  function highlight(i) {
    active = i;
    for (const [k, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(k === i));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `place-${i}`);
      list.children[i]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  /** @param {number} i */
  function pick(i) {
    const r = results[i];
    if (!r) return;
    input.value = r.location;
    open(false);
    hint.textContent = `Showing ${placeLine(r)}.`;
    onPick(r);
  }

  async function find(now = false) {
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) {
      results = [];
      open(false);
      hint.textContent = '';
      return;
    }
    if (!now) await new Promise((resolve) => setTimeout(resolve, 200));
    if (mine !== seq) return;
    try {
      const a = await api(`/api/geocode?q=${encodeURIComponent(q)}`);
      if (mine !== seq) return;
      results = a.candidates;
    } catch (/** @type {any} */ e) {
      results = [];
      hint.textContent = `The search failed: ${e.message}`;
      open(false);
      return;
    }
    clear(
      list,
      ...results.map((r, i) =>
        el('li', { id: `place-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (/** @type {Event} */ ev) => ev.preventDefault(), onclick: () => pick(i) }, placeLine(r)),
      ),
    );
    hint.textContent = results.length ? `${results.length} place${results.length === 1 ? '' : 's'} found: arrows to choose, Enter to go.` : `No place called "${q}" in the gazetteer.`;
    open(results.length > 0);
    highlight(results.length ? 0 : -1);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void find(), 0);
  });
  input.addEventListener('keydown', async (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden && results.length) open(true);
      const n = results.length;
      if (n) highlight((active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // Enter before the list came: search now, then take the first.
      if (!results.length || list.hidden) await find(true);
      pick(active >= 0 ? active : 0);
    } else if (e.key === 'Escape') open(false);
  });
  input.addEventListener('blur', () => open(false));
  input.form?.addEventListener('submit', (e) => e.preventDefault());
}
