// The hub's state read straight from its database (not through the API the desks used): the
// change feed rows, the applied-mutation log, the cases and their note counts. The load check
// compares every simulated desk with this.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'

export interface HubTruth {
  /** office_changes in seq order */
  changes: { seq: number; caseId: string; mutationId: string }[]
  /** office_mutations: the mutation ids the hub remembers as applied */
  applied: string[]
  cases: Map<
    string,
    { version: number; assignee: string | null; notes: number; procedureId: string }
  >
}

const CHANGES = 'SELECT seq, case_id, mutation_id FROM office_changes ORDER BY seq'
const APPLIED = 'SELECT mutation_id FROM office_mutations'
const CASES = `SELECT c.case_id, c.version, c.assignee, c.procedure_id,
  (SELECT count(*) FROM office_notes n WHERE n.case_id = c.case_id) AS notes FROM office_cases c`

interface CaseRow {
  case_id: string
  version: number | string
  assignee: string | null
  procedure_id: string
  notes: number | string
}
interface ChangeRow {
  seq: number | string
  case_id: string
  mutation_id: string
}

function build(
  changes: ChangeRow[],
  applied: { mutation_id: string }[],
  cases: CaseRow[],
): HubTruth {
  return {
    changes: changes.map((r) => ({
      seq: Number(r.seq),
      caseId: r.case_id,
      mutationId: r.mutation_id,
    })),
    applied: applied.map((r) => r.mutation_id),
    cases: new Map(
      cases.map((r) => [
        r.case_id,
        {
          version: Number(r.version),
          assignee: r.assignee,
          notes: Number(r.notes),
          procedureId: r.procedure_id,
        },
      ]),
    ),
  }
}

/** From `DIR/hub.sqlite` (read-only) or, with `database`, from PostgreSQL. */
export async function readHubTruth(dataDir: string, database?: string): Promise<HubTruth> {
  if (database) {
    const client = new pg.Client({ connectionString: database })
    client.on('error', () => {}) // an idle-connection error surfaces in the next query instead
    await client.connect()
    try {
      const c = await client.query<ChangeRow>(CHANGES)
      const a = await client.query<{ mutation_id: string }>(APPLIED)
      const k = await client.query<CaseRow>(CASES)
      return build(c.rows, a.rows, k.rows)
    } finally {
      await client.end()
    }
  }
  const db = new Database(join(dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return build(
      db.prepare(CHANGES).all() as ChangeRow[],
      db.prepare(APPLIED).all() as { mutation_id: string }[],
      db.prepare(CASES).all() as CaseRow[],
    )
  } finally {
    db.close()
  }
}
