// The zdA dialog, the record of a closed case, and the archival value labels.
import { useState, type FormEvent } from 'react'
import type { ArchivalValue, CaseDetail } from '../../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../../api/api'
import { ErrorMessage } from '../ErrorMessage'

const archivalOptions: { value: ArchivalValue; label: string; hint: string }[] = [
  { value: 'archivwürdig', label: 'archivwürdig', hint: 'wird dem Archiv zur Übernahme angeboten' },
  { value: 'prüfen', label: 'bewerten', hint: 'das Archiv entscheidet bei der Aussonderung' },
  { value: 'vernichten', label: 'vernichten', hint: 'nach Ablauf der Aufbewahrung zu löschen' },
]
export const archivalLabel = (v: ArchivalValue | null | undefined): string =>
  archivalOptions.find((o) => o.value === v)?.label ?? '—'

/** The zdA dialog: retention and archival value proposed from the file plan, a Registraturvermerk. */
export function CloseForm({ c, onDone }: { c: CaseDetail; onDone: () => void }) {
  const { data: plan, error } = useApiQuery('records.closing', { id: c.id })
  const [years, setYears] = useState<string | null>(null)
  const [value, setValue] = useState<ArchivalValue | null>(null)
  const [note, setNote] = useState('')
  const [close, state] = useApiMutation('records.close')
  if (error) return <ErrorMessage error={error} />
  if (!plan) return <p>Aktenplan wird gelesen …</p>
  const shownYears = years ?? String(plan.proposedRetentionYears)
  const shownValue = value ?? plan.proposedArchivalValue
  const n = Number(shownYears)
  const valid = Number.isInteger(n) && n >= 1 && n <= 100
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!valid) return
    const res = await close({
      id: c.id,
      retentionYears: n,
      archivalValue: shownValue,
      ...(note.trim() ? { note: note.trim() } : {}),
    })
    if (!('error' in res)) onDone()
  }
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label="zdA verfügen">
      <h2>Zu den Akten (zdA)</h2>
      <p className="muted small">
        Vorschlag aus dem Aktenplan {plan.fileCode} {plan.fileTitle}: {plan.proposedRetentionYears}{' '}
        Jahre, {archivalLabel(plan.proposedArchivalValue)}. Die Aufbewahrung läuft bis zum Ende des
        Jahres, in dem sie nach dem zdA endet.
      </p>
      <label>
        Aufbewahrungsfrist (Jahre)
        <input
          type="text"
          inputMode="numeric"
          value={shownYears}
          onChange={(e) => setYears(e.target.value)}
          required
          autoFocus
          aria-invalid={!valid || undefined}
          aria-describedby="years-hint"
        />
      </label>
      <span id="years-hint" className={valid ? 'muted small' : 'field-error'}>
        {valid ? 'ganze Jahre, 1 bis 100' : 'Bitte eine ganze Zahl von 1 bis 100 eingeben.'}
      </span>
      <fieldset>
        <legend>Archivwert</legend>
        {archivalOptions.map((o) => (
          <label key={o.value} className="check">
            <input
              type="radio"
              name="archival"
              checked={shownValue === o.value}
              onChange={() => setValue(o.value)}
            />{' '}
            {o.label}
            <span className="muted small">
              – {o.hint}
              {o.value === plan.proposedArchivalValue ? ' (Vorschlag des Aktenplans)' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <label>
        Registraturvermerk (optional)
        <textarea
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2000}
        />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !valid}>
        zdA verfügen
      </button>
    </form>
  )
}

/** A closed case: the archival value and the Registraturvermerk decided at zdA. */
export function ClosedRecord({ id }: { id: string }) {
  const { data } = useApiQuery('records.closing', { id })
  if (!data?.closed) return null
  return (
    <p className="muted" data-testid="closed-record">
      Archivwert: {archivalLabel(data.closed.archivalValue ?? data.proposedArchivalValue)}
      {data.closed.retentionYears ? ` · Aufbewahrung ${data.closed.retentionYears} Jahre` : ''}
      {data.closed.recordsNote ? ` · Registraturvermerk: ${data.closed.recordsNote}` : ''}
    </p>
  )
}
