-- Encryption at rest (issue #17): one random AES-256 key per document content, wrapped by the
-- desk's blob-key wrapping key. Deleting the row when the last document referring to the
-- content goes destroys the key: the encrypted file (and any copy of it) becomes unreadable.
CREATE TABLE blob_keys (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  wrapped BLOB NOT NULL
) WITHOUT ROWID;
