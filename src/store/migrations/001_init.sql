-- sitrep store, version 1. Dates are calendar dates (no time zone); offsets in evidence point
-- into reports.text.

CREATE TABLE reports (
  id            bigserial PRIMARY KEY,
  -- sha256 of the whitespace- and case-normalised text: the same report twice is stored once.
  content_hash  text NOT NULL UNIQUE,
  url           text UNIQUE,
  title         text,
  source        text,
  published     date,
  text          text NOT NULL,
  -- MinHash signature of word 3-shingles (64 values): a republished wire story with small
  -- edits shares most shingles with the first and is linked to it.
  minhash       integer[] NOT NULL,
  near_duplicate_of bigint REFERENCES reports(id),
  ingested_at   timestamptz NOT NULL DEFAULT now()
);

-- Locality-sensitive hashing: the signature cut into 16 bands of 4 values, each hashed; two
-- reports that share most shingles share a band, so near-duplicates are found by index.
CREATE TABLE report_bands (
  band      smallint NOT NULL,
  value     integer NOT NULL,
  report_id bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  PRIMARY KEY (band, value, report_id)
);

CREATE TABLE events (
  id              bigserial PRIMARY KEY,
  event_id        text NOT NULL UNIQUE,
  event_date      date NOT NULL,
  time_precision  smallint NOT NULL,
  event_type      text NOT NULL,
  sub_event_type  text NOT NULL,
  actor1          text NOT NULL,
  assoc_actor_1   text NOT NULL,
  actor2          text NOT NULL,
  assoc_actor_2   text NOT NULL,
  inter1          smallint NOT NULL,
  inter2          smallint NOT NULL,
  interaction     smallint NOT NULL,
  country         text NOT NULL,
  iso             integer,
  admin1          text NOT NULL,
  admin1_code     text,
  admin2          text NOT NULL,
  admin2_code     text,
  location        text NOT NULL,
  latitude        double precision,
  longitude       double precision,
  geo_precision   smallint NOT NULL,
  fatalities      integer NOT NULL,
  source          text NOT NULL,
  notes           text NOT NULL,
  attribution     text,
  certainty       text NOT NULL,
  confidence      real NOT NULL,
  rule            text NOT NULL,
  evidence        jsonb NOT NULL,
  -- The earliest publication date among its sources: what an analyst could know, and when.
  first_known     date NOT NULL
);
CREATE INDEX events_date ON events (event_date, id);
CREATE INDEX events_place ON events (country, admin1, admin2);
CREATE INDEX events_merge ON events (event_type, admin2_code, event_date);
CREATE INDEX events_location ON events (event_type, location, event_date);

-- Each report that tells an event, with what that report said (its figures and evidence).
CREATE TABLE event_sources (
  report_id   bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  position    integer NOT NULL,
  event_id    bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  source      text NOT NULL,
  published   date,
  fatalities  integer NOT NULL,
  certainty   text NOT NULL,
  attribution text,
  notes       text NOT NULL,
  evidence    jsonb NOT NULL,
  extracted   jsonb NOT NULL,
  PRIMARY KEY (report_id, position)
);
CREATE INDEX event_sources_event ON event_sources (event_id);

-- The geography the control timeline is keyed on: districts (admin2) with their codes
-- (P-codes in Afghanistan, GeoNames admin codes elsewhere, or a name key where none is known).
CREATE TABLE districts (
  code        text PRIMARY KEY,
  country     text NOT NULL,
  admin1      text NOT NULL,
  admin1_code text,
  admin2      text NOT NULL
);
CREATE INDEX districts_country ON districts (country, admin1);

-- Who holds a district from when (valid time) as reported when (known_at): a change of
-- control, a baseline, or a contest (a denial, a counter-claim, a retaking announced).
CREATE TABLE control_claims (
  id          bigserial PRIMARY KEY,
  district    text NOT NULL REFERENCES districts(code),
  kind        text NOT NULL CHECK (kind IN ('control', 'contest', 'baseline')),
  actor       text NOT NULL,
  against     text NOT NULL DEFAULT '',
  valid_from  date NOT NULL,
  known_at    date NOT NULL,
  certainty   text NOT NULL DEFAULT 'reported',
  attribution text,
  reason      text NOT NULL,
  evidence    jsonb NOT NULL DEFAULT '[]',
  event_id    bigint REFERENCES events(id) ON DELETE CASCADE,
  report_id   bigint REFERENCES reports(id) ON DELETE CASCADE
);
-- "Latest claim per district" is one index probe per district (LATERAL ... LIMIT 1).
CREATE INDEX control_latest ON control_claims (district, valid_from DESC, known_at DESC, id DESC);
