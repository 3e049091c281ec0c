// German labels of office mutation types and outbox states (Synchronisation screen, history).
export const MUTATION_LABELS: Record<string, string> = {
  'case.register': 'Vorgang registriert',
  'case.assign': 'Zuweisung',
  'case.status': 'Statuswechsel',
  'case.note': 'Vermerk',
  'case.followUp': 'Wiedervorlage',
  'case.requestDocuments': 'Nachforderung',
  'case.decide': 'Entscheidung',
  'case.cosign': 'Mitzeichnung',
  'notice.issue': 'Bescheid versandt',
  'notice.posted': 'Bescheid zur Post gegeben',
  'case.close': 'zdA verfügt',
  'case.reopen': 'Wiedereröffnet',
  'case.document': 'Dokument abgelegt',
}
export const mutationLabel = (type: string) => MUTATION_LABELS[type] ?? type

export const OUTBOX_STATE_LABELS: Record<string, string> = {
  pending: 'Wartet auf Übertragung',
  sent: 'Übertragen',
  conflict: 'Konflikt – bitte entscheiden',
  rejected: 'Vom Büro abgelehnt',
}

export const FIELD_LABELS: Record<string, string> = {
  assignee: 'Zuständig',
  status: 'Status',
  follow_up: 'Wiedervorlage',
}

/** The hub's problem types (docs/hub-protocol.md "Mutations") in German, by their last segment. */
export const PROBLEM_LABELS: Record<string, string> = {
  validation: 'Vom Büro als ungültig abgelehnt',
  'unknown-type': 'Diese Art von Änderung kennt das Büro nicht',
  'not-found': 'Der Vorgang ist im Büro nicht registriert',
  forbidden: 'Keine Berechtigung für diese Änderung im Büro',
  'read-only': 'Der Vorgang ist im Büro abgeschlossen (zdA)',
  'invalid-transition': 'Dieser Statuswechsel ist im Büro nicht zulässig',
  'missing-blob': 'Ein Dokument fehlt im Büro',
  'aktenzeichen-taken': 'Das Aktenzeichen ist im Büro schon vergeben',
  'submission-not-accepted': 'Die Einreichung ist im Büro noch nicht angenommen',
  'payload-too-large': 'Zu groß für das Büro',
}
