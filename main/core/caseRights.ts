/**
 * The facts the rights rules (rights.ts) need, read from the desk's database: the case, the
 * decider of its decision, today's Vertretungen. `authorizeCases()` is what the dispatcher's gate
 * calls before a guarded mutation runs (main/api/registry.ts); services use `caseRefusalFor()`
 * to tell the UI what the user may do, so the buttons and the API agree.
 */
import { absencesOn } from '../../db/repositories/absences'
import { getCase } from '../../db/repositories/cases'
import { decisionOf } from '../../db/repositories/decisions'
import { berlinDate } from './clock'
import type { ReadContext } from './context'
import { ApiFailure, notFound } from './errors'
import { caseRefusal, roleRefusal, type CaseAction, type RightsWorld } from './rights'

export function rightsWorld(ctx: ReadContext): RightsWorld {
  const today = berlinDate(ctx.clock.now())
  return { directory: ctx.directory(), absences: absencesOn(ctx.db, today), today }
}

/** Why the current user may not do `action` on the case; null when allowed; throws when it does not exist. */
export function caseRefusalFor(
  ctx: ReadContext,
  action: CaseAction,
  caseId: string,
  opts: { target?: string | null; world?: RightsWorld } = {},
): string | null {
  const c = getCase(ctx.db, caseId)
  if (!c) throw notFound('Der Vorgang')
  const decidedBy = action === 'review' ? (decisionOf(ctx.db, caseId)?.decidedBy ?? null) : null
  return caseRefusal(
    opts.world ?? rightsWorld(ctx),
    ctx.currentUser(),
    action,
    { aktenzeichen: c.aktenzeichen, procedureId: c.procedureId, assignee: c.assignee, decidedBy },
    opts.target,
  )
}

/**
 * Refuses (403 `forbidden`) unless the current user may do `action` on every case. A bulk call
 * is all or nothing; the message names each refused case with its reason.
 */
export function authorizeCases(
  ctx: ReadContext,
  action: CaseAction,
  caseIds: readonly string[],
  target?: string | null,
): void {
  if (caseIds.length === 0) {
    // a call that names no case (archive.importReceipt): the role decides
    const reason = roleRefusal(ctx.currentUser(), action)
    if (reason) throw new ApiFailure('forbidden', reason)
    return
  }
  const world = rightsWorld(ctx)
  const refused: { aktenzeichen: string; reason: string }[] = []
  for (const id of caseIds) {
    const reason = caseRefusalFor(ctx, action, id, { target, world })
    if (reason) refused.push({ aktenzeichen: getCase(ctx.db, id)?.aktenzeichen ?? id, reason })
  }
  if (refused.length === 0) return
  if (caseIds.length === 1) throw new ApiFailure('forbidden', refused[0]!.reason)
  const shown = refused.slice(0, 10).map((r) => `${r.aktenzeichen}: ${r.reason}`)
  const more = refused.length > 10 ? ` … und ${refused.length - 10} weitere.` : ''
  throw new ApiFailure(
    'forbidden',
    `${refused.length} von ${caseIds.length} Vorgängen dürfen Sie so nicht ändern; es wurde nichts geändert. ${shown.join(' ')}${more}`,
  )
}
