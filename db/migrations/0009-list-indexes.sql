-- Indexes that serve the lists' ORDER BY and their counts directly. Partial on
-- `retired_into IS NULL`, which every list query carries, so counts and deep offsets walk the
-- index alone without touching table rows (bench at 100,000 cases, see bench/).
DROP INDEX cases_by_assignee_deadline;
DROP INDEX cases_by_deadline;
DROP INDEX cases_by_received;
DROP INDEX cases_by_status_assignee;
CREATE INDEX cases_list_deadline ON cases ((deadline IS NULL), deadline, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_assignee_deadline ON cases (assignee, (deadline IS NULL), deadline, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_received ON cases (received_at, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_applicant ON cases (applicant_name COLLATE NOCASE, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_aktenzeichen ON cases (aktenzeichen, id) WHERE retired_into IS NULL;
CREATE INDEX cases_list_procedure_deadline ON cases (procedure_id, (deadline IS NULL), deadline, id) WHERE retired_into IS NULL;
CREATE INDEX cases_count_assignee_status ON cases (assignee, status, follow_up) WHERE retired_into IS NULL;
CREATE INDEX cases_count_deadline_status ON cases (deadline, status, procedure_id) WHERE retired_into IS NULL;
