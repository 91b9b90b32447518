// The stage folders form layers that only point down: a folder imports only from folders
// below it, so the pipeline reads bottom-up and no stage reaches into a later one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/config.js';

// Lowest first. Modules at the top of src/ (config, errors) sit with core at the bottom.
const LAYERS = ['core', 'schema', 'geo', 'extract', 'control', 'store', 'ingest', 'follow', 'output', 'report', 'eval', 'serve', 'cli'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('every src/ folder is a known layer', () => {
  const folders = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), []);
});

test('imports between src/ folders only point down the layers', () => {
  const wrong: string[] = [];
  let seen = 0;
  for (const file of sources(path.join(ROOT, 'src'))) {
    const rel = path.relative(path.join(ROOT, 'src'), file);
    const from = rel.includes(path.sep) ? rel.split(path.sep)[0]! : 'core';
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), m[1]!));
      const to = target.includes(path.sep) ? target.split(path.sep)[0]! : 'core';
      seen++;
      if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) wrong.push(`${rel} imports ${m[1]} (${from} -> ${to})`);
    }
  }
  assert.ok(seen > 100, `only ${seen} imports read: the pattern no longer finds them`);
  assert.deepEqual(wrong, []);
});
