import { useEffect, useRef, type KeyboardEvent } from 'react'
import type { CaseDetail, DecisionView } from '../../../preload/contract/index'
import { skipToken, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { DocumentsPane } from '../components/DocumentsPane'
import { CaseActions } from '../components/CaseActions'
import { ConflictPanel } from '../components/ConflictPanel'
import { DecisionPane } from '../components/DecisionPane'
import {
  actorLabel,
  channelLabel,
  daysLeftLabel,
  formatDate,
  formatDateTime,
  statusLabel,
} from '../labels'
import { href, navigate } from '../router'

const syncLabel: Record<string, string> = {
  synced: 'abgeglichen',
  pending: 'Änderungen warten auf Versand',
  conflict: 'Konflikt – Entscheidung nötig',
  rejected: 'vom Hub abgelehnt',
  local: 'nur lokal',
}

const tabs = [
  { id: 'antrag', label: 'Antrag' },
  { id: 'dokumente', label: 'Dokumente' },
  { id: 'verlauf', label: 'Verlauf' },
  { id: 'vermerke', label: 'Vermerke' },
  { id: 'entscheidung', label: 'Entscheidung' },
] as const

export function CaseView({ id, tab }: { id: string; tab: string }) {
  const { data: c, error, isLoading } = useApiQuery('cases.get', { id })
  const heading = useRef<HTMLHeadingElement>(null)
  // the heading takes the focus once the case is shown (also when it opens directly by its address)
  const loaded = Boolean(c)
  useEffect(() => {
    if (loaded) heading.current?.focus()
  }, [id, loaded])
  const current = tabs.find((t) => t.id === tab)?.id ?? 'antrag'
  const onTabKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === current)
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null
    if (next === null) return
    const t = tabs[(next + tabs.length) % tabs.length]
    if (t) {
      navigate(href.case(id, t.id))
      requestAnimationFrame(() => document.getElementById(`tab-${t.id}`)?.focus())
    }
  }
  return (
    <article className="case" aria-labelledby="case-title">
      <p>
        <a href="#/" onClick={(e) => (e.preventDefault(), history.back())}>
          ← Zurück zur Liste
        </a>
      </p>
      {isLoading && <p>Vorgang wird geladen …</p>}
      <ErrorMessage error={error} />
      {c && (
        <>
          <h1 id="case-title" tabIndex={-1} ref={heading}>
            {c.aktenzeichen} · {c.procedureName}
          </h1>
          <CaseHeader c={c} />
          <ConflictPanel c={c} />
          <CaseActions c={c} />
          <div
            role="tablist"
            aria-label="Bereiche des Vorgangs"
            className="tabs"
            onKeyDown={onTabKey}
          >
            {tabs.map((t) => (
              <a
                key={t.id}
                id={`tab-${t.id}`}
                role="tab"
                href={href.case(id, t.id)}
                aria-selected={t.id === current}
                aria-controls={`panel-${t.id}`}
                tabIndex={t.id === current ? 0 : -1}
              >
                {t.label}
                {t.id === 'dokumente'
                  ? ` (${c.documents.length})`
                  : t.id === 'vermerke'
                    ? ` (${c.notes.length})`
                    : ''}
              </a>
            ))}
          </div>
          <div
            role="tabpanel"
            id={`panel-${current}`}
            aria-labelledby={`tab-${current}`}
            className="panel"
          >
            {current === 'antrag' && <FormPane c={c} />}
            {current === 'dokumente' && <DocumentsPane documents={c.documents} />}
            {current === 'verlauf' && <HistoryPane c={c} />}
            {current === 'vermerke' && <NotesPane c={c} />}
            {current === 'entscheidung' && <DecisionPane c={c} />}
          </div>
        </>
      )}
    </article>
  )
}

/** Stages of the decision on top of the status: a draft, waiting for or returned from co-signing. */
const decisionStages = new Set(['in_bearbeitung', 'entscheidungsreif', 'entschieden'])
export function caseStatusText(c: Pick<CaseDetail, 'status'>, view?: DecisionView): string {
  const base = statusLabel[c.status]
  const d = view?.decision
  if (!d || !decisionStages.has(c.status)) return base
  if (d.returned && !d.cosignedAt) return `${base} – von der Sachgebietsleitung zurückgegeben`
  if (d.draft) return `${base} – Entscheidung im Entwurf`
  if (view.cosignPending) return `${base} – Mitzeichnung ausstehend`
  if (c.status === 'entschieden' && d.cosignRequired && d.cosignedAt)
    return `${base} – mitgezeichnet`
  return base
}

function CaseHeader({ c }: { c: CaseDetail }) {
  // the statutory deadline and the follow-up end with zdA: nothing is due on a closed case
  const closed = c.status === 'abgeschlossen'
  // the same query as the decision pane (one cache entry): the header says what the pane says
  const { data: decision } = useApiQuery(
    'decisions.get',
    decisionStages.has(c.status) ? { id: c.id } : skipToken,
  )
  return (
    <dl className="case-header">
      <div>
        <dt>Antragsteller/in</dt>
        <dd>
          {c.applicantName}
          <br />
          <span className="muted">{c.applicantAddress}</span>
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd data-testid="case-status">{caseStatusText(c, decision)}</dd>
      </div>
      <div>
        <dt>Zuständig</dt>
        <dd>{c.assigneeName ?? 'nicht zugewiesen'}</dd>
      </div>
      <div>
        <dt>Eingang</dt>
        <dd data-testid="received">
          {c.channel === 'online' ? formatDateTime(c.receivedAt) : formatDate(c.receivedAt)}{' '}
          <span className="muted">· {channelLabel[c.channel]}</span>
        </dd>
      </div>
      <div>
        <dt>Gesetzliche Frist</dt>
        {closed ? (
          <dd>
            {formatDate(c.deadline)}{' '}
            <span className="muted">(erledigt mit zdA am {formatDate(c.closedAt)})</span>
          </dd>
        ) : (
          <dd className={c.daysLeft !== null && c.daysLeft < 0 ? 'overdue-text' : undefined}>
            {formatDate(c.deadline)}{' '}
            {c.daysLeft !== null && <span className="muted">({daysLeftLabel(c.daysLeft)})</span>}
          </dd>
        )}
      </div>
      <div>
        <dt>Wiedervorlage</dt>
        <dd>
          {closed
            ? c.followUp
              ? `keine (${formatDate(c.followUp)} mit zdA beendet)`
              : 'keine'
            : formatDate(c.followUp)}
        </dd>
      </div>
      <div>
        <dt>Synchronisation</dt>
        <dd>{syncLabel[c.syncState] ?? c.syncState}</dd>
      </div>
    </dl>
  )
}

function FormPane({ c }: { c: CaseDetail }) {
  if (c.form.length === 0) return <p>Keine Formulardaten.</p>
  return (
    <dl className="form-view">
      {c.form.map((f) =>
        f.value === '' ? (
          <div key={f.path} className="form-group" style={{ marginLeft: f.depth * 16 }}>
            <dt className="group">{f.label}</dt>
            <dd />
          </div>
        ) : (
          <div key={f.path} style={{ marginLeft: f.depth * 16 }}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ),
      )}
    </dl>
  )
}

function HistoryPane({ c }: { c: CaseDetail }) {
  return (
    <ol className="history">
      {c.history.map((h) => (
        <li key={h.seq}>
          <time dateTime={h.at}>{formatDateTime(h.at)}</time> · <strong>{h.action}</strong> ·{' '}
          {actorLabel(h.actor)}
          {h.detail && <div className="muted">{h.detail}</div>}
        </li>
      ))}
    </ol>
  )
}

function NotesPane({ c }: { c: CaseDetail }) {
  if (c.notes.length === 0) return <p>Noch keine Vermerke.</p>
  return (
    <ul className="notes">
      {c.notes.map((n) => (
        // focusable, so that a new note can take the focus after its save
        <li key={n.id} id={`note-${n.id}`} tabIndex={-1}>
          <div className="muted">
            {formatDateTime(n.createdAt)} · {actorLabel(n.author)}{' '}
            {n.kind === 'phone' ? '· Telefonat' : ''}
          </div>
          <p className="note-text">{n.text}</p>
        </li>
      ))}
    </ul>
  )
}
