// Cue words that say what kind of place a name is, from rules/geo/cues.tsv (user-extendable).
import type { Config } from '../config.js';
import { readRuleFile } from '../extract/rulefiles.js';

export interface Cue {
  level: 'country' | 'admin1' | 'admin2' | 'town' | '-';
  where: string;
}

export interface Cues {
  after: Map<string, Cue>;
  before: Map<string, Cue>;
}

export function loadCues(config: Config): Cues {
  const after = new Map<string, Cue>();
  const before = new Map<string, Cue>();
  for (const { cols, where } of readRuleFile(config, 'geo/cues.tsv')) {
    const [words = '', pos = '', level = '-'] = cols;
    (pos === 'before' ? before : after).set(words.toLowerCase(), { level: level as Cue['level'], where });
  }
  return { after, before };
}
