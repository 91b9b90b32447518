// Events written in ACLED's export layouts, so a script written for ACLED's files reads them
// unchanged: the current layout (inter as text, disorder_type, civilian_targeting) or the 2020
// one (numeric inter codes, data_id, event_id_no_cnty, iso3). Fields an imported row had and
// sitrep does not model come back from `Event.acled`; the rest are derived (region and iso3
// from the ISO numeric code through UN M49) or left blank.
import { stringify } from 'csv-stringify/sync';
import { longDate } from '../core/days.js';
import { ACLED_2020, ACLED_CURRENT, acledRegion, civilianTargeting, disorderType, interactionLabel, iso3Of } from '../schema/acled.js';
import type { AcledLayout } from '../schema/acled.js';
import { INTER_LABELS } from '../schema/event.js';
import type { Event } from '../schema/event.js';

function acledRow(e: Event, layout: AcledLayout): Record<string, string | number> {
  const kept = e.acled ?? {};
  const id = kept.event_id_cnty ?? e.event_id;
  const num = (v: number | null) => (v === null ? '' : v);
  const common = {
    event_id_cnty: id,
    year: e.event_date.slice(0, 4),
    time_precision: e.time_precision,
    event_type: e.event_type,
    sub_event_type: e.sub_event_type,
    actor1: e.actor1,
    assoc_actor_1: e.assoc_actor_1,
    actor2: e.actor2,
    assoc_actor_2: e.assoc_actor_2,
    iso: num(e.iso),
    region: kept.region ?? acledRegion(e.iso, layout),
    country: e.country,
    admin1: e.admin1,
    admin2: e.admin2,
    admin3: kept.admin3 ?? '',
    location: e.location,
    latitude: num(e.latitude),
    longitude: num(e.longitude),
    geo_precision: e.geo_precision,
    source: e.source,
    source_scale: kept.source_scale ?? '',
    notes: e.notes,
    fatalities: e.fatalities,
    timestamp: kept.timestamp ?? '',
  };
  if (layout === '2020') {
    return {
      ...common,
      data_id: kept.data_id ?? '',
      event_id_no_cnty: kept.event_id_no_cnty ?? id.replace(/^[A-Z]+/, ''),
      event_date: longDate(e.event_date),
      inter1: e.inter1,
      inter2: e.inter2,
      interaction: e.interaction,
      iso3: kept.iso3 ?? iso3Of(e.iso),
    };
  }
  const label = kept.interaction && !/^\d+$/.test(kept.interaction) ? kept.interaction : interactionLabel(e.inter1, e.inter2);
  return {
    ...common,
    event_date: e.event_date,
    disorder_type: kept.disorder_type ?? disorderType(e),
    inter1: INTER_LABELS[e.inter1] ?? '',
    inter2: INTER_LABELS[e.inter2] ?? '',
    interaction: label,
    civilian_targeting: kept.civilian_targeting ?? civilianTargeting(e),
    tags: kept.tags ?? '',
  };
}

export function formatAcled(events: Event[], layout: AcledLayout): string {
  const columns = layout === '2020' ? [...ACLED_2020] : [...ACLED_CURRENT];
  return stringify(
    events.map((e) => {
      const r = acledRow(e, layout);
      return columns.map((c) => r[c] ?? '');
    }),
    { header: true, columns },
  );
}
