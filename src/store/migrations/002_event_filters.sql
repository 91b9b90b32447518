-- Indexes for the event filters the API and `sitrep events` take (a province or district by
-- name or code, in date order for paging), so a filter does not scan every event.
CREATE INDEX events_admin1_name ON events (lower(admin1), event_date, id);
CREATE INDEX events_admin1_code ON events (admin1_code, event_date, id);
CREATE INDEX events_admin2_name ON events (lower(admin2), event_date, id);
CREATE INDEX events_admin2_code ON events (admin2_code, event_date, id);
