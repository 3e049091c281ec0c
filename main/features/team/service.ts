import { DECIDED_STATUSES } from '../../../db/domain'
import {
  absencesUntilOrAfter,
  absenceById,
  absentOn,
  deleteAbsence,
  insertAbsence,
} from '../../../db/repositories/absences'
import { getCase, setCaseAssignee } from '../../../db/repositories/cases'
import {
  decidedPerDay,
  decidedSince,
  receivedPerDay,
  oldestUnassigned,
  unassignedQueue,
  workloadCells,
} from '../../../db/repositories/team'
import type { Absence, Dashboard, WorkloadRow } from '../../../preload/contract/index'
import { ApiFailure, notFound } from '../../core/errors'
import { recordAction } from '../casework/actions'
import { today } from '../cases/service'
import type { AppContext, ReadContext } from '../../core/context'
import type { User } from '../../core/directory'
import { absenceRefusal } from '../../core/rights'
import { queueAbsenceDelete, queueAbsencePut } from '../sync/absences'

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
/** Monday of the ISO week containing d. */
const weekStart = (d: string) => addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7))

/**
 * The team lead's workload at a glance, computed locally from the last synced state: one
 * sum over the maintained aggregate case_workload (0016), so it stays fast at 1,000,000 cases.
 */
export function dashboard(ctx: ReadContext): Dashboard {
  const t = today(ctx)
  const soon = addDays(t, 7)
  const monday = weekStart(t)
  const d7 = addDays(t, -7)
  const d30 = addDays(t, -30)
  const d90 = addDays(t, -90)
  const raw = workloadCells(ctx.db, { today: t, soon, d7, d30, d90 })
  const closed = new Set<string>(DECIDED_STATUSES)
  const cells = raw.map((r) => {
    const open = !closed.has(r.status)
    return {
      assignee: r.assignee,
      procedure: r.procedure,
      open: open ? r.n : 0,
      dueSoon: open ? r.dueSoon : 0,
      overdue: open ? r.overdue : 0,
      waiting: r.status === 'nachforderung' ? r.n : 0,
      notClosed: r.status === 'abgeschlossen' ? 0 : r.n,
      a7: open ? r.r7 : 0,
      a30: open ? r.r30 - r.r7 : 0,
      a90: open ? r.r90 - r.r30 : 0,
      aOld: open ? r.n - r.r90 : 0,
    }
  })
  const sumBy = (key: (c: (typeof cells)[number]) => string | null) => {
    const out = new Map<string | null, Omit<WorkloadRow, 'label' | 'decidedThisWeek'>>()
    for (const c of cells) {
      const k = key(c)
      const r = out.get(k) ?? { key: k ?? '', open: 0, dueSoon: 0, overdue: 0, waiting: 0 }
      r.open += c.open
      r.dueSoon += c.dueSoon
      r.overdue += c.overdue
      r.waiting += c.waiting
      out.set(k, r)
    }
    return out
  }
  const grouped = (column: 'assignee' | 'procedure_id') => [
    ...sumBy((c) => (column === 'assignee' ? c.assignee : c.procedure)).values(),
  ]
  const decided = (column: 'assignee' | 'procedure_id') => decidedSince(ctx.db, column, monday)
  const team = teamOf(ctx)
  const byClerk = new Map(grouped('assignee').map((r) => [r.key, r]))
  const decidedByClerk = decided('assignee')
  const empty = { open: 0, dueSoon: 0, overdue: 0, waiting: 0 }
  const clerks = team
    .filter((u) => u.role === 'clerk' || byClerk.has(u.userId))
    .map((u) => ({
      ...empty,
      ...byClerk.get(u.userId),
      key: u.userId,
      label: u.name,
      decidedThisWeek: decidedByClerk.get(u.userId) ?? 0,
    }))
  const decidedByProc = decided('procedure_id')
  const procedures = grouped('procedure_id').map((r) => ({
    ...r,
    label: ctx.procedures.byId(r.key)?.name ?? r.key,
    decidedThisWeek: decidedByProc.get(r.key) ?? 0,
  }))
  const unassignedCount = cells
    .filter((c) => c.assignee === null)
    .reduce((n, c) => n + c.notClosed, 0)
  const oldest = oldestUnassigned(ctx.db)
  const from = addDays(monday, -7 * 7)
  const decidedByDay = decidedPerDay(ctx.db, from)
  const receivedByDay = receivedPerDay(ctx.db, from)
  const throughput = Array.from({ length: 8 }, (_, i) => {
    const start = addDays(from, i * 7)
    let decidedN = 0
    let receivedN = 0
    for (let k = 0; k < 7; k++) {
      const day = addDays(start, k)
      decidedN += decidedByDay.get(day) ?? 0
      receivedN += receivedByDay.get(day) ?? 0
    }
    return { week: start, decided: decidedN, received: receivedN }
  })
  const age = cells.reduce(
    (acc, c) => ({ a: acc.a + c.a7, b: acc.b + c.a30, c: acc.c + c.a90, d: acc.d + c.aOld }),
    { a: 0, b: 0, c: 0, d: 0 },
  )
  return {
    today: t,
    clerks,
    procedures,
    unassigned: { count: unassignedCount, oldest: oldest ?? null },
    throughput,
    ageBuckets: [
      { label: 'bis 7 Tage', count: age.a },
      { label: '8–30 Tage', count: age.b },
      { label: '31–90 Tage', count: age.c },
      { label: 'über 90 Tage', count: age.d },
    ],
  }
}

/** The lead's team (a lead sees their team; others see everyone's clerks). */
export function teamOf(ctx: ReadContext): User[] {
  const me = ctx.currentUser()
  const users = ctx.directory().users
  return me.role === 'lead' ? users.filter((u) => u.teamId === me.teamId) : users
}

export function requireLead(ctx: ReadContext): User {
  const me = ctx.currentUser()
  if (me.role !== 'lead')
    throw new ApiFailure('forbidden', 'Nur die Sachgebietsleitung darf Vorgänge anderen zuweisen.')
  return me
}

/** Assigns many cases in one go; each case gets its own history entry and mutation. */
export function assignCases(
  ctx: AppContext,
  ids: string[],
  assignee: string | null,
  reason?: string,
) {
  // who may assign which case to whom is checked for every case before (the rights gate)
  const target = assignee ? ctx.directory().users.find((u) => u.userId === assignee) : null
  if (assignee && !target) throw notFound('Die Person')
  const results: string[] = []
  for (const id of ids) {
    const c = getCase(ctx.db, id)
    if (!c) throw notFound('Der Vorgang')
    if (c.assignee === assignee) continue
    recordAction(ctx, {
      caseId: id,
      type: 'case.assign',
      payload: { assignee, previous: c.assignee, ...(reason ? { reason } : {}) },
      history: {
        action: assignee
          ? `Zugewiesen an ${target?.name ?? assignee}`
          : 'In den Posteingang zurückgelegt',
        detail: reason ?? '',
      },
      apply: () => setCaseAssignee(ctx.db, id, assignee),
    })
    results.push(id)
  }
  return { assigned: results.length }
}

/**
 * Proposes a distribution of the unassigned queue: most urgent first, each to the clerk with
 * the lowest weighted load (open + 2 × due within 7 days), counting what was proposed so far.
 */
export function proposeBalance(
  ctx: ReadContext,
  limit = 200,
  ids?: string[],
): {
  caseId: string
  aktenzeichen: string
  deadline: string | null
  assignee: string
  assigneeName: string
}[] {
  requireLead(ctx)
  const d = dashboard(ctx)
  const absent = absentUsers(ctx, d.today)
  const load = new Map(
    d.clerks
      .filter(
        (c) =>
          ctx.directory().users.find((u) => u.userId === c.key)?.role === 'clerk' &&
          !absent.has(c.key),
      )
      .map((c) => [c.key, c.open + 2 * c.dueSoon]),
  )
  if (load.size === 0) return []
  // only cases of the lead's own team: the others' leads distribute theirs (main/core/rights.ts)
  const team = ctx.directory().teams.find((t) => t.teamId === ctx.currentUser().teamId)
  const queue = unassignedQueue(ctx.db, limit, ids, team?.procedures ?? [])
  return queue.map((c) => {
    const [best] = [...load.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    const [userId, l] = best!
    load.set(userId, l + (c.deadline && c.deadline <= addDays(d.today, 7) ? 3 : 1))
    return {
      caseId: c.id,
      aktenzeichen: c.aktenzeichen,
      deadline: c.deadline,
      assignee: userId,
      assigneeName: ctx.userName(userId) ?? userId,
    }
  })
}

export function absentUsers(ctx: ReadContext, day: string): Set<string> {
  return new Set(absentOn(ctx.db, day))
}

export function listAbsences(ctx: ReadContext): Absence[] {
  const t = today(ctx)
  return absencesUntilOrAfter(ctx.db, t).map((r) => ({
    id: r.id,
    userId: r.userId,
    userName: ctx.userName(r.userId) ?? r.userId,
    substituteId: r.substituteId,
    substituteName: ctx.userName(r.substituteId) ?? r.substituteId,
    from: r.from,
    until: r.until,
  }))
}

export function setAbsence(
  ctx: AppContext,
  a: { userId: string; substituteId: string; from: string; until: string },
) {
  const me = ctx.currentUser()
  const refused = absenceRefusal(ctx.directory(), me, a.userId)
  if (refused) throw new ApiFailure('forbidden', refused)
  if (a.userId === a.substituteId)
    throw new ApiFailure('invalid_input', 'Vertretung durch dieselbe Person ist nicht möglich.')
  if (a.until < a.from)
    throw new ApiFailure('invalid_input', 'Das Ende der Abwesenheit liegt vor ihrem Beginn.')
  for (const u of [a.userId, a.substituteId])
    if (!ctx.directory().users.some((x) => x.userId === u)) throw notFound('Die Person')
  const id = ctx.newId()
  const absence = {
    id,
    userId: a.userId,
    substituteId: a.substituteId,
    from: a.from,
    until: a.until,
  }
  ctx.db.transaction(() => {
    insertAbsence(ctx.db, {
      ...absence,
      createdBy: me.userId,
      createdAt: ctx.clock.now().toISOString(),
    })
    // shared through the hub in the next office sync (sync/absences.ts)
    queueAbsencePut(ctx.db, absence, me.userId)
  })()
  return { id }
}

export function endAbsence(ctx: AppContext, id: string) {
  const a = absenceById(ctx.db, id)
  if (!a) throw notFound('Die Vertretung')
  const refused = absenceRefusal(ctx.directory(), ctx.currentUser(), a.userId)
  if (refused) throw new ApiFailure('forbidden', refused)
  ctx.db.transaction(() => {
    deleteAbsence(ctx.db, id)
    queueAbsenceDelete(ctx.db, id, ctx.currentUser().userId)
  })()
  return { id }
}
