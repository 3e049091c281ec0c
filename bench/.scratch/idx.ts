import Database from 'better-sqlite3'
import { buildListSql, type ListQuery } from '../../db/repositories/cases'
const db = new Database('/tmp/idx-exp.db')
const COLS = 'id, aktenzeichen, procedure_id, subject, applicant_name, status, assignee, received_at, deadline, follow_up, sync_state'
type V = Pick<ListQuery, 'view' | 'sort' | 'direction'> & { procedureId?: string; status?: ListQuery['status']; at: number | 'mid' | 'last' }
const vs: V[] = [
  { view: 'posteingang', sort: 'deadline', direction: 'asc', at: 0 },
  { view: 'alle', sort: 'received', direction: 'desc', at: 0 },
  { view: 'meine', sort: 'deadline', direction: 'asc', at: 0 },
  { view: 'ueberfaellig', sort: 'deadline', direction: 'asc', procedureId: 'wohngeld', at: 0 },
  { view: 'alle', sort: 'aktenzeichen', direction: 'asc', at: 'mid' },
  { view: 'alle', sort: 'applicant', direction: 'asc', at: 0 },
  { view: 'alle', sort: 'applicant', direction: 'desc', procedureId: 'kfz', at: 'mid' },
  { view: 'alle', sort: 'received', direction: 'asc', status: 'in_bearbeitung', at: 'last' },
  { view: 'alle', sort: 'deadline', direction: 'asc', at: 'last' },
]
function t(fn: () => unknown, n = 7) { const xs: number[] = []; for (let i = 0; i < n; i++) { const a = performance.now(); fn(); xs.push(performance.now() - a) } xs.sort((a, b) => a - b); return xs[n >> 1]!.toFixed(1) }
const order2 = (o: string) => o.replace('deadline IS NULL, ', '')
function run(label: string, rewrite = false) {
  console.log('==', label)
  for (const v of vs) {
    const { where, order } = buildListSql(v)
    const p = { user: 'u-jweiss', today: '2026-11-28', procedureId: v.procedureId ?? null, status: v.status ?? null, assignee: null }
    const total = (db.prepare(`SELECT count(*) n FROM cases WHERE ${where}`).get(p) as { n: number }).n
    const off = v.at === 'mid' ? total >> 1 : v.at === 'last' ? total - 50 : v.at
    const o = rewrite ? order2(order) : order
    const cnt = t(() => db.prepare(`SELECT count(*) n FROM cases WHERE ${where}`).get(p))
    const page = t(() => db.prepare(`SELECT ${COLS} FROM cases WHERE ${where} ORDER BY ${o} LIMIT 50 OFFSET ${off}`).all(p))
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT ${COLS} FROM cases WHERE ${where} ORDER BY ${o} LIMIT 50 OFFSET ${off}`).all(p) as { detail: string }[]).map((r) => r.detail).join(' | ')
    console.log(`${v.view} ${v.sort} ${v.direction} ${v.procedureId ?? ''}${v.status ?? ''} @${off} total=${total}: count ${cnt} ms, page ${page} ms  [${plan}]`)
  }
}
run('as shipped')
db.exec(`
CREATE INDEX x_deadline ON cases (deadline, id);
CREATE INDEX x_assignee_deadline ON cases (assignee, deadline, id);
CREATE INDEX x_received ON cases (received_at, id);
CREATE INDEX x_applicant ON cases (applicant_name COLLATE NOCASE, id);
CREATE INDEX x_status_received ON cases (status, received_at, id);
CREATE INDEX x_proc_applicant ON cases (procedure_id, applicant_name COLLATE NOCASE, id);
CREATE INDEX x_proc_deadline ON cases (procedure_id, deadline, id);
ANALYZE;
`)
run('with (col, id) indexes + ANALYZE, deadline order without "deadline IS NULL" term', true)
