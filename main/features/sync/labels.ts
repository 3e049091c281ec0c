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
