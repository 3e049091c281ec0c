-- The team lead's dashboard reads every open case once, grouped by assignee and procedure: this
-- partial index holds all the columns it needs, so the scan never touches the wide table rows.
CREATE INDEX cases_dashboard ON cases (assignee, procedure_id, status, deadline, received_at) WHERE retired_into IS NULL;
