-- Alerts that survive a crash: delivery to the webhook is kept per alert (so an alert not yet
-- delivered is sent again on the next start or round), and a report stored with alerting on is
-- marked until its alerts are evaluated (so a worker dying between the two loses none).

-- delivered_at: when the webhook took it (or when it was raised, with no webhook to send it to).
-- claimed_until: a process is sending it until then (several workers: one sends each alert), or,
-- after a failed delivery, it waits until then to be tried again.
ALTER TABLE alerts
  ADD COLUMN delivered_at  timestamptz,
  ADD COLUMN attempts      integer NOT NULL DEFAULT 0,
  ADD COLUMN last_error    text,
  ADD COLUMN claimed_until timestamptz;
-- Alerts raised before this migration were sent (or printed) then: none is sent again.
UPDATE alerts SET delivered_at = fired_at;
CREATE INDEX alerts_undelivered ON alerts (id) WHERE delivered_at IS NULL;

-- A report whose alerts are not evaluated yet: written in the report's own transaction, deleted
-- in the one that keeps its alerts. claimed_until: the process evaluating it (the one that stored
-- it, or one that took over) has it until then; afterwards any process may.
CREATE TABLE alerts_pending (
  report_id     bigint PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  claimed_until timestamptz NOT NULL
);
