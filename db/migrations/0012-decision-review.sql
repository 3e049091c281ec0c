-- Mitzeichnung with an optional comment, a decision the team lead returned to the clerk with a
-- note, and the Postausgang: a notice sent by post stays listed until someone notes it went out.
ALTER TABLE decisions ADD COLUMN cosign_comment TEXT;
ALTER TABLE decisions ADD COLUMN returned_by TEXT;
ALTER TABLE decisions ADD COLUMN returned_at TEXT;
ALTER TABLE decisions ADD COLUMN return_note TEXT;
ALTER TABLE decisions ADD COLUMN posted_by TEXT;
ALTER TABLE decisions ADD COLUMN posted_at TEXT;
CREATE INDEX decisions_postausgang ON decisions (dispatch_date, case_id) WHERE channel = 'post' AND notice_document IS NOT NULL AND posted_at IS NULL;
