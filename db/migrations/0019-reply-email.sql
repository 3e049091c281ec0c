-- Rückkanal by e-mail (issue #16 point 5): the applicant named an e-mail address instead of a
-- FIT-Connect reply key. The letter waits in the reply outbox as its (sealed) plaintext payload;
-- the reply pass encrypts it to the portal's reply key when it delivers, and the hub mails a
-- notification with the portal's retrieval link to `notify_email`.
ALTER TABLE reply_deliveries ADD COLUMN notify_email TEXT;
