// The content sniffers (looksLikeHtml, looksLikeFeed): the same answers as the regular
// expressions they replace, on every short input built from the pieces a prolog is made of, and
// an answer at once on input that made the old ones backtrack for ever. One difference is meant:
// a comment ends at its first "-->", as in HTML and XML, where the old patterns' lazy
// [\s\S]*? could stretch it to a later one ("<!---->--><html" was HTML); the references below
// are the old patterns with that fixed, (?:(?!-->)[\s\S])* for [\s\S]*?, and are only run on
// short inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeFeed } from '../src/ingest/feed.js';
import { looksLikeHtml } from '../src/ingest/html.js';
import { firstTagIs, SNIFF_CHARS } from '../src/ingest/sniff.js';

const HTML_REFERENCE = /^\s*(?:<!--(?:(?!-->)[\s\S])*-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|meta|title|section)\b/i;
const FEED_REFERENCE = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->)[\s\S])*-->\s*)*<(?:rss|feed|rdf:RDF)\b/i;

const PIECES = [' ', '\n', '\uFEFF', '<!--', '-->', '<!---->', '<!-- x -->', '-', '>', '<?xml version="1.0"?>', '<?XML', '<html', '<HTML>', '<p>', '<!DOCTYPE html>', '<rss', '<feed', '<rdf:RDF', '<rssx', 'x'];

/** Every string of up to `n` pieces (20 + 400 + 8000 + 160000 inputs for n = 4). */
function* inputs(n: number, prefix = ''): Generator<string> {
  yield prefix;
  if (n === 0) return;
  for (const p of PIECES) yield* inputs(n - 1, prefix + p);
}

test('looksLikeHtml and looksLikeFeed agree with the old patterns (comments ending at their first -->) on every input of up to four pieces', () => {
  let checked = 0;
  for (const s of inputs(4)) {
    assert.equal(looksLikeHtml(s), HTML_REFERENCE.test(s), `looksLikeHtml(${JSON.stringify(s)})`);
    assert.equal(looksLikeFeed(s), FEED_REFERENCE.test(s), `looksLikeFeed(${JSON.stringify(s)})`);
    checked++;
  }
  assert.ok(checked > 160000);
});

test('the sniffers on real prologs', () => {
  assert.ok(looksLikeHtml('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(looksLikeHtml('  <!-- saved from url=(0014)about:internet -->\n<!-- x -->\n<html>'));
  assert.ok(!looksLikeHtml('Taliban fighters seized <b>Kunduz</b>'));
  assert.ok(!looksLikeHtml('<!-- a comment left open <html>'));
  assert.ok(!looksLikeHtml('<!---->--><html>'));
  assert.ok(looksLikeFeed('<?xml version="1.0" encoding="utf-8"?>\n<!-- generator -->\n<rss version="2.0">'));
  assert.ok(looksLikeFeed('<feed xmlns="http://www.w3.org/2005/Atom">'));
  assert.ok(!looksLikeFeed('<?xml version="1.0"?><html>'));
  assert.throws(() => firstTagIs('<p>', /<p/), /sticky/);
});

test('the sniffers answer at once where the old patterns backtracked without bound', () => {
  // The old patterns took twice as long for each "<!---->": 24 of them took 0.1 s, so 100,000
  // would never end. The new ones read the head once; a hang fails this test by its timeout.
  const attack = '<!---->'.repeat(100_000) + 'x';
  assert.equal(looksLikeHtml(attack), false);
  assert.equal(looksLikeFeed(attack), false);
  assert.equal(looksLikeFeed('<?xml?>' + attack), false);
  // Only the head is read: a tag past the first SNIFF_CHARS characters does not count.
  const comments = (chars: number) => '<!---->'.repeat(Math.floor(chars / 7));
  assert.equal(looksLikeHtml(comments(SNIFF_CHARS - 100) + '<html>'), true);
  assert.equal(looksLikeFeed(comments(SNIFF_CHARS - 100) + '<rss>'), true);
  assert.equal(looksLikeHtml(comments(SNIFF_CHARS + 100) + '<html>'), false);
  assert.equal(looksLikeHtml('<!--' + ' '.repeat(1_000_000)), false);
});
