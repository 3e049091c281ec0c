// The reference hub's own SQLite store (better-sqlite3, WAL).
import Database from 'better-sqlite3'
import type { Jwk } from './keys'
import { OFFICE_MIGRATION } from './office/schema'
import { IDENTITY_MIGRATION } from './identity/schema'

export type SubmissionState = 'incomplete' | 'submitted' | 'accepted' | 'rejected' | 'deleted'
export type ClientRole = 'subscriber' | 'sender'

export interface ClientRow {
  client_id: string
  secret_hash: string
  role: ClientRole
  destinations: string // JSON array of destination ids ("*" = all)
}

export interface SubmissionRow {
  submission_id: string
  case_id: string
  destination_id: string
  service_name: string
  service_identifier: string
  state: SubmissionState
  announced: string // JSON array of attachment ids
  encrypted_metadata: string | null
  encrypted_data: string | null
  created_at: number
  submitted_at: number | null
  closed_at: number | null // accepted or rejected
  rejected_by_hub: number
  deleted_at: number | null
  callback_url: string | null
  callback_secret: string | null
}

export interface DestinationRow {
  destination_id: string
  status: string
  encryption_kid: string
  signature_kid: string
  services: string // JSON
}

const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('subscriber','sender')), destinations TEXT NOT NULL);
   CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(client_id), expires_at INTEGER NOT NULL);
   CREATE TABLE destinations (destination_id TEXT PRIMARY KEY, status TEXT NOT NULL, encryption_kid TEXT NOT NULL, signature_kid TEXT NOT NULL, services TEXT NOT NULL);
   CREATE TABLE destination_keys (destination_id TEXT NOT NULL REFERENCES destinations(destination_id), kid TEXT NOT NULL, jwk TEXT NOT NULL, PRIMARY KEY (destination_id, kid));
   CREATE TABLE hub_keys (kid TEXT PRIMARY KEY, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL);
   CREATE TABLE submissions (
     submission_id TEXT PRIMARY KEY, case_id TEXT NOT NULL UNIQUE, destination_id TEXT NOT NULL REFERENCES destinations(destination_id),
     service_name TEXT NOT NULL, service_identifier TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('incomplete','submitted','accepted','rejected','deleted')),
     announced TEXT NOT NULL, encrypted_metadata TEXT, encrypted_data TEXT,
     created_at INTEGER NOT NULL, submitted_at INTEGER, closed_at INTEGER, rejected_by_hub INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER);
   CREATE INDEX submissions_pending ON submissions (destination_id, state, submitted_at);
   CREATE INDEX submissions_state ON submissions (state, submitted_at);
   CREATE TABLE attachments (submission_id TEXT NOT NULL REFERENCES submissions(submission_id), attachment_id TEXT NOT NULL, jwe TEXT NOT NULL, PRIMARY KEY (submission_id, attachment_id));
   CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, event TEXT NOT NULL, token TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE INDEX events_case ON events (case_id, seq);`,
  OFFICE_MIGRATION,
  IDENTITY_MIGRATION,
  // FIT-Connect conformance: several submissions per case (a reply joins its case), callbacks
  `CREATE TABLE submissions_v4 (
     submission_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, destination_id TEXT NOT NULL REFERENCES destinations(destination_id),
     service_name TEXT NOT NULL, service_identifier TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('incomplete','submitted','accepted','rejected','deleted')),
     announced TEXT NOT NULL, encrypted_metadata TEXT, encrypted_data TEXT,
     created_at INTEGER NOT NULL, submitted_at INTEGER, closed_at INTEGER, rejected_by_hub INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER,
     callback_url TEXT, callback_secret TEXT);
   INSERT INTO submissions_v4 (submission_id, case_id, destination_id, service_name, service_identifier, state, announced, encrypted_metadata, encrypted_data, created_at, submitted_at, closed_at, rejected_by_hub, deleted_at)
     SELECT submission_id, case_id, destination_id, service_name, service_identifier, state, announced, encrypted_metadata, encrypted_data, created_at, submitted_at, closed_at, rejected_by_hub, deleted_at FROM submissions;
   DROP TABLE submissions;
   ALTER TABLE submissions_v4 RENAME TO submissions;
   CREATE INDEX submissions_pending ON submissions (destination_id, state, submitted_at);
   CREATE INDEX submissions_state ON submissions (state, submitted_at);
   CREATE INDEX submissions_case ON submissions (case_id, created_at);`,
]

export function openStore(file: string) {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  const version = db.pragma('user_version', { simple: true }) as number
  // foreign keys off while migrating: a migration may rebuild a referenced table (SQLite's
  // documented 12-step ALTER); checked before they are switched on again
  db.pragma('foreign_keys = OFF')
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      if ((db.pragma('foreign_key_check') as unknown[]).length > 0)
        throw new Error(`hub migration ${v + 1} broke a foreign key`)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  db.pragma('foreign_keys = ON')

  const q = {
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    insertClient: db.prepare(
      'INSERT INTO clients (client_id, secret_hash, role, destinations) VALUES (?, ?, ?, ?)',
    ),
    getClient: db.prepare<[string], ClientRow>('SELECT * FROM clients WHERE client_id = ?'),
    insertToken: db.prepare(
      'INSERT INTO tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)',
    ),
    getToken: db.prepare<[string], { client_id: string; expires_at: number }>(
      'SELECT client_id, expires_at FROM tokens WHERE token_hash = ?',
    ),
    purgeTokens: db.prepare('DELETE FROM tokens WHERE expires_at < ?'),
    insertDestination: db.prepare(
      'INSERT INTO destinations (destination_id, status, encryption_kid, signature_kid, services) VALUES (?, ?, ?, ?, ?)',
    ),
    getDestination: db.prepare<[string], DestinationRow>(
      'SELECT * FROM destinations WHERE destination_id = ?',
    ),
    insertDestKey: db.prepare(
      'INSERT INTO destination_keys (destination_id, kid, jwk) VALUES (?, ?, ?)',
    ),
    getDestKey: db.prepare<[string, string], { jwk: string }>(
      'SELECT jwk FROM destination_keys WHERE destination_id = ? AND kid = ?',
    ),
    insertHubKey: db.prepare(
      'INSERT INTO hub_keys (kid, private_jwk, public_jwk) VALUES (?, ?, ?)',
    ),
    hubKeys: db.prepare<[], { kid: string; private_jwk: string; public_jwk: string }>(
      'SELECT * FROM hub_keys',
    ),
    insertSubmission: db.prepare(
      `INSERT INTO submissions (submission_id, case_id, destination_id, service_name, service_identifier, state, announced, created_at, callback_url, callback_secret)
       VALUES (@submission_id, @case_id, @destination_id, @service_name, @service_identifier, 'incomplete', @announced, @created_at, @callback_url, @callback_secret)`,
    ),
    getSubmission: db.prepare<[string], SubmissionRow>(
      'SELECT * FROM submissions WHERE submission_id = ?',
    ),
    getSubmissionByCase: db.prepare<[string], SubmissionRow>(
      'SELECT * FROM submissions WHERE case_id = ? ORDER BY created_at, submission_id LIMIT 1',
    ),
    countPending: db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM submissions WHERE destination_id = ? AND state = 'submitted'",
    ),
    listPending: db.prepare<
      [string, number, number],
      Pick<SubmissionRow, 'submission_id' | 'case_id' | 'destination_id'>
    >(
      "SELECT submission_id, case_id, destination_id FROM submissions WHERE destination_id = ? AND state = 'submitted' ORDER BY submitted_at, submission_id LIMIT ? OFFSET ?",
    ),
    // the pending submissions of every destination in a JSON list ('["*"]' = all)
    countPendingIn: db.prepare<[{ dests: string }], { n: number }>(
      `SELECT count(*) AS n FROM submissions WHERE state = 'submitted'
         AND (@dests = '["*"]' OR destination_id IN (SELECT value FROM json_each(@dests)))`,
    ),
    listPendingIn: db.prepare<
      [{ dests: string; limit: number; offset: number }],
      Pick<SubmissionRow, 'submission_id' | 'case_id' | 'destination_id'>
    >(
      `SELECT submission_id, case_id, destination_id FROM submissions WHERE state = 'submitted'
         AND (@dests = '["*"]' OR destination_id IN (SELECT value FROM json_each(@dests)))
       ORDER BY submitted_at, submission_id LIMIT @limit OFFSET @offset`,
    ),
    putAttachment: db.prepare(
      'INSERT INTO attachments (submission_id, attachment_id, jwe) VALUES (?, ?, ?) ON CONFLICT(submission_id, attachment_id) DO UPDATE SET jwe = excluded.jwe',
    ),
    getAttachment: db.prepare<[string, string], { jwe: string }>(
      'SELECT jwe FROM attachments WHERE submission_id = ? AND attachment_id = ?',
    ),
    attachmentIds: db.prepare<[string], { attachment_id: string }>(
      'SELECT attachment_id FROM attachments WHERE submission_id = ?',
    ),
    deleteAttachments: db.prepare('DELETE FROM attachments WHERE submission_id = ?'),
    submit: db.prepare(
      "UPDATE submissions SET state = 'submitted', encrypted_metadata = ?, encrypted_data = ?, submitted_at = ? WHERE submission_id = ? AND state = 'incomplete'",
    ),
    close: db.prepare(
      "UPDATE submissions SET state = ?, closed_at = ?, rejected_by_hub = ? WHERE submission_id = ? AND state = 'submitted'",
    ),
    markDeleted: db.prepare(
      "UPDATE submissions SET state = 'deleted', deleted_at = ?, encrypted_metadata = NULL, encrypted_data = NULL WHERE submission_id = ?",
    ),
    dueAutoReject: db.prepare<[number], SubmissionRow>(
      "SELECT * FROM submissions WHERE state = 'submitted' AND submitted_at <= ?",
    ),
    dueDelete: db.prepare<
      [{ incomplete: number; unclaimed: number; closed: number }],
      SubmissionRow
    >(
      `SELECT * FROM submissions WHERE
         (state IN ('incomplete') AND created_at <= @incomplete)
      OR (state = 'rejected' AND rejected_by_hub = 1 AND submitted_at <= @unclaimed)
      OR (state IN ('accepted','rejected') AND rejected_by_hub = 0 AND closed_at <= @closed)`,
    ),
    insertEvent: db.prepare(
      'INSERT INTO events (case_id, event, token, created_at) VALUES (?, ?, ?, ?)',
    ),
    events: db.prepare<[string], { event: string; token: string }>(
      'SELECT event, token FROM events WHERE case_id = ? ORDER BY seq',
    ),
    countEvents: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM events WHERE case_id = ?',
    ),
    eventsPage: db.prepare<[string, number, number], { token: string }>(
      'SELECT token FROM events WHERE case_id = ? ORDER BY seq LIMIT ? OFFSET ?',
    ),
    setDestKeyJwk: db.prepare(
      'UPDATE destination_keys SET jwk = ? WHERE destination_id = ? AND kid = ?',
    ),
    setHubPublicJwk: db.prepare('UPDATE hub_keys SET public_jwk = ? WHERE kid = ?'),
    destinationKeys: db.prepare<[], { destination_id: string; kid: string; jwk: string }>(
      'SELECT destination_id, kid, jwk FROM destination_keys',
    ),
  }

  return {
    db,
    q,
    getMeta: (key: string) => q.getMeta.get(key)?.value,
    setMeta: (key: string, value: string) => void q.setMeta.run(key, value),
    destinationKey: (destinationId: string, kid: string): Jwk | undefined => {
      const row = q.getDestKey.get(destinationId, kid)
      return row ? (JSON.parse(row.jwk) as Jwk) : undefined
    },
    close: () => db.close(),
  }
}

export type Store = ReturnType<typeof openStore>
