import { useState, type FormEvent } from 'react'
import type { CaseDetail } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { formatDate, statusLabel } from '../labels'
import { ErrorMessage } from './ErrorMessage'

const inDays = (today: string, days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** The clerk's actions on one case; each is one local transaction, synced in the background. */
export function CaseActions({ c }: { c: CaseDetail }) {
  const { data: info } = useApiQuery('app.info', {})
  const [take, takeState] = useApiMutation('casework.take')
  const [release, releaseState] = useApiMutation('casework.release')
  const [setStatus, statusState] = useApiMutation('casework.setStatus')
  const [panel, setPanel] = useState<'none' | 'note' | 'phone' | 'followUp' | 'request'>('none')
  const mine = info && c.assignee === info.user.id
  const [close, closeState] = useApiMutation('records.close')
  const readOnly = c.status === 'abgeschlossen' || info?.user.role === 'readonly'
  const allowed = c.transitions.filter((t) => t.allowed)
  const blocked = c.transitions.filter((t) => !t.allowed)
  if (readOnly)
    return (
      <section className="actions" aria-label="Aktionen">
        <p className="muted">
          {c.archivedAt
            ? `An das Archiv abgegeben am ${formatDate(c.archivedAt)}; die Inhalte wurden gelöscht.`
            : c.status === 'abgeschlossen'
              ? `Abgeschlossen (zdA) am ${formatDate(c.closedAt)} – Aufbewahrung bis ${formatDate(c.retentionEnd)}. Der Vorgang ist schreibgeschützt.`
              : 'Mit einer Leseberechtigung sind keine Änderungen möglich.'}
        </p>
        {c.status === 'abgeschlossen' && !c.archivedAt && info?.user.role === 'records' && <ReopenForm c={c} />}
      </section>
    )
  return (
    <section className="actions" aria-label="Aktionen">
      <div className="action-row">
        {!c.assignee && (
          <button type="button" onClick={() => void take({ id: c.id })} disabled={takeState.isLoading}>
            Übernehmen
          </button>
        )}
        {mine && (
          <button type="button" className="secondary" onClick={() => void release({ id: c.id })} disabled={releaseState.isLoading}>
            Zurückgeben
          </button>
        )}
        {allowed.map((t) => (
          <button key={t.to} type="button" className="secondary" onClick={() => void setStatus({ id: c.id, to: t.to })} disabled={statusState.isLoading}>
            → {statusLabel[t.to]}
          </button>
        ))}
        {c.canClose && (
          <button type="button" onClick={() => void close({ id: c.id })} disabled={closeState.isLoading}>
            zdA verfügen
          </button>
        )}
        <button type="button" className="secondary" aria-expanded={panel === 'note'} onClick={() => setPanel(panel === 'note' ? 'none' : 'note')}>
          Vermerk
        </button>
        <button type="button" className="secondary" aria-expanded={panel === 'phone'} onClick={() => setPanel(panel === 'phone' ? 'none' : 'phone')}>
          Telefonat
        </button>
        <button type="button" className="secondary" aria-expanded={panel === 'followUp'} onClick={() => setPanel(panel === 'followUp' ? 'none' : 'followUp')}>
          Wiedervorlage
        </button>
        {['eingegangen', 'in_bearbeitung', 'entscheidungsreif', 'nachforderung'].includes(c.status) && (
          <button type="button" className="secondary" aria-expanded={panel === 'request'} onClick={() => setPanel(panel === 'request' ? 'none' : 'request')}>
            Unterlagen nachfordern
          </button>
        )}
      </div>
      <ErrorMessage error={takeState.error ?? releaseState.error ?? statusState.error ?? closeState.error} />
      {blocked.length > 0 && (
        <details className="muted small">
          <summary>Warum sind andere Status nicht wählbar?</summary>
          <ul>
            {blocked.map((t) => (
              <li key={t.to}>
                <strong>{statusLabel[t.to]}:</strong> {t.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {(panel === 'note' || panel === 'phone') && <NoteForm c={c} kind={panel} onDone={() => setPanel('none')} />}
      {panel === 'followUp' && info && <FollowUpForm c={c} today={info.today} onDone={() => setPanel('none')} />}
      {panel === 'request' && info && <RequestForm c={c} today={info.today} onDone={() => setPanel('none')} />}
    </section>
  )
}

function NoteForm({ c, kind, onDone }: { c: CaseDetail; kind: 'note' | 'phone'; onDone: () => void }) {
  const [text, setText] = useState('')
  const [party, setParty] = useState('')
  const [addNote, state] = useApiMutation('casework.addNote')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await addNote({ id: c.id, text, kind, ...(kind === 'phone' && party ? { party } : {}) })
    if (!('error' in res)) onDone()
  }
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label={kind === 'phone' ? 'Telefonat vermerken' : 'Vermerk anlegen'}>
      {kind === 'phone' && (
        <label>
          Gesprächspartner/in
          <input type="text" value={party} onChange={(e) => setParty(e.target.value)} />
        </label>
      )}
      <label>
        {kind === 'phone' ? 'Inhalt des Telefonats' : 'Vermerk'}
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} required />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !text.trim()}>
        Speichern
      </button>
    </form>
  )
}

function FollowUpForm({ c, today, onDone }: { c: CaseDetail; today: string; onDone: () => void }) {
  const [date, setDate] = useState(c.followUp ?? inDays(today, 7))
  const [setFollowUp, state] = useApiMutation('casework.setFollowUp')
  const submit = async (e: FormEvent, value: string | null) => {
    e.preventDefault()
    const res = await setFollowUp({ id: c.id, date: value })
    if (!('error' in res)) onDone()
  }
  return (
    <form className="action-form" onSubmit={(e) => void submit(e, date)} aria-label="Wiedervorlage setzen">
      <label>
        Wiedervorlage am
        <input type="date" value={date} min={today} onChange={(e) => setDate(e.target.value)} required />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading}>
        Wiedervorlage setzen
      </button>
      {c.followUp && (
        <button type="button" className="secondary" onClick={(e) => void submit(e, null)}>
          Wiedervorlage löschen
        </button>
      )}
    </form>
  )
}

function RequestForm({ c, today, onDone }: { c: CaseDetail; today: string; onDone: () => void }) {
  const [items, setItems] = useState<string[]>([])
  const [deadline, setDeadline] = useState(inDays(today, 14))
  const [request, state] = useApiMutation('casework.requestDocuments')
  const toggle = (item: string) => setItems(items.includes(item) ? items.filter((i) => i !== item) : [...items, item])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await request({ id: c.id, items, deadline })
    if (!('error' in res)) onDone()
  }
  return (
    <form className="action-form" onSubmit={(e) => void submit(e)} aria-label="Unterlagen nachfordern">
      <fieldset>
        <legend>Fehlende Unterlagen</legend>
        {c.checklist.map((item) => (
          <label key={item} className="check">
            <input type="checkbox" checked={items.includes(item)} onChange={() => toggle(item)} /> {item}
          </label>
        ))}
      </fieldset>
      <label>
        Frist
        <input type="date" value={deadline} min={today} onChange={(e) => setDeadline(e.target.value)} required />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || items.length === 0}>
        Nachforderung erstellen
      </button>
    </form>
  )
}

function ReopenForm({ c }: { c: CaseDetail }) {
  const [reason, setReason] = useState('')
  const [reopen, state] = useApiMutation('records.reopen')
  return (
    <form
      className="action-form"
      aria-label="Vorgang wieder öffnen"
      onSubmit={(e) => {
        e.preventDefault()
        void reopen({ id: c.id, reason })
      }}
    >
      <label>
        Grund für das Wiederöffnen
        <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !reason.trim()}>
        Wieder öffnen
      </button>
    </form>
  )
}
