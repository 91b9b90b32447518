-- Following sources (`sitrep watch`) and the alerts raised on what they bring. Plain SQL that
-- PGlite and a PostgreSQL server both run.

-- One row per followed source (a feed or page URL, or a local directory), so a restarted watch
-- sends the validators it last got (ETag, Last-Modified) and waits out a backoff.
CREATE TABLE watch_sources (
  source        text PRIMARY KEY,
  kind          text,
  etag          text,
  last_modified text,
  first_polled  timestamptz NOT NULL DEFAULT now(),
  last_polled   timestamptz,
  last_success  timestamptz,
  last_error    text,
  last_error_at timestamptz,
  failures      integer NOT NULL DEFAULT 0,
  next_poll     timestamptz,
  items_seen    integer NOT NULL DEFAULT 0
);

-- Each item of a source once taken (a feed item's guid or link, a file's path and version):
-- seen items are skipped before their article page is fetched or their text extracted again.
CREATE TABLE watch_items (
  source    text NOT NULL REFERENCES watch_sources(source) ON DELETE CASCADE,
  item_key  text NOT NULL,
  seen_at   timestamptz NOT NULL DEFAULT now(),
  report_id bigint REFERENCES reports(id) ON DELETE SET NULL,
  PRIMARY KEY (source, item_key)
);
CREATE INDEX watch_items_seen ON watch_items (source, seen_at);

-- An alert: a rule matched by what one report brought. dedup_key (rule, change, events) makes
-- the same change raise one alert however often it is seen.
CREATE TABLE alerts (
  id         bigserial PRIMARY KEY,
  dedup_key  text NOT NULL UNIQUE,
  rule       text NOT NULL,
  condition  text NOT NULL,
  fired_at   timestamptz NOT NULL DEFAULT now(),
  report_id  bigint REFERENCES reports(id) ON DELETE CASCADE,
  alert      jsonb NOT NULL
);
CREATE INDEX alerts_fired ON alerts (fired_at, id);
