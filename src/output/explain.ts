// `sitrep explain`: per sentence, what each stage found, so a wrong or missing event can be
// traced to the rule (file:line) or the mention behind it.
import type { SentenceAnalysis } from '../extract/assemble.js';

export function explainAnalysis(analyses: SentenceAnalysis[]): string {
  const out: string[] = [];
  for (const a of analyses) {
    out.push(`[${a.sentence.index}] §${a.section} ${a.sentence.text}`);
    const list = (label: string, items: string[]) => items.length && out.push(`    ${label.padEnd(9)} ${items.join(' | ')}`);
    list('dates', a.dates.map((d) => `"${d.text}" ${d.date} p${d.precision} (${d.rule})`));
    list('actors', a.actors.map((m) => `"${m.text}" ${m.name} [${m.inter}] (${m.rule})`));
    list('places', a.places.map((p) => `"${p.text}" ${p.place.location}/${p.place.admin2}/${p.place.admin1}/${p.place.iso2} ${p.place.level} ${p.score.toFixed(2)} (${p.rule})`));
    list('counts', a.fatalities.map((f) => `"${f.text}" ${f.kind} ${f.count} (${f.rule})`));
    list('triggers', a.triggers.map((t) => `"${t.text}" ${t.rule.decides} (${t.rule.where})`));
    list('cancelled', a.suppressed.map((t) => `"${t.text}" by ${t.by.kind} "${t.cue}" (${t.by.where})`));
    if (a.attribution.span || a.attribution.certainty !== 'reported') out.push(`    says      "${a.attribution.span?.text ?? ''}" ${a.attribution.certainty}`);
  }
  return out.join('\n') + '\n';
}
