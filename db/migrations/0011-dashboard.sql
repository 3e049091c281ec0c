-- The team lead's dashboard reads every open case once, grouped by assignee and procedure: this
-- partial index holds all the columns it needs, so the scan never touches the wide table rows.
CREATE INDEX cases_dashboard ON cases (assignee, procedure_id, status, deadline, received_at) WHERE retired_into IS NULL;

-- Filtered lists sorted by another column (bench: „Kfz, Antragsteller absteigend“ and
-- „In Bearbeitung, nach Eingang“ at deep offsets) walk these instead of sorting the matches.
CREATE INDEX cases_list_procedure_applicant ON cases (procedure_id, applicant_name COLLATE NOCASE, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_status_received ON cases (status, received_at, id) WHERE retired_into IS NULL;
