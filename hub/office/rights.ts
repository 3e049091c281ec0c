// The rules the hub computes itself (docs/hub-protocol.md, "Rights"): the team of a case, who may
// act on it (assignee, Vertretung, lead), the co-signature requirement and the status machine.
import { readFileSync } from 'node:fs'
import { PROCEDURES_FILE } from '../bootstrap'
import type { OfficeActor } from '../identity/officeAuth'
import { teamOfProcedure, type OfficeDirectory, type OfficeUser } from './directory'

/** Today's calendar date in Europe/Berlin (YYYY-MM-DD) at the given instant. */
export const berlinDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms))

/**
 * The manual status machine (the desk's status setting): which `case.status` may follow which.
 * nachforderung, entschieden, versandt and abgeschlossen are reached only by their own mutation
 * (requestDocuments, decide/cosign, notice.issue, case.close).
 */
export const STATUS_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  eingegangen: ['in_bearbeitung'],
  in_bearbeitung: ['entscheidungsreif', 'eingegangen'],
  nachforderung: ['in_bearbeitung'],
  entscheidungsreif: ['in_bearbeitung'],
  entschieden: ['entscheidungsreif'],
  versandt: [],
  abgeschlossen: [],
}
export const REQUEST_DOCUMENTS_FROM = [
  'eingegangen',
  'in_bearbeitung',
  'nachforderung',
  'entscheidungsreif',
]
export const DECIDE_FROM = ['in_bearbeitung', 'entscheidungsreif', 'entschieden']

type CosignRule = { rule: 'always' } | { rule: 'amountAbove'; field: string; threshold: number }

export function loadCosignRules(file = PROCEDURES_FILE): Map<string, CosignRule> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    procedures: { id: string; cosign?: CosignRule }[]
  }
  return new Map(parsed.procedures.flatMap((p) => (p.cosign ? [[p.id, p.cosign] as const] : [])))
}

/** Four eyes from the procedure rules, never from the client: `always`, or a field above a threshold. */
export function cosignRequired(
  rules: Map<string, CosignRule>,
  procedureId: string,
  fields: Record<string, unknown>,
): boolean {
  const rule = rules.get(procedureId)
  if (!rule) return false
  if (rule.rule === 'always') return true
  const v = fields[rule.field]
  return typeof v === 'number' && v > rule.threshold
}

/** Active Vertretungen: whom `substituteId` stands in for on `today`. */
export type AbsenceLookup = (
  substituteId: string,
  assignee: string,
  today: string,
) => Promise<boolean>

export function createRights(directory: () => OfficeDirectory, absent: AbsenceLookup) {
  const teamOf = (procedureId: string) => teamOfProcedure(directory(), procedureId)
  return {
    teamOf,
    /** the case's team is the user's (records management: every team) */
    seesTeam(user: OfficeUser, procedureId: string): boolean {
      return user.role === 'records' || teamOf(procedureId) === user.teamId
    },
    /** a clerk acts on cases assigned to them or to a person they stand in for today */
    async actsFor(user: OfficeUser, assignee: string | null, today: string): Promise<boolean> {
      if (assignee === null) return false
      if (assignee === user.userId) return true
      if (user.substituteFor === assignee) return true
      return await absent(user.userId, assignee, today)
    },
    userOfTeam(userId: string, teamId: string): boolean {
      return directory().users.some(
        (u) => u.userId === userId && u.teamId === teamId && u.role !== 'records',
      )
    },
  }
}

export type Rights = ReturnType<typeof createRights>

export const actorName = (a: OfficeActor) => (a.kind === 'system' ? 'system' : a.user.userId)
