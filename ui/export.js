// @ts-check
// Export of what is in view: the listed events as CSV or GeoJSON, and the map as drawn as a PNG
// with its date, legend and credits painted on it (an image passed on keeps where it came from).

/** Saves a blob under a file name through the browser's download. @param {string} name @param {Blob} blob */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** @param {unknown} v */
const cell = (v) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** @typedef {Record<string, any> & { longitude: number, latitude: number }} ApiEvent an event as GET /api/events gives it */

/** The events as CSV (RFC 4180), the API's fields as columns in its order; evidence as JSON. @param {ApiEvent[]} events */
export function eventsCsv(events) {
  const cols = events.length ? Object.keys(events[0]) : ['event_id'];
  return [cols.join(','), ...events.map((e) => cols.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}

/** The events as a GeoJSON FeatureCollection, every field a property. @param {ApiEvent[]} events */
export function eventsGeoJson(events) {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: events.map((e) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [e.longitude, e.latitude] }, properties: e })),
  });
}

/** The map's canvas as drawn: read inside a render, before the browser may clear the buffer. */
/** @param {import('/vendor/maplibre-gl/maplibre-gl.mjs').Map} map @returns {Promise<HTMLCanvasElement>} */
function mapImage(map) {
  return new Promise((resolve) => {
    map.once('render', () => {
      const c = document.createElement('canvas');
      const src = map.getCanvas();
      c.width = src.width;
      c.height = src.height;
      /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).drawImage(src, 0, 0);
      resolve(c);
    });
    map.triggerRepaint();
  });
}

/**
 * The map as a PNG: the date and what is shown at the top left, the legend under it, the
 * credits along the foot.
 * @param {import('/vendor/maplibre-gl/maplibre-gl.mjs').Map} map
 * @param {{ title: string, subtitle: string, legend: { colour: string, label: string, round?: boolean }[], credits: string }} o
 * @returns {Promise<Blob>}
 */
export async function mapPng(map, { title, subtitle, legend, credits }) {
  const canvas = await mapImage(map);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const k = window.devicePixelRatio || 1;
  ctx.scale(k, k);
  const W = canvas.width / k;
  const H = canvas.height / k;
  const font = (/** @type {number} */ px, bold = false) => `${bold ? '600 ' : ''}${px}px system-ui, sans-serif`;
  const lines = legend.slice(0, 24);
  ctx.font = font(12);
  const boxW = Math.min(W - 20, Math.max(200, ...lines.map((l) => ctx.measureText(l.label).width + 44), ctx.measureText(subtitle).width + 20));
  const boxH = 52 + lines.length * 18 + 6;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(10, 10, boxW, boxH);
  ctx.fillStyle = '#111';
  ctx.font = font(20, true);
  ctx.fillText(title, 20, 36);
  ctx.font = font(12);
  ctx.fillStyle = '#444';
  ctx.fillText(subtitle, 20, 54);
  lines.forEach((l, i) => {
    const y = 66 + i * 18;
    ctx.fillStyle = l.colour;
    ctx.strokeStyle = '#555';
    ctx.beginPath();
    if (l.round) ctx.arc(27, y + 7, 6, 0, 2 * Math.PI);
    else ctx.rect(21, y + 1, 12, 12);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#222';
    ctx.fillText(l.label, 40, y + 12);
  });
  ctx.font = font(11);
  const cw = Math.min(W - 20, ctx.measureText(credits).width + 12);
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(W - cw - 10, H - 26, cw, 18);
  ctx.fillStyle = '#333';
  ctx.fillText(credits, W - cw - 4, H - 13, W - 32);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser made no image'))), 'image/png'));
}
