import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { CaseDetail } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { formatDate, statusLabel } from '../labels'
import { ErrorMessage } from './ErrorMessage'
import { ClosedRecord, CloseForm } from './caseActions/CloseForm'
import { FollowUpForm } from './caseActions/FollowUpForm'
import { NoteForm } from './caseActions/NoteForm'
import { ReopenForm } from './caseActions/ReopenForm'
import { RequestForm } from './caseActions/RequestForm'
import { href, navigate } from '../router'

export { archivalLabel } from './caseActions/CloseForm'

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

/**
 * Focuses the element with this id once it is shown (the case is read again after a change, so
 * a new note appears a moment after its save); gives up after three seconds.
 */
function focusWhenShown(
  elementId: string,
  giveUp: () => void,
  until = Date.now() + 10_000,
  hold = 0,
) {
  requestAnimationFrame(() => {
    const el = document.getElementById(elementId)
    if (el) {
      const active = document.activeElement
      // focus it, and for a few frames more give it back when a refetch re-rendered the list
      // and the focus fell to <body> (never when the user has moved on)
      if (hold === 0 || !active || active === document.body || !active.isConnected) el.focus()
      if (hold < 30) focusWhenShown(elementId, giveUp, until, hold + 1)
    } else if (Date.now() < until) focusWhenShown(elementId, giveUp, until)
    else giveUp()
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
          onDone={(noteId) => {
            // the keyboard user is taken to what they wrote: the new note in „Vermerke“
            setPanel('none')
            setDone(
              panel === 'phone'
                ? 'Telefonat vermerkt; es ist im Reiter „Vermerke“ ausgewählt.'
                : 'Vermerk gespeichert; er ist im Reiter „Vermerke“ ausgewählt.',
            )
            const opener = panel
            // the focus goes to the new note, not back to a button of an earlier action
            keepFocus.current = { until: 0 }
            navigate(href.case(c.id, 'vermerke'))
            focusWhenShown(`note-${noteId}`, () => focusIn(section.current, opener))
          }}
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
