import { CASE_STATUSES } from '../../../db/domain'
import type { CaseStatus } from '../../../preload/contract/index'

/**
 * The life of a case (docs/glossary.md): which status may follow which, and which steps only a
 * dedicated action may take (a decision, a sent notice, closing). Data, so the UI can explain.
 */
const manual: Record<CaseStatus, CaseStatus[]> = {
  eingegangen: ['in_bearbeitung'],
  in_bearbeitung: ['entscheidungsreif', 'eingegangen'],
  nachforderung: ['in_bearbeitung'],
  entscheidungsreif: ['in_bearbeitung'],
  entschieden: ['entscheidungsreif'],
  versandt: [],
  abgeschlossen: [],
}

const viaAction: Partial<Record<CaseStatus, string>> = {
  nachforderung: 'Nachforderung wird über „Unterlagen nachfordern“ gestellt.',
  entschieden: 'Entschieden wird über „Entscheidung erfassen“.',
  versandt: 'Versandt wird ein Vorgang durch das Zeichnen und Versenden des Bescheids.',
  abgeschlossen:
    'Abgeschlossen (zdA) wird ein versandter oder eingestellter Vorgang über „zdA verfügen“.',
}

export interface Transition {
  to: CaseStatus
  allowed: boolean
  reason: string | null
}

export function transitionsFrom(from: CaseStatus): Transition[] {
  return CASE_STATUSES.filter((to) => to !== from).map((to) => {
    const allowed = manual[from].includes(to)
    return { to, allowed, reason: allowed ? null : explainForbidden(from, to) }
  })
}

export function explainForbidden(from: CaseStatus, to: CaseStatus): string {
  if (from === 'abgeschlossen')
    return 'Der Vorgang ist abgeschlossen (zdA) und schreibgeschützt; nur die Registratur kann ihn wieder öffnen.'
  if (from === 'versandt')
    return 'Der Bescheid ist versandt; der Vorgang kann nur noch zu den Akten verfügt werden.'
  const action = viaAction[to]
  if (action) return action
  return `Von „${from}“ führt kein Schritt direkt zu „${to}“.`
}

export const canMoveManually = (from: CaseStatus, to: CaseStatus): boolean =>
  manual[from].includes(to)
