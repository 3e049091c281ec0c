-- The portal's reference of a submission: a follow-up submission (documents sent after a
-- Nachforderung) carries the same reference and joins the existing case.
ALTER TABLE submissions ADD COLUMN sender_reference TEXT;
CREATE INDEX submissions_by_sender_reference ON submissions (sender_reference) WHERE sender_reference IS NOT NULL;
