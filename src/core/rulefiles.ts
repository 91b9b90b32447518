// Reads rule and lexicon files: tab-separated text, `#` comments, blank lines ignored.
// Built-in files come first, then the same file name from each user rules directory,
// so a user's rows extend (or, being later, override) the built-in ones.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

export interface RuleRow {
  /** The columns of the line, tab-separated and trimmed. */
  cols: string[];
  /** "file:line", so an event can be traced to one line of data. */
  where: string;
}

export function readRuleFile(config: Config, name: string): RuleRow[] {
  const rows: RuleRow[] = [];
  for (const dir of [config.rulesDir, ...config.userRulesDirs]) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      rows.push({ cols: line.split('\t').map((c) => c.trim()), where: `${path.basename(dir)}/${name}:${i + 1}` });
    });
  }
  return rows;
}
