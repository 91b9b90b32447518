-- A faster write path (issue 17): what addReport reads first is one call again, and cheaper.

-- Merge candidates are looked up by type, country, province and date: one index for exactly
-- that (the lookup took the province's events from events_place and a date range from
-- events_date and intersected them). No other query reads events_place, and events_merge and
-- events_location served lookups that are gone; every insert paid for the three.
DROP INDEX events_place;
DROP INDEX events_merge;
DROP INDEX events_location;
CREATE INDEX events_candidates ON events (event_type, country, admin1, event_date);

-- sitrep_look of migration 005, with two changes:
-- * Its answer is json, not jsonb: json is built by writing each value's text, where jsonb makes
--   a numeric of every number (a republished story shares bands with tens of reports, each
--   with 64 values in its signature), which made building the answer the dearest part of the read.
-- * 'other' holds the candidates stored.ts asked for in a third round trip (otherSpellings):
--   events of the same province spelled otherwise, found by the province's code (windows with an
--   admin1_code), so an imported ACLED row meets the extracted events of its province.
DROP FUNCTION sitrep_look(text, text, integer[], jsonb, text[]);
CREATE FUNCTION sitrep_look(p_hash text, p_url text, p_bands integer[], p_windows jsonb, p_ids text[]) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
  k bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sitrep.addReport'));
  SELECT r.id INTO k FROM reports r WHERE r.content_hash = p_hash OR (r.url IS NOT NULL AND r.url = p_url) LIMIT 1;
  IF k IS NOT NULL THEN
    RETURN json_build_object('known', k);
  END IF;
  RETURN json_build_object(
    'report_id', nextval(pg_get_serial_sequence('reports', 'id')),
    'near', (SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (
      SELECT r.id, r.minhash, r.near_duplicate_of FROM reports r
      WHERE r.id IN (SELECT rb.report_id FROM report_bands rb
        WHERE (rb.band, rb.value) IN (SELECT b.i - 1, b.v FROM unnest(p_bands) WITH ORDINALITY AS b(v, i)))) x),
    'candidates', (SELECT coalesce(json_agg(c), '[]') FROM (
      SELECT q.i, x.* FROM jsonb_to_recordset(p_windows) AS q(i integer, event_type text, country text, admin1 text, lo date, hi date, d date, acled boolean)
      CROSS JOIN LATERAL (
        SELECT e.id, e.event_id, e.event_date, e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.country, e.admin1, e.admin2,
          e.admin2_code, e.location, e.acled IS NULL AS acled_free
        FROM events e
        WHERE e.event_type = q.event_type AND e.country = q.country AND e.admin1 = q.admin1 AND e.event_date BETWEEN q.lo AND q.hi
          AND (NOT q.acled OR e.acled IS NULL)
        ORDER BY abs(e.event_date - q.d), e.id LIMIT 50) x) c),
    'other', (SELECT coalesce(json_agg(c), '[]') FROM (
      SELECT q.i, x.* FROM jsonb_to_recordset(p_windows) AS q(i integer, event_type text, country text, admin1 text, admin1_code text, lo date, hi date, d date, acled boolean)
      CROSS JOIN LATERAL (
        SELECT e.id, e.event_id, e.event_date, e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.country, e.admin1, e.admin1_code,
          e.admin2, e.admin2_code, e.location, e.latitude, e.longitude, e.acled IS NULL AS acled_free
        FROM events e
        WHERE e.admin1_code = q.admin1_code AND e.event_date BETWEEN q.lo AND q.hi AND e.event_type = q.event_type AND e.country = q.country
          AND e.admin1 <> q.admin1 AND (CASE WHEN q.acled THEN e.acled IS NULL ELSE e.acled IS NOT NULL END)
        ORDER BY abs(e.event_date - q.d), e.id LIMIT 50) x) c),
    'taken', (SELECT coalesce(json_agg(e.event_id), '[]') FROM events e WHERE e.event_id = ANY(p_ids)));
END
$$;

-- sitrep_write of migration 005, with each extracted event's JSON passed (and parsed) once:
-- parsing the JSON is most of what writing a report costs the server, and the rows passed as
-- JSON held most of an event three times (its source's own figures and evidence, the source's
-- `extracted`, the new event's columns). Now a source is its position, its event (a stored one's
-- row id, or a new one's event_id), its source name and the extracted event, from which its
-- figures, notes and evidence are read; a new event is the position of the source it came from,
-- its event_id, ACLED fields and, when the report tells it twice, figures from both tellings.
DROP FUNCTION sitrep_write(bigint, text, text, text, text, date, text, integer[], bigint, integer[], jsonb, jsonb, jsonb, jsonb, jsonb);
CREATE FUNCTION sitrep_write(p_id bigint, p_hash text, p_url text, p_title text, p_source text, p_published date, p_text text,
  p_minhash integer[], p_near bigint, p_bands integer[], p_events jsonb, p_sources jsonb, p_updates jsonb, p_districts jsonb, p_claims jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO reports (id, content_hash, url, title, source, published, text, minhash, near_duplicate_of)
  VALUES (p_id, p_hash, p_url, p_title, p_source, p_published, p_text, p_minhash, p_near);
  INSERT INTO report_bands (band, value, report_id) SELECT b.i - 1, b.v, p_id FROM unnest(p_bands) WITH ORDINALITY AS b(v, i);
  INSERT INTO events (event_id, event_date, time_precision, event_type, sub_event_type, actor1, assoc_actor_1, actor2, assoc_actor_2,
    inter1, inter2, interaction, country, iso, admin1, admin1_code, admin2, admin2_code, location, latitude, longitude, geo_precision,
    fatalities, source, notes, attribution, certainty, confidence, rule, evidence, first_known, acled)
  SELECT t.event_id, x.event_date, x.time_precision, x.event_type, x.sub_event_type, x.actor1, x.assoc_actor_1, x.actor2, x.assoc_actor_2,
    x.inter1, x.inter2, x.interaction, x.country, x.iso, x.admin1, x.admin1_code, x.admin2, x.admin2_code, x.location, x.latitude, x.longitude, x.geo_precision,
    coalesce(t.fatalities, x.fatalities), coalesce(t.source, x.source), x.notes, x.attribution, coalesce(t.certainty, x.certainty),
    coalesce(t.confidence, x.confidence), x.rule, x.evidence, p_published, t.acled
  FROM jsonb_to_recordset(p_events) AS t(pos integer, event_id text, acled jsonb, fatalities integer, certainty text, source text, confidence real)
  CROSS JOIN LATERAL jsonb_populate_record(NULL::events, p_sources->t.pos->'extracted') AS x
  ORDER BY t.pos;
  INSERT INTO event_sources (report_id, position, event_id, source, published, fatalities, certainty, attribution, notes, evidence, extracted)
  SELECT p_id, s.position, coalesce(s.id, (SELECT e.id FROM events e WHERE e.event_id = s.key)), s.source, p_published,
    (s.extracted->>'fatalities')::integer, s.extracted->>'certainty', s.extracted->>'attribution', s.extracted->>'notes', s.extracted->'evidence', s.extracted
  FROM jsonb_to_recordset(p_sources) AS s(position integer, id bigint, key text, source text, extracted jsonb);
  UPDATE events e SET fatalities = u.fatalities, certainty = u.certainty, source = u.source, confidence = u.confidence,
    first_known = coalesce(u.first_known, e.first_known), acled = coalesce(e.acled, u.acled)
  FROM jsonb_to_recordset(p_updates) AS u(id bigint, fatalities integer, certainty text, source text, confidence real, first_known date, acled jsonb)
  WHERE e.id = u.id;
  INSERT INTO districts (code, country, admin1, admin1_code, admin2)
  SELECT d.code, d.country, d.admin1, d.admin1_code, d.admin2 FROM jsonb_to_recordset(p_districts) AS d(code text, country text, admin1 text, admin1_code text, admin2 text)
  ON CONFLICT (code) DO NOTHING;
  INSERT INTO control_claims (district, kind, actor, against, valid_from, known_at, certainty, attribution, reason, evidence, event_id, report_id)
  SELECT c.district, c.kind, c.actor, c.against, c.valid_from, p_published, c.certainty, c.attribution, c.reason, c.evidence,
    coalesce(c.id, (SELECT e.id FROM events e WHERE e.event_id = c.key)), p_id
  FROM jsonb_to_recordset(p_claims) AS c(pos integer, district text, kind text, actor text, against text, valid_from date, certainty text,
    attribution text, reason text, evidence jsonb, id bigint, key text)
  ORDER BY c.pos;
END
$$;
