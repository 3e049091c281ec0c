// The intake store of the hub (submissions, events, clients, destinations, keys): its statements
// on the hub's storage (hub/storage/hub.ts) and the SQLite migrations of hub.sqlite.
import type { Jwk } from './keys'
import type { HubStorage } from './storage/hub'
import { def } from './storage/stmt'
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

/** hub.sqlite's migrations (PRAGMA user_version); PostgreSQL has its own (storage/postgres). */
export const SQLITE_MIGRATIONS = [
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

export const INTAKE_STATEMENTS = {
  getMeta: def<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
  setMeta: def(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
  insertClient: def(
    'INSERT INTO clients (client_id, secret_hash, role, destinations) VALUES (?, ?, ?, ?)',
  ),
  getClient: def<[string], ClientRow>('SELECT * FROM clients WHERE client_id = ?'),
  insertToken: def('INSERT INTO tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)'),
  getToken: def<[string], { client_id: string; expires_at: number }>(
    'SELECT client_id, expires_at FROM tokens WHERE token_hash = ?',
  ),
  purgeTokens: def('DELETE FROM tokens WHERE expires_at < ?'),
  insertDestination: def(
    'INSERT INTO destinations (destination_id, status, encryption_kid, signature_kid, services) VALUES (?, ?, ?, ?, ?)',
  ),
  getDestination: def<[string], DestinationRow>(
    'SELECT * FROM destinations WHERE destination_id = ?',
  ),
  insertDestKey: def('INSERT INTO destination_keys (destination_id, kid, jwk) VALUES (?, ?, ?)'),
  getDestKey: def<[string, string], { jwk: string }>(
    'SELECT jwk FROM destination_keys WHERE destination_id = ? AND kid = ?',
  ),
  insertHubKey: def('INSERT INTO hub_keys (kid, private_jwk, public_jwk) VALUES (?, ?, ?)'),
  hubKeys: def<[], { kid: string; private_jwk: string; public_jwk: string }>(
    'SELECT * FROM hub_keys',
  ),
  insertSubmission: def(
    `INSERT INTO submissions (submission_id, case_id, destination_id, service_name, service_identifier, state, announced, created_at, callback_url, callback_secret)
     VALUES (@submission_id, @case_id, @destination_id, @service_name, @service_identifier, 'incomplete', @announced, @created_at, @callback_url, @callback_secret)`,
  ),
  getSubmission: def<[string], SubmissionRow>('SELECT * FROM submissions WHERE submission_id = ?'),
  getSubmissionByCase: def<[string], SubmissionRow>(
    'SELECT * FROM submissions WHERE case_id = ? ORDER BY created_at, submission_id LIMIT 1',
  ),
  countPending: def<[string], { n: number }>(
    "SELECT count(*) AS n FROM submissions WHERE destination_id = ? AND state = 'submitted'",
  ),
  listPending: def<
    [string, number, number],
    Pick<SubmissionRow, 'submission_id' | 'case_id' | 'destination_id'>
  >(
    "SELECT submission_id, case_id, destination_id FROM submissions WHERE destination_id = ? AND state = 'submitted' ORDER BY submitted_at, submission_id LIMIT ? OFFSET ?",
  ),
  // the pending submissions of every destination in a JSON list ('["*"]' = all)
  countPendingIn: def<[{ dests: string }], { n: number }>(
    `SELECT count(*) AS n FROM submissions WHERE state = 'submitted'
     AND (@dests = '["*"]' OR destination_id IN (SELECT value FROM json_each(@dests)))`,
  ),
  listPendingIn: def<
    [{ dests: string; limit: number; offset: number }],
    Pick<SubmissionRow, 'submission_id' | 'case_id' | 'destination_id'>
  >(
    `SELECT submission_id, case_id, destination_id FROM submissions WHERE state = 'submitted'
     AND (@dests = '["*"]' OR destination_id IN (SELECT value FROM json_each(@dests)))
     ORDER BY submitted_at, submission_id LIMIT @limit OFFSET @offset`,
  ),
  putAttachment: def(
    'INSERT INTO attachments (submission_id, attachment_id, jwe) VALUES (?, ?, ?) ON CONFLICT(submission_id, attachment_id) DO UPDATE SET jwe = excluded.jwe',
  ),
  getAttachment: def<[string, string], { jwe: string }>(
    'SELECT jwe FROM attachments WHERE submission_id = ? AND attachment_id = ?',
  ),
  attachmentIds: def<[string], { attachment_id: string }>(
    'SELECT attachment_id FROM attachments WHERE submission_id = ?',
  ),
  deleteAttachments: def('DELETE FROM attachments WHERE submission_id = ?'),
  submit: def(
    "UPDATE submissions SET state = 'submitted', encrypted_metadata = ?, encrypted_data = ?, submitted_at = ? WHERE submission_id = ? AND state = 'incomplete'",
  ),
  close: def(
    "UPDATE submissions SET state = ?, closed_at = ?, rejected_by_hub = ? WHERE submission_id = ? AND state = 'submitted'",
  ),
  markDeleted: def(
    "UPDATE submissions SET state = 'deleted', deleted_at = ?, encrypted_metadata = NULL, encrypted_data = NULL WHERE submission_id = ? AND state <> 'deleted'",
  ),
  dueAutoReject: def<[number], SubmissionRow>(
    "SELECT * FROM submissions WHERE state = 'submitted' AND submitted_at <= ?",
  ),
  dueDelete: def<[{ incomplete: number; unclaimed: number; closed: number }], SubmissionRow>(
    `SELECT * FROM submissions WHERE
     (state IN ('incomplete') AND created_at <= @incomplete)
    OR (state = 'rejected' AND rejected_by_hub = 1 AND submitted_at <= @unclaimed)
    OR (state IN ('accepted','rejected') AND rejected_by_hub = 0 AND closed_at <= @closed)`,
  ),
  insertEvent: def('INSERT INTO events (case_id, event, token, created_at) VALUES (?, ?, ?, ?)'),
  events: def<[string], { event: string; token: string }>(
    'SELECT event, token FROM events WHERE case_id = ? ORDER BY seq',
  ),
  countEvents: def<[string], { n: number }>('SELECT count(*) AS n FROM events WHERE case_id = ?'),
  eventsPage: def<[string, number, number], { token: string }>(
    'SELECT token FROM events WHERE case_id = ? ORDER BY seq LIMIT ? OFFSET ?',
  ),
  setDestKeyJwk: def('UPDATE destination_keys SET jwk = ? WHERE destination_id = ? AND kid = ?'),
  setHubPublicJwk: def('UPDATE hub_keys SET public_jwk = ? WHERE kid = ?'),
  destinationKeys: def<[], { destination_id: string; kid: string; jwk: string }>(
    'SELECT destination_id, kid, jwk FROM destination_keys',
  ),
}

/** The intake store over the hub's storage; its statements are async on every backend. */
export function intakeStore(storage: HubStorage) {
  const q = storage.q.intake
  return {
    storage,
    q,
    /** one transaction; statements of `q` called inside belong to it */
    transaction: <T>(fn: () => Promise<T>) => storage.transaction(fn),
    getMeta: async (key: string) => (await q.getMeta.get(key))?.value,
    setMeta: async (key: string, value: string) => void (await q.setMeta.run(key, value)),
    destinationKey: async (destinationId: string, kid: string): Promise<Jwk | undefined> => {
      const row = await q.getDestKey.get(destinationId, kid)
      return row ? (JSON.parse(row.jwk) as Jwk) : undefined
    },
  }
}

export type Store = ReturnType<typeof intakeStore>
