-- Where the hold a change of control belongs to began (the first claim of the run of claims by
-- the same holder, with everything known), kept up to date on every write, so "since" needs no
-- walk back through a long hold.
ALTER TABLE control_claims ADD COLUMN run_start date;
