// The wording of briefs, read from rules/brief/ (house style is data): templates by key, the
// names a brief gives actors, and the verbs it uses for a change of territory.
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';

export interface BriefWording {
  templates: Map<string, string>;
  /** ACLED actor name or control side -> the brief's words. */
  names: Map<string, string>;
  /** A report's word for taking territory -> the participle; "default:<sub-event type>" keys too. */
  verbs: Map<string, string>;
}

function pairs(config: Config, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { cols, where } of readRuleFile(config, file)) {
    const [key, value] = cols;
    if (!key || value === undefined) throw new Error(`${where}: expected a key, a tab and a value`);
    // A later row (a user's file) overrides an earlier one of the same key.
    out.set(key, value);
  }
  return out;
}

export function loadBriefWording(config: Config): BriefWording {
  return { templates: pairs(config, 'brief/templates.tsv'), names: pairs(config, 'brief/names.tsv'), verbs: pairs(config, 'brief/verbs.tsv') };
}

/** The template of a key, or of the first fallback key present; fills {name} slots from vars. */
export function fill(w: BriefWording, keys: string[], vars: Record<string, string | number>): string {
  const key = keys.find((k) => w.templates.has(k));
  if (!key) throw new Error(`rules/brief/templates.tsv: no template ${keys.join(' or ')}`);
  return w.templates.get(key)!.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
