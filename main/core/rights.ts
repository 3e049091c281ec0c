/**
 * Who may do what on a case (issue #13, "Rights"): the same rules the office hub enforces, as a
 * pure function of the directory, the Vertretungen, today's date and the case. No database, no
 * context — `caseRights.ts` gathers the facts, the dispatcher's gate (main/api/registry.ts) asks.
 *
 * - clerk: takes an unassigned case of their team, returns their own, works on cases assigned to
 *   them or to someone they stand in for today (absence from ≤ today ≤ until, or the directory's
 *   standing `substituteFor`); never co-signs, closes, reopens, archives or assigns to others.
 * - lead: everything a clerk may do on any case of their team, assigns within the team, co-signs
 *   (or returns) a decision of their team's case they did not make themselves.
 * - records: only zdA, reopening and Aussonderung, on any team's case.
 * - readonly: nothing.
 */
import type { Directory, User } from './directory'

/**
 * - `take`: assignee := the actor; `release`: assignee := nobody; `assign`: assignee := someone
 *   (team.assign); `work`: everything done on an assigned case (note, status, Wiedervorlage,
 *   Nachforderung, decision, notice, posted, conflicts); `review`: co-sign or return a decision;
 *   `records`: zdA, reopen, Aussonderung.
 */
export type CaseAction = 'take' | 'release' | 'assign' | 'work' | 'review' | 'records'

/** A Vertretung: `substituteId` stands in for `userId` from … until (inclusive, `YYYY-MM-DD`). */
export interface Vertretung {
  userId: string
  substituteId: string
  from: string
  until: string
}

/** What the rules need to know about the office today. */
export interface RightsWorld {
  directory: Directory
  absences: readonly Vertretung[]
  /** today in Europe/Berlin, `YYYY-MM-DD` */
  today: string
}

/** What the rules need to know about the case. */
export interface CaseFacts {
  aktenzeichen: string
  procedureId: string
  assignee: string | null
  /** the person who made the decision a co-signature refers to (review only) */
  decidedBy?: string | null
}

export type Team = Directory['teams'][number]

/** The team whose `procedures` list holds the procedure; undefined when none does. */
export function teamOfProcedure(dir: Directory, procedureId: string): Team | undefined {
  return dir.teams.find((t) => t.procedures?.includes(procedureId))
}

/** Whether `me` stands in for `assignee` on `today` (a dated absence or a standing substitute). */
export function standsInFor(world: RightsWorld, me: User, assignee: string): boolean {
  if (me.substituteFor === assignee) return true
  return world.absences.some(
    (a) =>
      a.userId === assignee &&
      a.substituteId === me.userId &&
      a.from <= world.today &&
      world.today <= a.until,
  )
}

const nameOf = (dir: Directory, userId: string): string =>
  dir.users.find((u) => u.userId === userId)?.name ?? userId

/** The part of the rules that depends on the role alone (also for a call that names no case). */
export function roleRefusal(me: User, action: CaseAction): string | null {
  if (me.role === 'readonly')
    return 'Mit einer Leseberechtigung können keine Änderungen vorgenommen werden.'
  if (action === 'records')
    return me.role === 'records'
      ? null
      : 'zdA verfügen, wieder öffnen und aussondern darf nur die Registratur.'
  if (me.role === 'records')
    return 'Die Registratur verfügt zdA, öffnet wieder und sondert aus; die Sachbearbeitung eines Vorgangs ist ihr nicht erlaubt.'
  if (action === 'review' && me.role !== 'lead')
    return 'Mitzeichnen oder zur Überarbeitung zurückgeben darf nur die Sachgebietsleitung – und nie die Person, die entschieden hat.'
  return null
}

/**
 * Why `me` may not do `action` on the case, as a German sentence for the 403; null when allowed.
 * For `assign`, `target` is the new assignee (null: back to the Posteingang).
 */
export function caseRefusal(
  world: RightsWorld,
  me: User,
  action: CaseAction,
  c: CaseFacts,
  target?: string | null,
): string | null {
  const dir = world.directory
  const byRole = roleRefusal(me, action)
  if (byRole || action === 'records') return byRole
  const team = teamOfProcedure(dir, c.procedureId)
  if (!team)
    return `Das Verfahren „${c.procedureId}“ ist keinem Sachgebiet zugeordnet; bitte die Zuordnung im Verzeichnis des Amtes ergänzen lassen.`
  if (team.teamId !== me.teamId)
    return `Vorgang ${c.aktenzeichen} gehört zu „${team.name}“; Sie können nur Vorgänge Ihres eigenen Sachgebiets bearbeiten.`
  const assigned = c.assignee ? nameOf(dir, c.assignee) : null
  if (me.role === 'lead') {
    if (action === 'review' && c.decidedBy === me.userId)
      return 'Vier-Augen-Prinzip: Sie haben diese Entscheidung selbst getroffen. Mitzeichnen oder zurückgeben muss eine andere Person der Sachgebietsleitung.'
    if (action === 'assign' && target) {
      const to = dir.users.find((u) => u.userId === target)
      if (!to || to.teamId !== team.teamId || (to.role !== 'clerk' && to.role !== 'lead'))
        return `${to?.name ?? target} gehört nicht zur Sachbearbeitung von „${team.name}“; zuweisen können Sie nur innerhalb des Sachgebiets.`
    }
    return null
  }
  // a clerk
  switch (action) {
    case 'review':
      return roleRefusal(me, 'review')
    case 'assign':
      if (target === me.userId) return caseRefusal(world, me, 'take', c)
      if (target === null && c.assignee === me.userId) return null
      return 'Nur die Sachgebietsleitung darf Vorgänge anderen zuweisen oder umverteilen.'
    case 'take':
      if (c.assignee === null || c.assignee === me.userId) return null
      return `Dieser Vorgang ist ${assigned} zugewiesen; nur die Sachgebietsleitung kann ihn umverteilen.`
    case 'release':
      if (c.assignee === me.userId) return null
      return c.assignee
        ? `Dieser Vorgang ist ${assigned} zugewiesen; zurückgeben kann ihn nur ${assigned} selbst oder die Sachgebietsleitung.`
        : 'Dieser Vorgang ist niemandem zugewiesen und liegt bereits im Posteingang.'
    case 'work':
      if (c.assignee === me.userId) return null
      if (c.assignee && standsInFor(world, me, c.assignee)) return null
      return c.assignee
        ? `Dieser Vorgang ist ${assigned} zugewiesen. Bearbeiten können ihn ${assigned}, eine eingetragene Vertretung oder die Sachgebietsleitung.`
        : 'Dieser Vorgang ist noch niemandem zugewiesen. Bitte übernehmen Sie ihn zuerst („Übernehmen“).'
  }
}

/**
 * Vertretung is entered by a lead of the absent person's team, or by that person.
 * Returns why `me` may not, or null.
 */
export function absenceRefusal(dir: Directory, me: User, userId: string): string | null {
  if (me.userId === userId && me.role !== 'readonly') return null
  const absent = dir.users.find((u) => u.userId === userId)
  if (me.role === 'lead' && absent && absent.teamId === me.teamId) return null
  return me.role === 'lead'
    ? `${absent?.name ?? userId} gehört nicht zu Ihrem Sachgebiet; die Vertretung trägt die dortige Sachgebietsleitung ein.`
    : 'Eine Vertretung tragen die Sachgebietsleitung oder die abwesende Person selbst ein.'
}
