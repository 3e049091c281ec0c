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
  n            INTEGER NOT NULL CHECK (n >= 0),
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
  n            INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (kind, day, assignee, procedure_id, status)
) STRICT, WITHOUT ROWID;

-- The triggers below add a case to its groups with one upsert per table and take it out with
-- one UPDATE, then drop the groups that reached zero, so the tables only hold groups with cases.
CREATE TRIGGER cases_aggregates_insert AFTER INSERT ON cases WHEN NEW.retired_into IS NULL BEGIN
  INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n) VALUES
    ('deadline', coalesce(NEW.deadline, ''), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('received', substr(NEW.received_at, 1, 10), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('aktenzeichen', substr(NEW.aktenzeichen, 1, 14), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('applicant', lower(substr(NEW.applicant_name, 1, 12)), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO case_workload (kind, day, assignee, procedure_id, status, n) VALUES
    ('deadline', coalesce(NEW.deadline, ''), coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 1),
    ('received', substr(NEW.received_at, 1, 10), coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER cases_aggregates_delete AFTER DELETE ON cases WHEN OLD.retired_into IS NULL BEGIN
  UPDATE case_rank SET n = n - 1 WHERE (sort, bucket, procedure_id, status, unassigned) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL));
  DELETE FROM case_rank WHERE n = 0 AND (sort, bucket, procedure_id, status, unassigned) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL));
  UPDATE case_workload SET n = n - 1 WHERE (kind, day, assignee, procedure_id, status) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status),
      ('received', substr(OLD.received_at, 1, 10), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status));
  DELETE FROM case_workload WHERE n = 0 AND (kind, day, assignee, procedure_id, status) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status),
      ('received', substr(OLD.received_at, 1, 10), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status));
END;

-- An update of a counted column moves the case: out of its old groups, into its new ones.
CREATE TRIGGER cases_aggregates_update_old AFTER UPDATE OF deadline, received_at, aktenzeichen,
  applicant_name, procedure_id, status, assignee, retired_into ON cases WHEN OLD.retired_into IS NULL BEGIN
  UPDATE case_rank SET n = n - 1 WHERE (sort, bucket, procedure_id, status, unassigned) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL));
  DELETE FROM case_rank WHERE n = 0 AND (sort, bucket, procedure_id, status, unassigned) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('received', substr(OLD.received_at, 1, 10), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('aktenzeichen', substr(OLD.aktenzeichen, 1, 14), OLD.procedure_id, OLD.status, OLD.assignee IS NULL),
      ('applicant', lower(substr(OLD.applicant_name, 1, 12)), OLD.procedure_id, OLD.status, OLD.assignee IS NULL));
  UPDATE case_workload SET n = n - 1 WHERE (kind, day, assignee, procedure_id, status) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status),
      ('received', substr(OLD.received_at, 1, 10), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status));
  DELETE FROM case_workload WHERE n = 0 AND (kind, day, assignee, procedure_id, status) IN (VALUES
      ('deadline', coalesce(OLD.deadline, ''), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status),
      ('received', substr(OLD.received_at, 1, 10), coalesce(OLD.assignee, ''), OLD.procedure_id, OLD.status));
END;

CREATE TRIGGER cases_aggregates_update_new AFTER UPDATE OF deadline, received_at, aktenzeichen,
  applicant_name, procedure_id, status, assignee, retired_into ON cases WHEN NEW.retired_into IS NULL BEGIN
  INSERT INTO case_rank (sort, bucket, procedure_id, status, unassigned, n) VALUES
    ('deadline', coalesce(NEW.deadline, ''), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('received', substr(NEW.received_at, 1, 10), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('aktenzeichen', substr(NEW.aktenzeichen, 1, 14), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1),
    ('applicant', lower(substr(NEW.applicant_name, 1, 12)), NEW.procedure_id, NEW.status, NEW.assignee IS NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO case_workload (kind, day, assignee, procedure_id, status, n) VALUES
    ('deadline', coalesce(NEW.deadline, ''), coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 1),
    ('received', substr(NEW.received_at, 1, 10), coalesce(NEW.assignee, ''), NEW.procedure_id, NEW.status, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
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
