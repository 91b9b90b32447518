// `sitrep explain`: per sentence, what each stage found, so a wrong or missing event can be
// traced to the rule (file:line) or the mention behind it.
import type { SentenceAnalysis } from '../extract/discourse.js';

export function explainAnalysis(analyses: SentenceAnalysis[]): string {
  const out: string[] = [];
  for (const a of analyses) {
    out.push(`[${a.sentence.index}] §${a.section} ${a.sentence.text}`);
    const list = (label: string, items: string[]) => items.length && out.push(`    ${label.padEnd(10)} ${items.join(' | ')}`);
    list('dates', a.dates.map((d) => `"${d.text}" ${d.date} p${d.precision} (${d.rule})`));
    list('actors', a.actors.map((m) => `"${m.text}" ${m.name} [${m.inter}] (${m.rule})`));
    list('places', a.places.map((p) => `"${p.text}" ${p.place.location}/${p.place.admin2}/${p.place.admin1}/${p.place.iso2} ${p.place.level} ${p.score.toFixed(2)} (${p.rule})`));
    list('counts', a.fatalities.map((f) => `"${f.text}" ${f.kind} ${f.count} (${f.rule})`));
    list('predicates', a.predicates.map((p) => `"${p.text}" ${p.cls}${p.passive ? ' (passive)' : ''} (${p.where})`));
    list('cancelled', a.cancelled.map((t) => `"${t.text}" by ${t.by.kind} "${t.cue}" (${t.by.where})`));
    for (const f of a.frames) {
      const who = (x: { text: string } | null) => (x ? `"${x.text}"` : '-');
      out.push(
        `    frame      acts ${[...f.acts].join(',')}; means ${f.means}${f.meansSpan ? ` ("${f.meansSpan.text}")` : ''}; agent ${who(f.agent)} (${f.agentKind}); ` +
          `patients ${f.patients.map((p) => `${who(p.span)} ${p.kind}`).join(', ') || '-'}${f.governed.length ? `; takes ${f.governed.map((p) => `"${p.text}"`).join(', ')}` : ''}`,
      );
    }
    if (a.attribution.span || a.attribution.certainty !== 'reported') out.push(`    says       "${a.attribution.span?.text ?? ''}" ${a.attribution.certainty}`);
  }
  return out.join('\n') + '\n';
}
