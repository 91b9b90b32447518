-- The write path of `addReport` as two functions, so storing a report is two round trips
-- (three when its events merge into stored ones) whatever it holds, and the statements inside
-- are planned once per connection (PL/pgSQL keeps their plans) instead of once per report.
-- Merge decisions and event ids are made by the caller (src/store/store.ts) between the two.

-- What storing a report needs to know first: whether it is known (by text or URL), else its new
-- id, the reports sharing a MinHash band with it, each event's merge candidates (the 50 nearest
-- in date among stored events of its type and province within its window) and which of the
-- event ids it could take are taken. One JSON object. Reports are stored one at a time (a lock
-- held to the end of the caller's transaction): with several workers on one server, each
-- report's merges and duplicate checks see every report stored before it, as in one process.
CREATE FUNCTION sitrep_look(p_hash text, p_url text, p_bands integer[], p_windows jsonb, p_ids text[]) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  k bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sitrep.addReport'));
  SELECT r.id INTO k FROM reports r WHERE r.content_hash = p_hash OR (r.url IS NOT NULL AND r.url = p_url) LIMIT 1;
  IF k IS NOT NULL THEN
    RETURN jsonb_build_object('known', k);
  END IF;
  RETURN jsonb_build_object(
    'report_id', nextval(pg_get_serial_sequence('reports', 'id')),
    'near', (SELECT coalesce(jsonb_agg(x ORDER BY x.id), '[]') FROM (
      SELECT r.id, r.minhash, r.near_duplicate_of FROM reports r
      WHERE r.id IN (SELECT rb.report_id FROM report_bands rb
        WHERE (rb.band, rb.value) IN (SELECT b.i - 1, b.v FROM unnest(p_bands) WITH ORDINALITY AS b(v, i)))) x),
    'candidates', (SELECT coalesce(jsonb_agg(c), '[]') FROM (
      SELECT q.i, x.* FROM jsonb_to_recordset(p_windows) AS q(i integer, event_type text, country text, admin1 text, lo date, hi date, d date, acled boolean)
      CROSS JOIN LATERAL (
        SELECT e.id, e.event_id, e.event_date, e.time_precision, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.country, e.admin1, e.admin2,
          e.admin2_code, e.location, e.acled IS NULL AS acled_free
        FROM events e
        WHERE e.event_type = q.event_type AND e.country = q.country AND e.admin1 = q.admin1 AND e.event_date BETWEEN q.lo AND q.hi
          AND (NOT q.acled OR e.acled IS NULL)
        ORDER BY abs(e.event_date - q.d), e.id LIMIT 50) x) c),
    'taken', (SELECT coalesce(jsonb_agg(e.event_id), '[]') FROM events e WHERE e.event_id = ANY(p_ids)));
END
$$;

-- Every write of a new report: the report, its bands, its new events (in their order), its
-- sources (an existing event by row id, a new one by its event_id), the merged events' figures,
-- districts and claims. Rows come as JSON arrays of objects.
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
  SELECT t.event_id, t.event_date, t.time_precision, t.event_type, t.sub_event_type, t.actor1, t.assoc_actor_1, t.actor2, t.assoc_actor_2,
    t.inter1, t.inter2, t.interaction, t.country, t.iso, t.admin1, t.admin1_code, t.admin2, t.admin2_code, t.location, t.latitude, t.longitude, t.geo_precision,
    t.fatalities, t.source, t.notes, t.attribution, t.certainty, t.confidence, t.rule, t.evidence, p_published, t.acled
  FROM jsonb_to_recordset(p_events) AS t(pos integer, event_id text, event_date date, time_precision smallint, event_type text, sub_event_type text,
    actor1 text, assoc_actor_1 text, actor2 text, assoc_actor_2 text, inter1 smallint, inter2 smallint, interaction smallint, country text, iso integer,
    admin1 text, admin1_code text, admin2 text, admin2_code text, location text, latitude double precision, longitude double precision,
    geo_precision smallint, fatalities integer, source text, notes text, attribution text, certainty text, confidence real, rule text,
    evidence jsonb, acled jsonb)
  ORDER BY t.pos;
  INSERT INTO event_sources (report_id, position, event_id, source, published, fatalities, certainty, attribution, notes, evidence, extracted)
  SELECT p_id, s.position, coalesce(s.id, (SELECT e.id FROM events e WHERE e.event_id = s.key)), s.source, p_published, s.fatalities, s.certainty,
    s.attribution, s.notes, s.evidence, s.extracted
  FROM jsonb_to_recordset(p_sources) AS s(position integer, id bigint, key text, source text, fatalities integer, certainty text,
    attribution text, notes text, evidence jsonb, extracted jsonb);
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
