// @ts-check
// The chart above the slider: events per day over the store's whole range, as one SVG path of
// bars (days binned so a bar is at least a pixel), the shown window shaded and the date marked.
// Dragging across it chooses the window (its last day becomes the date); a click picks a day.
// The keyboard does the same (the chart is a slider of the window): arrows move the window a day,
// Page Up/Down a week, Home/End to the range's ends; Shift+arrows move its first day, widening or
// narrowing it.
const NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 48;

/**
 * @param {SVGSVGElement} svg
 * @param {{ onBrush: (from: string, to: string) => void, onDay: (day: string) => void }} handlers
 */
export function dayChart(svg, { onBrush, onDay }) {
  /** @type {string[]} */
  let days = [];
  /** @type {number[]} */
  let counts = [];
  let width = 0;
  const bars = document.createElementNS(NS, 'path');
  bars.setAttribute('class', 'bars');
  const shade = document.createElementNS(NS, 'rect');
  shade.setAttribute('class', 'window');
  const brush = document.createElementNS(NS, 'rect');
  brush.setAttribute('class', 'brush');
  const mark = document.createElementNS(NS, 'line');
  mark.setAttribute('class', 'date');
  svg.append(shade, bars, brush, mark);
  let view = { from: '', to: '' };

  const xOf = (/** @type {number} */ i) => (days.length ? (i / days.length) * width : 0);
  const indexAt = (/** @type {number} */ clientX) => {
    const box = svg.getBoundingClientRect();
    return Math.max(0, Math.min(days.length - 1, Math.floor(((clientX - box.left) / box.width) * days.length)));
  };

  function draw() {
    width = svg.clientWidth || 300;
    svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const per = Math.max(1, Math.ceil(days.length / width));
    const sums = [];
    for (let i = 0; i < counts.length; i += per) sums.push(counts.slice(i, i + per).reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...sums);
    let d = '';
    sums.forEach((n, k) => {
      if (!n) return;
      const x = xOf(k * per);
      const w = Math.max(0.8, xOf(Math.min(days.length, (k + 1) * per)) - x - (per === 1 && width / days.length > 3 ? 1 : 0));
      const h = Math.max(1.5, (n / max) * (HEIGHT - 2));
      d += `M${x.toFixed(1)} ${HEIGHT}v${(-h).toFixed(1)}h${w.toFixed(1)}v${h.toFixed(1)}z`;
    });
    bars.setAttribute('d', d);
    svg.dataset.max = String(max);
    svg.dataset.total = String(counts.reduce((a, b) => a + b, 0));
    place();
  }

  function place() {
    const a = days.indexOf(view.from);
    const b = days.indexOf(view.to);
    const from = a >= 0 ? a : 0;
    const to = b >= 0 ? b : days.length - 1;
    Object.entries({ x: xOf(from), y: 0, width: Math.max(1, xOf(to + 1) - xOf(from)), height: HEIGHT }).forEach(([k, v]) => shade.setAttribute(k, String(v)));
    const x = (xOf(to) + xOf(to + 1)) / 2;
    Object.entries({ x1: x, x2: x, y1: 0, y2: HEIGHT }).forEach(([k, v]) => mark.setAttribute(k, String(v)));
  }

  /** The window's first and last day as indices of `days`. */
  const span = () => {
    const a = days.indexOf(view.from);
    const b = days.indexOf(view.to);
    return [a >= 0 ? a : 0, b >= 0 ? b : days.length - 1];
  };
  /** @type {Record<string, (a: number, b: number, last: number) => [number, number]>} */
  const MOVES = {
    ArrowLeft: (a, b) => [a - Math.min(1, a), b - Math.min(1, a)],
    ArrowRight: (a, b, last) => [a + Math.min(1, last - b), b + Math.min(1, last - b)],
    PageDown: (a, b) => [a - Math.min(7, a), b - Math.min(7, a)],
    PageUp: (a, b, last) => [a + Math.min(7, last - b), b + Math.min(7, last - b)],
    Home: (a, b) => [0, b - a],
    End: (a, b, last) => [last - (b - a), last],
    'Shift+ArrowLeft': (a, b) => [Math.max(0, a - 1), b],
    'Shift+ArrowRight': (a, b) => [Math.min(b, a + 1), b],
  };
  svg.addEventListener('keydown', (e) => {
    const move = MOVES[`${e.shiftKey ? 'Shift+' : ''}${e.key}`];
    if (!move || !days.length || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const [a0, b0] = span();
    const [a, b] = move(a0, b0, days.length - 1);
    if (a === a0 && b === b0) return;
    setView(days[a], days[b]);
    onBrush(days[a], days[b]);
  });

  let start = -1;
  svg.addEventListener('pointerdown', (e) => {
    if (!days.length) return;
    start = indexAt(e.clientX);
    svg.setPointerCapture(e.pointerId);
    brush.setAttribute('width', '0');
  });
  svg.addEventListener('pointermove', (e) => {
    if (start < 0) return;
    const i = indexAt(e.clientX);
    const [a, b] = i < start ? [i, start] : [start, i];
    Object.entries({ x: xOf(a), y: 0, width: xOf(b + 1) - xOf(a), height: HEIGHT }).forEach(([k, v]) => brush.setAttribute(k, String(v)));
  });
  svg.addEventListener('pointerup', (e) => {
    if (start < 0) return;
    const i = indexAt(e.clientX);
    const [a, b] = i < start ? [i, start] : [start, i];
    start = -1;
    brush.setAttribute('width', '0');
    if (a === b) onDay(days[a]);
    else onBrush(days[a], days[b]);
  });
  new ResizeObserver(() => draw()).observe(svg);

  /** The window shown: its first and last day. @param {string} from @param {string} to */
  function setView(from, to) {
    view = { from, to };
    svg.setAttribute('aria-label', `events per day from ${days[0] ?? ''} to ${days[days.length - 1] ?? ''}; shown: ${from} to ${to}`);
    svg.setAttribute('aria-valuemin', '0');
    svg.setAttribute('aria-valuemax', String(Math.max(0, days.length - 1)));
    svg.setAttribute('aria-valuenow', String(Math.max(0, days.indexOf(to))));
    svg.setAttribute('aria-valuetext', `${from} to ${to}`);
    place();
  }

  return {
    /** All the days of the range, and how many events each has. @param {string[]} allDays @param {Map<string, number>} perDay */
    setData(allDays, perDay) {
      days = allDays;
      counts = allDays.map((d) => perDay.get(d) ?? 0);
      draw();
    },
    /** The window shown: its first and last day. */
    setView,
  };
}
