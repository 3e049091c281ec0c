import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { ArchivalValue, CaseDetail } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { formatDate, statusLabel } from '../labels'
import { DateField } from './DateField'
import { ErrorMessage } from './ErrorMessage'

const inDays = (today: string, days: number) =>
  new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

type Panel = 'none' | 'note' | 'phone' | 'followUp' | 'request' | 'close'

/**
 * Moves focus after an action: to the given element of the action bar if it is still there,
 * else to the first button of the bar, else to the bar's status line — never to <body>.
 */
function focusIn(section: HTMLElement | null, key?: string) {
  requestAnimationFrame(() => {
    if (!section) return
    const target =
      (key ? section.querySelector<HTMLElement>(`[data-action="${key}"]`) : null) ??
      section.querySelector<HTMLElement>('[data-focus-fallback]')
    target?.focus()
  })
}

/** The clerk's actions on one case; each is one local transaction, synced in the background. */
export function CaseActions({ c }: { c: CaseDetail }) {
  const section = useRef<HTMLElement>(null)
  const [done, setDoneNow] = useState('')
  // the confirmation stays for a while, then goes (it must not describe an old state of the case)
  const doneTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const setDone = (message: string) => {
    clearTimeout(doneTimer.current)
    setDoneNow(message)
    if (message) doneTimer.current = setTimeout(() => setDoneNow(''), 8000)
  }
  useEffect(() => () => clearTimeout(doneTimer.current), [])
  // An action's button may vanish when the case is read again (→ In Bearbeitung, Übernehmen, zdA):
  // for a moment after an action, focus that fell to <body> is caught by the status line.
  const keepFocus = useRef<{ until: number; key?: string }>({ until: 0 })
  useEffect(() => {
    if (Date.now() > keepFocus.current.until) return
    const active = document.activeElement
    if (!active || active === document.body || !active.isConnected)
      focusIn(section.current, keepFocus.current.key)
  })
  const { data: info } = useApiQuery('app.info', {})
  const [take, takeState] = useApiMutation('casework.take')
  const [release, releaseState] = useApiMutation('casework.release')
  const [setStatus, statusState] = useApiMutation('casework.setStatus')
  const [panel, setPanel] = useState<Panel>('none')
  const toggle = (p: Panel) => {
    setDone('')
    setPanel(panel === p ? 'none' : p)
  }
  /** Closes the open form; after a save says what happened and focuses its button again. */
  const finish = (opener: Panel, message = '') => {
    setPanel('none')
    setDone(message)
    keepFocus.current = { until: Date.now() + 3000, key: opener }
    focusIn(section.current, opener)
  }
  const after = (message: string) => (res: { error?: unknown }) => {
    if ('error' in res && res.error) return
    setDone(message)
    keepFocus.current = { until: Date.now() + 3000 }
    focusIn(section.current)
  }
  const mine = info && c.assignee === info.user.id
  const readOnly = c.status === 'abgeschlossen' || info?.user.role === 'readonly'
  const allowed = c.transitions.filter((t) => t.allowed)
  const blocked = c.transitions.filter((t) => !t.allowed)
  if (readOnly)
    return (
      <section className="actions" aria-label="Aktionen" ref={section}>
        <p className="muted" tabIndex={-1} data-focus-fallback>
          {c.archivedAt
            ? `An das Archiv abgegeben am ${formatDate(c.archivedAt)}; die Inhalte wurden gelöscht.`
            : c.status === 'abgeschlossen'
              ? `Abgeschlossen (zdA) am ${formatDate(c.closedAt)} – Aufbewahrung bis ${formatDate(c.retentionEnd)}. Der Vorgang ist schreibgeschützt.`
              : 'Mit einer Leseberechtigung sind keine Änderungen möglich.'}
        </p>
        {c.status === 'abgeschlossen' && <ClosedRecord id={c.id} />}
        {c.status === 'abgeschlossen' && !c.archivedAt && info?.user.role === 'records' && (
          <ReopenForm c={c} />
        )}
      </section>
    )
  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && panel !== 'none') {
      e.preventDefault()
      e.stopPropagation()
      finish(panel)
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target instanceof HTMLElement) {
      e.preventDefault()
      e.target.closest('form')?.requestSubmit()
    }
  }
  return (
    <section className="actions" aria-label="Aktionen" ref={section} onKeyDown={onFormKey}>
      <div className="action-row">
        {!c.assignee && (
          <button
            type="button"
            data-action="take"
            aria-keyshortcuts="U"
            onClick={() => void take({ id: c.id }).then(after('Vorgang übernommen.'))}
            disabled={takeState.isLoading}
          >
            Übernehmen
          </button>
        )}
        {mine && (
          <button
            type="button"
            className="secondary"
            onClick={() => void release({ id: c.id }).then(after('Vorgang zurückgegeben.'))}
            disabled={releaseState.isLoading}
          >
            Zurückgeben
          </button>
        )}
        {allowed.map((t) => (
          <button
            key={t.to}
            type="button"
            className="secondary"
            onClick={() =>
              void setStatus({ id: c.id, to: t.to }).then(after(`Status: ${statusLabel[t.to]}.`))
            }
            disabled={statusState.isLoading}
          >
            → {statusLabel[t.to]}
          </button>
        ))}
        {c.canClose && (
          <button
            type="button"
            data-action="close"
            aria-expanded={panel === 'close'}
            onClick={() => toggle('close')}
          >
            zdA verfügen …
          </button>
        )}
        <button
          type="button"
          className="secondary"
          data-action="note"
          aria-keyshortcuts="V"
          aria-expanded={panel === 'note'}
          onClick={() => toggle('note')}
        >
          Vermerk
        </button>
        <button
          type="button"
          className="secondary"
          data-action="phone"
          aria-keyshortcuts="T"
          aria-expanded={panel === 'phone'}
          onClick={() => toggle('phone')}
        >
          Telefonat
        </button>
        <button
          type="button"
          className="secondary"
          data-action="followUp"
          aria-keyshortcuts="W"
          aria-expanded={panel === 'followUp'}
          onClick={() => toggle('followUp')}
        >
          Wiedervorlage
        </button>
        {['eingegangen', 'in_bearbeitung', 'entscheidungsreif', 'nachforderung'].includes(
          c.status,
        ) && (
          <button
            type="button"
            className="secondary"
            data-action="request"
            aria-keyshortcuts="N"
            aria-expanded={panel === 'request'}
            onClick={() => toggle('request')}
          >
            Unterlagen nachfordern
          </button>
        )}
      </div>
      <p role="status" className="done-message" tabIndex={-1} data-focus-fallback>
        {done}
      </p>
      <ErrorMessage error={takeState.error ?? releaseState.error ?? statusState.error} />
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
      {(panel === 'note' || panel === 'phone') && (
        <NoteForm
          c={c}
          kind={panel}
          onDone={() =>
            finish(
              panel,
              panel === 'phone'
                ? 'Telefonat vermerkt (Reiter „Vermerke“).'
                : 'Vermerk gespeichert (Reiter „Vermerke“).',
            )
          }
        />
      )}
      {panel === 'followUp' && info && (
        <FollowUpForm
          c={c}
          today={info.today}
          onDone={(d) =>
            finish(
              'followUp',
              d ? `Wiedervorlage zum ${formatDate(d)} gesetzt.` : 'Wiedervorlage gelöscht.',
            )
          }
        />
      )}
      {panel === 'close' && (
        <CloseForm
          c={c}
          onDone={() => {
            setPanel('none')
            setDone('Vorgang zu den Akten verfügt.')
            keepFocus.current = { until: Date.now() + 3000 }
          }}
        />
      )}
      {panel === 'request' && info && (
        <RequestForm
          c={c}
          today={info.today}
          onDone={() => finish('request', 'Nachforderung erstellt (Reiter „Dokumente“).')}
        />
      )}
    </section>
  )
}

function NoteForm({
  c,
  kind,
  onDone,
}: {
  c: CaseDetail
  kind: 'note' | 'phone'
  onDone: () => void
}) {
  const [text, setText] = useState('')
  const [party, setParty] = useState('')
  const [addNote, state] = useApiMutation('casework.addNote')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await addNote({
      id: c.id,
      text,
      kind,
      ...(kind === 'phone' && party ? { party } : {}),
    })
    if (!('error' in res)) onDone()
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e)}
      aria-label={kind === 'phone' ? 'Telefonat vermerken' : 'Vermerk anlegen'}
    >
      {kind === 'phone' && (
        <label>
          Gesprächspartner/in
          <input type="text" value={party} onChange={(e) => setParty(e.target.value)} autoFocus />
        </label>
      )}
      <label>
        {kind === 'phone' ? 'Inhalt des Telefonats' : 'Vermerk'}
        <textarea
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          required
          autoFocus={kind === 'note'}
          aria-describedby="note-hint"
        />
      </label>
      <p id="note-hint" className="muted small">
        Strg+Eingabe speichert, Esc schließt ohne Speichern.
      </p>
      <ErrorMessage error={state.error} />
      <button type="submit" disabled={state.isLoading || !text.trim()}>
        Speichern
      </button>
    </form>
  )
}

function FollowUpForm({
  c,
  today,
  onDone,
}: {
  c: CaseDetail
  today: string
  onDone: (date: string | null) => void
}) {
  const [date, setDate] = useState(c.followUp ?? inDays(today, 7))
  const [setFollowUp, state] = useApiMutation('casework.setFollowUp')
  const submit = async (e: FormEvent, value: string | null) => {
    e.preventDefault()
    const res = await setFollowUp({ id: c.id, date: value })
    if (!('error' in res)) onDone(value)
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e, date)}
      aria-label="Wiedervorlage setzen"
    >
      <DateField
        label="Wiedervorlage am"
        value={date}
        min={today}
        onChange={setDate}
        required
        autoFocus
      />
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
  const toggle = (item: string) =>
    setItems(items.includes(item) ? items.filter((i) => i !== item) : [...items, item])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const res = await request({ id: c.id, items, deadline })
    if (!('error' in res)) onDone()
  }
  return (
    <form
      className="action-form"
      onSubmit={(e) => void submit(e)}
      aria-label="Unterlagen nachfordern"
    >
      <fieldset>
        <legend>Fehlende Unterlagen</legend>
        {c.checklist.map((item, i) => (
          <label key={item} className="check">
            <input
              type="checkbox"
              checked={items.includes(item)}
              onChange={() => toggle(item)}
              autoFocus={i === 0}
            />{' '}
            {item}
          </label>
        ))}
      </fieldset>
      <DateField label="Frist" value={deadline} min={today} onChange={setDeadline} required />
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
        void reopen({ id: c.id, reason }).then((r) => {
          if (!('error' in r))
            requestAnimationFrame(() => document.getElementById('case-title')?.focus())
        })
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

const archivalOptions: { value: ArchivalValue; label: string; hint: string }[] = [
  { value: 'archivwürdig', label: 'archivwürdig', hint: 'wird dem Archiv zur Übernahme angeboten' },
  { value: 'prüfen', label: 'bewerten', hint: 'das Archiv entscheidet bei der Aussonderung' },
  { value: 'vernichten', label: 'vernichten', hint: 'nach Ablauf der Aufbewahrung zu löschen' },
]
export const archivalLabel = (v: ArchivalValue | null | undefined): string =>
  archivalOptions.find((o) => o.value === v)?.label ?? '—'

/** The zdA dialog: retention and archival value proposed from the file plan, a Registraturvermerk. */
function CloseForm({ c, onDone }: { c: CaseDetail; onDone: () => void }) {
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
function ClosedRecord({ id }: { id: string }) {
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
