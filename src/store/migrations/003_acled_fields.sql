-- ACLED's own fields of an imported row that sitrep does not model (event_id_cnty, region,
-- admin3, source_scale, tags, timestamp, ...), kept so an export gives the row back unchanged.
ALTER TABLE events ADD COLUMN acled jsonb;
