// Tables of hub-side identity (migration 3 of hub.sqlite): the desk registry, the OpenID
// Provider's stored artefacts, Vertretungen (absences) and the hub-computed decision facts.
export const IDENTITY_MIGRATION = `
CREATE TABLE desks (
  desk_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, destinations TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE oidc_models (
  model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, grant_id TEXT, user_code TEXT, uid TEXT,
  expires_at INTEGER, consumed_at INTEGER, PRIMARY KEY (model, id));
CREATE INDEX oidc_models_grant ON oidc_models (grant_id);
CREATE INDEX oidc_models_uid ON oidc_models (uid);
CREATE TABLE office_absences (
  absence_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, substitute_id TEXT NOT NULL,
  from_date TEXT NOT NULL, until_date TEXT NOT NULL, by_user TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX office_absences_user ON office_absences (user_id);
ALTER TABLE office_decisions ADD COLUMN cosign_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE office_decisions ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
`
