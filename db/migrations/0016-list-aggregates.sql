-- The curve to a million cases (issue #17, point 7): maintained aggregates, kept exact by
-- triggers on every insert, update and delete of a listed case (retired_into IS NULL).
--
-- case_rank: an order-statistics helper for the lists. For each sort, the cases are counted per
-- bucket of the sort key (a function of the key that keeps its order: the deadline day, the
-- received day, the first 14 characters of the Aktenzeichen, the first 12 characters of the
-- applicant folded like COLLATE NOCASE) and per filter group (procedure, status, unassigned).
-- A list sums the buckets of its filters (a few thousand rows): that is its total, and the
-- running sum finds the bucket holding any position, so a page at offset 999,950 starts at the
-- bucket's first key in the list index and skips only the rest of one bucket.
-- A case without a deadline is in bucket '' of 'deadline' (the lists show those last).
CREATE TABLE case_rank (
  sort         TEXT NOT NULL CHECK (sort IN ('deadline', 'received', 'aktenzeichen', 'applicant')),
  bucket       TEXT NOT NULL,
  procedure_id TEXT NOT NULL,
  status       TEXT NOT NULL,
  unassigned   INTEGER NOT NULL CHECK (unassigned IN (0, 1)),
  n            INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (sort, bucket, procedure_id, status, unassigned)
) STRICT, WITHOUT ROWID;

-- case_workload: the team dashboard's counts per assignee ('' = nobody), procedure and status,
-- by deadline day and by received day (kind), so overdue, due soon, age buckets and the weekly
-- intake are sums over these rows instead of a scan of every case.
CREATE TABLE case_workload (
  assignee     TEXT NOT NULL,
  procedure_id TEXT NOT NULL,
  status       TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('deadline', 'received')),
  day          TEXT NOT NULL,
  n            INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (kind, day, assignee, procedure_id, status)
) STRICT, WITHOUT ROWID;

-- Changes go through these two views: one INSTEAD OF trigger each removes a row the delta
-- brings to zero, adds the delta to an existing row, or inserts a new group (changes() is the
-- UPDATE's count inside the trigger), so the tables only hold groups that have cases.
CREATE VIEW case_rank_delta AS
  SELECT sort, bucket, procedure_id, status, unassigned, n AS d FROM case_rank;
CREATE TRIGGER case_rank_apply INSTEAD OF INSERT ON case_rank_delta BEGIN
  DELETE FROM case_rank
    WHERE sort = NEW.sort AND bucket = NEW.bucket AND procedure_id = NEW.procedure_id
      AND status = NEW.status AND unassigned = NEW.unassigned AND n + NEW.d <= 0;
  UPDATE case_rank SET n = n + NEW.d
    WHERE sort = NEW.sort AND bucket = NEW.bucket AND procedure_id = NEW.procedure_id
      AND status = NEW.status AND unassigned = NEW.unassigned AND n + NEW.d > 0;
  INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n)
    SELECT NEW.sort, NEW.bucket, NEW.procedure_id, NEW.status, NEW.unassigned, NEW.d
    WHERE NEW.d > 0 AND changes() = 0;
END;

CREATE VIEW case_workload_delta AS
  SELECT assignee, procedure_id, status, kind, day, n AS d FROM case_workload;
CREATE TRIGGER case_workload_apply INSTEAD OF INSERT ON case_workload_delta BEGIN
  DELETE FROM case_workload
    WHERE kind = NEW.kind AND day = NEW.day AND assignee = NEW.assignee
      AND procedure_id = NEW.procedure_id AND status = NEW.status AND n + NEW.d <= 0;
  UPDATE case_workload SET n = n + NEW.d
    WHERE kind = NEW.kind AND day = NEW.day AND assignee = NEW.assignee
      AND procedure_id = NEW.procedure_id AND status = NEW.status AND n + NEW.d > 0;
  INSERT INTO case_workload (assignee, procedure_id, status, kind, day, n)
    SELECT NEW.assignee, NEW.procedure_id, NEW.status, NEW.kind, NEW.day, NEW.d
    WHERE NEW.d > 0 AND changes() = 0;
END;

CREATE TRIGGER cases_aggregates_insert AFTER INSERT ON cases WHEN NEW.retired_into IS NULL BEGIN
  INSERT INTO case_rank_delta (sort, bucket, procedure_id, status, unassigned, d) VALUES
    ('deadline', coalesce(NEW.deadline, ''), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('received', substr(NEW.received_at, 1, 10), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('aktenzeichen', substr(NEW.aktenzeichen, 1, 14), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('applicant', lower(substr(NEW.applicant_name, 1, 12)), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1);
  INSERT INTO case_workload_delta (assignee, procedure_id, status, kind, day, d) VALUES
    (coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 'deadline', coalesce(NEW.deadline, ''), 1),
    (coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 'received', substr(NEW.received_at, 1, 10), 1);
END;

CREATE TRIGGER cases_aggregates_delete AFTER DELETE ON cases WHEN OLD.retired_into IS NULL BEGIN
  INSERT INTO case_rank_delta (sort, bucket, procedure_id, status, unassigned, d) VALUES
    ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1);
  INSERT INTO case_workload_delta (assignee, procedure_id, status, kind, day, d) VALUES
    (coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status, 'deadline', coalesce(OLD.deadline, ''), -1),
    (coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status, 'received', substr(OLD.received_at, 1, 10), -1);
END;

-- An update of a counted column moves the case: out of its old groups, into its new ones.
CREATE TRIGGER cases_aggregates_update_old AFTER UPDATE OF deadline, received_at, aktenzeichen,
  applicant_name, procedure_id, status, assignee, retired_into ON cases WHEN OLD.retired_into IS NULL BEGIN
  INSERT INTO case_rank_delta (sort, bucket, procedure_id, status, unassigned, d) VALUES
    ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1),
    ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL, -1);
  INSERT INTO case_workload_delta (assignee, procedure_id, status, kind, day, d) VALUES
    (coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status, 'deadline', coalesce(OLD.deadline, ''), -1),
    (coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status, 'received', substr(OLD.received_at, 1, 10), -1);
END;

CREATE TRIGGER cases_aggregates_update_new AFTER UPDATE OF deadline, received_at, aktenzeichen,
  applicant_name, procedure_id, status, assignee, retired_into ON cases WHEN NEW.retired_into IS NULL BEGIN
  INSERT INTO case_rank_delta (sort, bucket, procedure_id, status, unassigned, d) VALUES
    ('deadline', coalesce(NEW.deadline, ''), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('received', substr(NEW.received_at, 1, 10), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('aktenzeichen', substr(NEW.aktenzeichen, 1, 14), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('applicant', lower(substr(NEW.applicant_name, 1, 12)), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1);
  INSERT INTO case_workload_delta (assignee, procedure_id, status, kind, day, d) VALUES
    (coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 'deadline', coalesce(NEW.deadline, ''), 1),
    (coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 'received', substr(NEW.received_at, 1, 10), 1);
END;

-- The existing cases of a desk that upgrades.
INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n)
  SELECT 'deadline', coalesce(deadline, ''), procedure_id, status, assignee IS NULL, count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 2, 3, 4, 5;
INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n)
  SELECT 'received', substr(received_at, 1, 10), procedure_id, status, assignee IS NULL, count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 2, 3, 4, 5;
INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n)
  SELECT 'aktenzeichen', substr(aktenzeichen, 1, 14), procedure_id, status, assignee IS NULL, count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 2, 3, 4, 5;
INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n)
  SELECT 'applicant', lower(substr(applicant_name, 1, 12)), procedure_id, status, assignee IS NULL, count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 2, 3, 4, 5;
INSERT INTO case_workload (assignee, procedure_id, status, kind, day, n)
  SELECT coalesce(assignee, ''), procedure_id, status, 'deadline', coalesce(deadline, ''), count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 1, 2, 3, 5;
INSERT INTO case_workload (assignee, procedure_id, status, kind, day, n)
  SELECT coalesce(assignee, ''), procedure_id, status, 'received', substr(received_at, 1, 10), count(*)
    FROM cases WHERE retired_into IS NULL GROUP BY 1, 2, 3, 5;

-- The oldest open unassigned case (dashboard) without walking every assigned or closed one.
CREATE INDEX cases_unassigned_received ON cases (received_at, id)
  WHERE assignee IS NULL AND retired_into IS NULL AND status <> 'abgeschlossen';
