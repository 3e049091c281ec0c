/**
 * Submissions fetched from the hub (table submissions): kept, raw JWEs included, before they
 * are accepted or rejected there (hub-protocol.md: store before accepting).
 */
import { all, get, oneOf, run, shape, sql, type ReadDb, type Row, type WriteDb } from '../sql'

/** What the accept/reject SET of a stored submission needs; `authTags`, `problems`: JSON text. */
export interface StoredSubmission {
  submissionId: string
  hubCaseId: string
  destinationId: string
  outcome: 'accepted' | 'rejected'
  authTags: string
  problems: string | null
}
const storedRow = shape({
  submission_id: 'text',
  hub_case_id: 'text',
  destination_id: 'text',
  outcome: 'text',
  auth_tags: 'text',
  problems: 'text?',
})
const toStored = (row: Row): StoredSubmission => {
  const r = storedRow(row)
  return {
    submissionId: r.submission_id,
    hubCaseId: r.hub_case_id,
    destinationId: r.destination_id,
    outcome: oneOf(['accepted', 'rejected'] as const, r.outcome, 'outcome'),
    authTags: r.auth_tags,
    problems: r.problems,
  }
}

/**
 * The raw submission as fetched; `attachments` is JSON text: attachment id → SHA-256 of the
 * blob that holds its raw JWE (before version 0016 of the intake: the JWE itself).
 */
interface RawColumns {
  submissionId: string
  hubCaseId: string
  destinationId: string
  serviceIdentifier: string
  encryptedMetadata: string
  encryptedData: string
  attachments: string
  storedAt: string
}

export function saveAcceptedSubmission(
  db: WriteDb,
  s: RawColumns & { caseId: string; authTags: string; senderReference: string | null },
): void {
  run(
    db,
    sql`INSERT INTO submissions (submission_id, hub_case_id, destination_id, case_id, service_identifier, encrypted_metadata,
          encrypted_data, attachments, auth_tags, stored_at, outcome, sender_reference)
        VALUES (${s.submissionId}, ${s.hubCaseId}, ${s.destinationId}, ${s.caseId}, ${s.serviceIdentifier}, ${s.encryptedMetadata},
          ${s.encryptedData}, ${s.attachments}, ${s.authTags}, ${s.storedAt}, 'accepted', ${s.senderReference})`,
  )
}

export function saveRejectedSubmission(db: WriteDb, s: RawColumns & { problems: string }): void {
  run(
    db,
    sql`INSERT INTO submissions (submission_id, hub_case_id, destination_id, service_identifier, encrypted_metadata,
          encrypted_data, attachments, problems, stored_at, outcome)
        VALUES (${s.submissionId}, ${s.hubCaseId}, ${s.destinationId}, ${s.serviceIdentifier}, ${s.encryptedMetadata},
          ${s.encryptedData}, ${s.attachments}, ${s.problems}, ${s.storedAt}, 'rejected')`,
  )
}

export function storedSubmission(db: ReadDb, submissionId: string): StoredSubmission | undefined {
  return get(
    db,
    sql`SELECT submission_id, hub_case_id, destination_id, outcome, auth_tags, problems FROM submissions WHERE submission_id = ${submissionId}`,
    toStored,
  )
}

/** Stored submissions whose accept/reject the hub has not confirmed (a crash came in between). */
export function unacknowledgedSubmissions(db: ReadDb): StoredSubmission[] {
  return all(
    db,
    sql`SELECT submission_id, hub_case_id, destination_id, outcome, auth_tags, problems FROM submissions WHERE acknowledged_at IS NULL`,
    toStored,
  )
}

export function markSubmissionAcknowledged(db: WriteDb, submissionId: string, at: string): void {
  run(db, sql`UPDATE submissions SET acknowledged_at = ${at} WHERE submission_id = ${submissionId}`)
}

const followedRow = shape({ id: 'text', status: 'text', aktenzeichen: 'text' })
/** The open case of the procedure that the earliest accepted submission with this portal reference created. */
export function openCaseOfSenderReference(
  db: ReadDb,
  senderReference: string,
  procedureId: string,
): { id: string; status: string; aktenzeichen: string } | undefined {
  return get(
    db,
    sql`SELECT c.id, c.status, c.aktenzeichen FROM submissions s JOIN cases c ON c.id = s.case_id
        WHERE s.sender_reference = ${senderReference} AND c.procedure_id = ${procedureId} AND s.outcome = 'accepted'
          AND c.status <> 'abgeschlossen' AND c.retired_into IS NULL
        ORDER BY s.stored_at LIMIT 1`,
    followedRow,
  )
}

/** Submissions of a retired duplicate belong to the adopted case. */
export function moveSubmissions(db: WriteDb, fromCaseId: string, toCaseId: string): void {
  run(db, sql`UPDATE submissions SET case_id = ${toCaseId} WHERE case_id = ${fromCaseId}`)
}

/**
 * Aussonderung (after the 0506): the raw JWEs of the case's submissions go too — the desk still
 * holds the destination key, so they would keep the applicant's data readable. The rows stay
 * (a submission id is never stored twice). Returns the blobs of the raw attachment JWEs.
 */
export function shredSubmissionsOf(db: WriteDb, caseId: string): string[] {
  // the raw attachment JWEs live in blobs: the caller removes them after the commit
  const rawBlobs = all(
    db,
    sql`SELECT attachments FROM submissions WHERE case_id = ${caseId}`,
    (r) => attachmentsRow(r).attachments,
  ).flatMap((text) => {
    try {
      return Object.values(JSON.parse(text) as Record<string, unknown>).filter(
        (v): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
      )
    } catch {
      return []
    }
  })
  run(
    db,
    sql`UPDATE submissions SET encrypted_metadata = '', encrypted_data = '', attachments = '{}', auth_tags = '{}' WHERE case_id = ${caseId}`,
  )
  return rawBlobs
}
const attachmentsRow = shape({ attachments: 'text' })
