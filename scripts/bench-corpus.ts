// Synthetic conflict reports for the benchmark: a seeded generator over sentence
// templates written for this project, with places, actors and figures from many
// countries, so timings reflect realistic text of realistic length (2-5 KB).
// The reports are plausible in form only; they describe no real events.

/** mulberry32: small, fast, seedable PRNG, so every run times the same texts. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Setting {
  country: string;
  /** [town, district, province/state] */
  places: [string, string, string][];
  state: string[];
  armed: string[];
}

const SETTINGS: Setting[] = [
  { country: 'Afghanistan', places: [['Pul-e-Khumri', 'Pul-e-Khumri', 'Baghlan'], ['Lashkar Gah', 'Lashkar Gah', 'Helmand'], ['Maimana', 'Maimana', 'Faryab']], state: ['Afghan security forces', 'the Afghan army'], armed: ['Taliban fighters', 'Islamic State militants'] },
  { country: 'Yemen', places: [['Al Khawkhah', 'Al Khawkhah', 'Al Hudaydah'], ['Harib', 'Harib', 'Marib'], ['Qatabah', 'Qatabah', 'Ad Dali']], state: ['government forces', 'Saudi-led coalition aircraft'], armed: ['Houthi fighters', 'AQAP militants'] },
  { country: 'Syria', places: [['Saraqib', 'Idlib', 'Idlib'], ['Al-Bab', 'Al Bab', 'Aleppo'], ['Mayadin', 'Al Mayadin', 'Deir ez-Zor']], state: ['Syrian government forces', 'Russian warplanes'], armed: ['HTS fighters', 'Islamic State cells'] },
  { country: 'Nigeria', places: [['Monguno', 'Monguno', 'Borno'], ['Gusau', 'Gusau', 'Zamfara'], ['Kankara', 'Kankara', 'Katsina']], state: ['Nigerian troops', 'the Nigerian Air Force'], armed: ['ISWAP fighters', 'armed bandits'] },
  { country: 'Somalia', places: [['Afgooye', 'Afgooye', 'Lower Shabelle'], ['Beledweyne', 'Beledweyne', 'Hiraan'], ['Kismayo', 'Kismayo', 'Lower Juba']], state: ['Somali National Army troops', 'AMISOM forces'], armed: ['al-Shabaab militants', 'clan militiamen'] },
  { country: 'Myanmar', places: [['Hpakant', 'Hpakant', 'Kachin'], ['Kani', 'Kani', 'Sagaing'], ['Hpruso', 'Hpruso', 'Kayah']], state: ['Myanmar military troops', 'junta aircraft'], armed: ['People\'s Defence Force fighters', 'KIA fighters'] },
  { country: 'Mali', places: [['Menaka', 'Menaka', 'Menaka'], ['Bandiagara', 'Bandiagara', 'Mopti'], ['Niono', 'Niono', 'Segou']], state: ['Malian armed forces', 'Malian troops'], armed: ['JNIM militants', 'Islamic State Sahel fighters'] },
  { country: 'DR Congo', places: [['Beni', 'Beni', 'North Kivu'], ['Djugu', 'Djugu', 'Ituri'], ['Rutshuru', 'Rutshuru', 'North Kivu']], state: ['FARDC soldiers', 'Congolese troops'], armed: ['ADF rebels', 'CODECO militiamen'] },
  { country: 'Mexico', places: [['Culiacan', 'Culiacan', 'Sinaloa'], ['Aguililla', 'Aguililla', 'Michoacan'], ['Reynosa', 'Reynosa', 'Tamaulipas']], state: ['Mexican soldiers', 'National Guard officers'], armed: ['cartel gunmen', 'armed men'] },
  { country: 'Ukraine', places: [['Bakhmut', 'Bakhmut', 'Donetsk'], ['Kupiansk', 'Kupiansk', 'Kharkiv'], ['Nikopol', 'Nikopol', 'Dnipropetrovsk']], state: ['Ukrainian forces', 'Ukrainian air defences'], armed: ['Russian forces', 'Russian artillery'] },
  { country: 'Sudan', places: [['El Geneina', 'El Geneina', 'West Darfur'], ['Omdurman', 'Omdurman', 'Khartoum'], ['Wad Madani', 'Wad Madani', 'Al Jazirah']], state: ['Sudanese Armed Forces', 'army aircraft'], armed: ['RSF fighters', 'armed Arab militias'] },
  { country: 'Colombia', places: [['Tumaco', 'Tumaco', 'Narino'], ['Tibu', 'Tibu', 'Norte de Santander'], ['Argelia', 'Argelia', 'Cauca']], state: ['Colombian soldiers', 'police officers'], armed: ['ELN guerrillas', 'FARC dissidents'] },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const TITLES = [
  '{Armed} attack {town} as fighting spreads in {province}',
  'Dozens killed in {province} clashes',
  'Explosion hits market in {town}',
  'Residents flee {town} after overnight assault',
  '{COUNTRY}: Situation update ({date})',
];

const SENTENCES = [
  '{Armed} attacked positions held by {state} near {town} in {district} district on {day}, killing at least {n} people, local officials said.',
  'On {date}, {armed} abducted {n} civilians from a village in {district} district ({province}).',
  '{State} said they had repelled the assault and killed {n2} attackers, a claim that could not be independently verified.',
  'A roadside bomb struck a vehicle carrying {state} on the road between {town} and the provincial capital, wounding {n} people.',
  'Witnesses said {armed} arrived on motorcycles at about 6 a.m. and set fire to houses and shops before withdrawing.',
  '"We heard shooting all night and in the morning the market was burning," a resident of {town} told reporters by telephone.',
  'Humanitarian partners estimate that some {n3} people have been displaced from {district} since the start of {month}.',
  'The U.N. mission said it was alarmed by reports of civilian casualties and called on all parties to respect international humanitarian law.',
  'Hundreds of people protested in {town} on {day} against insecurity, blocking the main road for several hours before police dispersed them with tear gas.',
  'Airstrikes by {state} hit what officials described as a training camp of {armed} outside {town}, killing {n2}.',
  'Shelling by {armed} damaged a school and a health centre in {town}, according to the local administration.',
  'No group has claimed responsibility for the attack, but {armed} are active in the area.',
  'Security in {province} has deteriorated sharply over the past year, with attacks on roads, markets and checkpoints.',
  'Gen. {name}, a spokesman for {state}, said reinforcements had been sent to {district} and that the situation was under control.',
  'Aid agencies said access to parts of {province} remained restricted because of fighting and damaged bridges.',
  'The bodies of {n} villagers were found on {day} near {town}, a local leader said.',
];

const NAMES = ['Ahmed Hassan', 'Musa Ibrahim', 'Olena Kovalenko', 'Aung Naing', 'Carlos Rojas', 'Fatima Yusuf', 'Abdullahi Omar', 'Jean-Pierre Mbala'];

export interface SyntheticReport {
  id: string;
  text: string;
  published: string;
}

export function syntheticReports(count: number, seed = 20240601): SyntheticReport[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const out: SyntheticReport[] = [];
  for (let i = 0; i < count; i++) {
    const s = pick(SETTINGS);
    const [town, district, province] = pick(s.places);
    const year = 2015 + Math.floor(r() * 9);
    const month = Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const date = `${day} ${MONTHS[month]} ${year}`;
    const published = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const fill = (tpl: string) =>
      tpl.replace(/\{(\w+)\}/g, (_, k: string) => {
        const armed = pick(s.armed);
        const state = pick(s.state);
        switch (k) {
          case 'Armed': return cap(armed);
          case 'armed': return armed;
          case 'State': return cap(state);
          case 'state': return state;
          case 'town': return town;
          case 'district': return district;
          case 'province': return province;
          case 'COUNTRY': return s.country.toUpperCase();
          case 'date': return date;
          case 'day': return pick(DAYS);
          case 'month': return MONTHS[month]!;
          case 'n': return String(2 + Math.floor(r() * 40));
          case 'n2': return String(3 + Math.floor(r() * 20));
          case 'n3': return (1000 + Math.floor(r() * 20) * 500).toLocaleString('en-US');
          case 'name': return pick(NAMES);
          default: throw new Error(`unknown slot {${k}}`);
        }
      });
    // Paragraphs overshoot the target by up to ~700 bytes, so aim for 2-4.4 KB to land in 2-5 KB.
    const target = 2048 + Math.floor(r() * 2400);
    // Draw sentences without replacement, as a real report rarely repeats one.
    let deck: string[] = [];
    const next = () => {
      if (deck.length === 0) {
        deck = [...SENTENCES];
        for (let j = deck.length - 1; j > 0; j--) {
          const k = Math.floor(r() * (j + 1));
          [deck[j], deck[k]] = [deck[k]!, deck[j]!];
        }
      }
      return deck.pop()!;
    };
    let text = `${fill(pick(TITLES))}\n\n${town.toUpperCase()}, ${MONTHS[month]} ${day} -`;
    let paragraph = 0;
    while (text.length < target) {
      const n = 2 + Math.floor(r() * 3);
      const para = Array.from({ length: n }, () => fill(next())).join(' ');
      text += paragraph === 0 ? ` ${para}` : `\n\n${para}`;
      paragraph++;
    }
    out.push({ id: `syn-${i + 1}`, text: `${text}\n`, published });
  }
  return out;
}

/** The reports as one RSS feed (guid and date per item, the whole text as description), as a wire serves them. */
export function syntheticFeed(reports: SyntheticReport[], escape: (s: string) => string): string {
  const items = reports
    .map((r) => `<item><title>${escape(r.text.split('\n')[0]!)}</title><guid>${r.id}</guid><pubDate>${new Date(`${r.published}T12:00:00Z`).toUTCString()}</pubDate><description>${escape(r.text)}</description></item>`)
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Wire</title>${items}</channel></rss>`;
}
