-- The team dashboard at a million cases (issue #17, point 7): workloadCells sums case_workload
-- (0018-list-aggregates) per assignee, procedure and status. Its primary key leads with kind and
-- day (for the received-per-day range), so the grouping sorted all 58,800 rows of a 1M-case desk
-- in a temp B-tree (bench: 144–190 ms of the dashboard). This covering index holds the rows in
-- group order, so the sums stream without a sort (same rows: 40–60 ms). Cost: every trigger
-- upsert of case_workload also writes this index (two rows per changed case).
CREATE INDEX case_workload_by_group ON case_workload (assignee, procedure_id, status, kind, day, n);
