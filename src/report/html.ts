// What the HTML brief and its map share: text escaped for HTML and SVG, and the ids links point at.
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
