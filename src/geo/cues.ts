// Cue words that say what kind of place a name is (rules/geo/cues.tsv) and words that mark a
// person's name (rules/geo/person_words.tsv); both user-extendable.
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';

export interface Cue {
  level: 'country' | 'admin1' | 'admin2' | 'town' | '-';
  where: string;
}

export interface Cues {
  after: Map<string, Cue>;
  before: Map<string, Cue>;
  /** Person-name markers (rules/geo/person_words.tsv): titles ("President", "commander") and given names. */
  persons: Map<string, 'title' | 'first'>;
}

export function loadCues(config: Config): Cues {
  const after = new Map<string, Cue>();
  const before = new Map<string, Cue>();
  for (const { cols, where } of readRuleFile(config, 'geo/cues.tsv')) {
    const [words = '', pos = '', level = '-'] = cols;
    (pos === 'before' ? before : after).set(words.toLowerCase(), { level: level as Cue['level'], where });
  }
  const persons = new Map<string, 'title' | 'first'>();
  for (const { cols } of readRuleFile(config, 'geo/person_words.tsv')) {
    const [word = '', kind = ''] = cols;
    // Matched case-insensitively: "commander Qassem Soleimani", "President Ashraf Ghani".
    persons.set(word.toLowerCase(), kind === 'title' ? 'title' : 'first');
  }
  return { after, before, persons };
}
