// @ts-check
// DOM helpers. Every piece of text from the API (report text, sources, actors) goes into the
// page as a text node: nothing a report says can become markup or script.

/** @typedef {Node | string | number | null | undefined | false} Leaf */
/** @typedef {Leaf | Leaf[]} Child a child, or a list of them (flattened one level) */
/** @typedef {{ text: string, start: number, end: number, role?: string | null }} Span */

/**
 * An element with attributes (never innerHTML) and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'className') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

/** @param {HTMLElement} node @param {Child[]} children */
function append(node, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** @param {HTMLElement} node @param {...Child} children */
export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A link only for http(s) URLs: a report's "javascript:" URL stays text. */
/** @param {string} url @param {string} label */
export function link(url, label) {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return el('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer' }, label);
  } catch {
    // not a URL: shown as text below
  }
  return el('span', {}, label);
}

const END = /[.!?…]["'”’)]?\s|\n/g;

/** The sentence around [start, end) of text: from after the previous sentence end to the next one. */
/** @param {string} text @param {number} start @param {number} end @returns {[number, number]} */
function sentenceAround(text, start, end) {
  let from = 0;
  END.lastIndex = 0;
  for (let m; (m = END.exec(text)) && m.index + m[0].length <= start; ) from = m.index + m[0].length;
  END.lastIndex = Math.max(end, from);
  const m = END.exec(text);
  const to = m ? m.index + m[0].trimEnd().length : text.length;
  return [from, Math.max(to, end)];
}

/**
 * The sentences holding the spans, each with the spans' words marked (by role), as elements.
 * Spans with role "sentence" give a sentence to show and are not marked themselves. Spans whose
 * offsets do not fit the text are shown by their own words only.
 * @param {string | null} text
 * @param {Span[]} spans
 */
export function evidenceBlocks(text, spans) {
  /** @param {Span} s @returns {boolean} */
  const ok = (s) => typeof text === 'string' && s.start >= 0 && s.end <= text.length && s.start < s.end && text.slice(s.start, s.end) === s.text;
  const good = spans.filter(ok);
  const words = good.filter((s) => s.role !== 'sentence');
  // ok() let only spans of a text through.
  const whole = /** @type {string} */ (text);
  /** @type {[number, number][]} */
  const ranges = [];
  /** @type {[number, number][]} */
  const wanted = [...good.filter((s) => s.role === 'sentence').map((s) => /** @type {[number, number]} */ ([s.start, s.end])), ...words.map((s) => sentenceAround(whole, s.start, s.end))];
  for (const [a, b] of wanted.sort((x, y) => x[0] - y[0])) {
    const last = ranges[ranges.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else ranges.push([a, b]);
  }
  const blocks = ranges.map(([a, b]) => {
    const node = el('div', { className: 'evidence' });
    let at = a;
    for (const s of words.filter((x) => x.start >= a && x.end <= b).sort((x, y) => x.start - y.start || y.end - x.end)) {
      if (s.start < at) continue; // overlaps the span already marked
      node.append(document.createTextNode(whole.slice(at, s.start)));
      const role = String(s.role ?? '').replace(/[^a-z]/g, '');
      node.append(el('mark', { className: role ? `role-${role}` : null, title: role || null }, whole.slice(s.start, s.end)));
      at = s.end;
    }
    node.append(document.createTextNode(whole.slice(at, b)));
    return node;
  });
  const lost = spans.filter((s) => !ok(s));
  if (lost.length) blocks.push(el('div', { className: 'evidence' }, ...lost.map((s) => el('mark', { title: s.role ?? null }, s.text)).flatMap((m) => [m, ' '])));
  return blocks;
}
