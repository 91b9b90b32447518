// @ts-check
// The view in the page's address, so a view can be shared and reloaded: the date, the window of
// days, known-at, the fading age, the filters, the theatre (country) last chosen, the map's
// bounds and what the details show.
//   ?date=2021-08-21&window=7&known=1&fade=90&types=Battles,Protests&actor=Taliban&theatre=Afghanistan&bounds=w,s,e,n&sel=district:AF0907

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the address asks for; anything malformed is left out (the page then uses its default).
 * @param {string} search location.search
 */
export function readView(search) {
  const q = new URLSearchParams(search);
  /** @type {{ date?: string, window?: number, known?: boolean, fade?: number, types?: string[], actor?: string, theatre?: string, bounds?: [[number, number], [number, number]], sel?: { kind: string, id: string } }} */
  const v = {};
  const date = q.get('date');
  if (date && DATE.test(date)) v.date = date;
  const whole = (/** @type {string} */ name, /** @type {number} */ max) => {
    const n = Number(q.get(name));
    return q.has(name) && Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
  };
  v.window = whole('window', 100_000);
  v.fade = whole('fade', 3650);
  if (q.get('known') === '1') v.known = true;
  if (q.has('types')) v.types = (q.get('types') ?? '').split(',').filter(Boolean);
  if (q.get('actor')) v.actor = q.get('actor') ?? '';
  if (q.get('theatre')) v.theatre = q.get('theatre') ?? '';
  const b = (q.get('bounds') ?? '').split(',').map(Number);
  if (b.length === 4 && b.every(Number.isFinite) && b[0] < b[2] && b[1] < b[3] && b[1] >= -90 && b[3] <= 90) v.bounds = [[b[0], b[1]], [b[2], b[3]]];
  const sel = /^(district|event):(.+)$/.exec(q.get('sel') ?? '');
  if (sel) v.sel = { kind: sel[1], id: sel[2] };
  for (const k of /** @type {(keyof typeof v)[]} */ (Object.keys(v))) if (v[k] === undefined) delete v[k];
  return v;
}

/**
 * Puts the view in the address without a new history entry per change (a slider drag would
 * leave hundreds).
 * @param {{ date: string, window: number, known: boolean, fade: number, types: string[] | null, actor: string, theatre: string, bounds: number[][], sel: { kind: string, id: string } | null }} v
 */
export function writeView(v) {
  const q = new URLSearchParams();
  q.set('date', v.date);
  q.set('window', String(v.window));
  if (v.known) q.set('known', '1');
  q.set('fade', String(v.fade));
  if (v.types) q.set('types', v.types.join(','));
  if (v.actor) q.set('actor', v.actor);
  if (v.theatre) q.set('theatre', v.theatre);
  q.set('bounds', v.bounds.flat().map((x) => x.toFixed(4)).join(','));
  if (v.sel) q.set('sel', `${v.sel.kind}:${v.sel.id}`);
  const url = `${location.pathname}?${q}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(null, '', url);
}
