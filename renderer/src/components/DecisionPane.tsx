import { useEffect, useRef, useState } from 'react'
import type { CaseDetail, DecisionView } from '../../../preload/contract'
import { useApiMutation, useApiQuery } from '../api/api'
import { formatDate, formatDateTime } from '../labels'
import { ErrorMessage } from './ErrorMessage'
import { fieldText, focusStableHeading, useOpenPdf } from './decision/shared'
import { CosignBox } from './decision/CosignBox'
import { DecisionForm } from './decision/DecisionForm'
import { IssueForm, LateNotice, NoticePreview } from './decision/NoticeIssue'
import { ReplyState } from './decision/ReplyState'

// re-exported for the Mitzeichnung inbox and the Postausgang screens
export { CosignBox, focusStableHeading, useOpenPdf }

/** Entscheidung → (Mitzeichnung) → Vorschau → Prüfen → Signieren und Versenden → (Postausgang). */
export function DecisionPane({ c }: { c: CaseDetail }) {
  const { data: view, error } = useApiQuery('decisions.get', { id: c.id })
  const [editing, setEditing] = useState(false)
  // after saving or sending, the focus goes to the decision's heading (not to <body>)
  const [focusToken, setFocusToken] = useState(0)
  const saved = () => setFocusToken((n) => n + 1)
  if (error) return <ErrorMessage error={error} />
  if (!view) return <p>Lädt …</p>
  const d = view.decision
  return (
    <div className="decision">
      {d && !editing && <DecisionSummary c={c} view={view} focusToken={focusToken} />}
      <ReplyState replies={view.replies} />
      {view.noticeLate && <LateNotice c={c} datedOn={view.noticeLate.dispatchDate} />}
      {view.canCosign && <CosignBox caseId={c.id} />}
      {view.canDecide && (editing || !d) && (
        <DecisionForm
          c={c}
          view={view}
          focusFirst={editing}
          onDone={() => {
            setEditing(false)
            saved()
          }}
        />
      )}
      {view.canDecide && d && !editing && !d.dispatchDate && (
        <button
          type="button"
          className="secondary"
          onClick={() => setEditing(true)}
          aria-keyshortcuts="Alt+E"
        >
          Entscheidung ändern
        </button>
      )}
      {d && !d.dispatchDate && <NoticePreview c={c} view={view} />}
      {view.canIssue && <IssueForm c={c} view={view} onSent={saved} />}
      {!view.canDecide && !d && (
        <p>Entscheiden kann die zuständige Person, sobald der Vorgang in Bearbeitung ist.</p>
      )}
    </div>
  )
}

function DecisionSummary({
  c,
  view,
  focusToken,
}: {
  c: CaseDetail
  view: DecisionView
  focusToken: number
}) {
  const d = view.decision!
  const outcome = view.outcomes.find((o) => o.value === d.outcome)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (focusToken > 0) heading.current?.focus()
  }, [focusToken, d.decidedAt, d.dispatchDate])
  return (
    <section aria-labelledby="decision-title" className="decision-summary">
      <h2 id="decision-title" tabIndex={-1} ref={heading}>
        {d.draft ? 'Entwurf' : 'Entscheidung'}: {d.outcomeLabel}
      </h2>
      {d.returned && (
        <div role="status" className="error" data-testid="returned-note">
          <p>
            <strong>Zurück mit Anmerkung</strong> von {d.returned.byName},{' '}
            {formatDateTime(d.returned.at)}:
          </p>
          <p>{d.returned.note}</p>
          <p className="small">
            Bitte die Entscheidung ändern oder unverändert erneut speichern – dann liegt sie wieder
            zur Mitzeichnung vor.
          </p>
        </div>
      )}
      {d.draft && (
        <div role="status" className="error" data-testid="draft-open">
          <p>
            Die Entscheidung ist ein Entwurf; der Vorgang bleibt in Bearbeitung, bis alles
            ausgefüllt ist. Noch offen:
          </p>
          <ul>
            {d.open.map((m) => (
              <li key={m.code + m.messageDe}>{m.messageDe}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="form-view">
        {outcome?.fields.map((f) => (
          <div key={f.name}>
            <dt>{f.label}</dt>
            <dd>{fieldText(d.fields[f.name], f)}</dd>
          </div>
        ))}
        <div>
          <dt>Anhörung</dt>
          <dd>
            {d.hearing
              ? d.hearing.done
                ? `durchgeführt am ${formatDate(d.hearing.date)}`
                : `entbehrlich: ${d.hearing.dispensableReason}`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>{d.draft ? 'Zuletzt gespeichert' : 'Entschieden'}</dt>
          <dd>
            {d.decidedBy}, {formatDateTime(d.decidedAt)}
          </dd>
        </div>
        {d.cosignRequired && !d.draft && (
          <div>
            <dt>Mitzeichnung</dt>
            <dd data-testid="cosign-state">
              {d.cosignedAt
                ? `${d.cosignedBy ?? ''}, ${formatDateTime(d.cosignedAt)}${d.cosignComment ? ` – „${d.cosignComment}“` : ''}`
                : d.returned
                  ? 'zurückgegeben – wartet auf Ihre Überarbeitung'
                  : 'ausstehend – wartet auf die Sachgebietsleitung'}
            </dd>
          </div>
        )}
        {d.dispatchDate && (
          <>
            <div>
              <dt>Versandt am</dt>
              <dd>
                {formatDate(d.dispatchDate)} ({d.channel === 'portal' ? 'Portal' : 'Post'})
              </dd>
            </div>
            <div>
              <dt>
                Bekanntgabe (
                {d.channel === 'portal' ? view.law.bekanntgabePortal : view.law.bekanntgabePost})
              </dt>
              <dd>
                {d.deliveredOn ? formatDate(d.deliveredOn) : 'am Tag nach dem Abruf im Portal'}
              </dd>
            </div>
            <div>
              <dt>{view.law.objection.name}sfrist endet</dt>
              <dd data-testid="objection-end">
                {d.objectionEnd
                  ? formatDate(d.objectionEnd)
                  : `${view.law.objection.period} nach Bekanntgabe`}
              </dd>
            </div>
          </>
        )}
      </dl>
      {d.dispatchDate && d.channel === 'post' && d.noticeDocumentId && (
        <PostalCopy
          caseId={c.id}
          documentId={d.noticeDocumentId}
          filename={`Bescheid-${c.aktenzeichen}.pdf`}
          postedAt={d.postedAt}
        />
      )}
    </section>
  )
}

function PostalCopy({
  caseId,
  documentId,
  filename,
  postedAt,
}: {
  caseId: string
  documentId: string
  filename: string
  postedAt: string | null
}) {
  const [open, openState] = useOpenPdf()
  const [markPosted, state] = useApiMutation('notices.markPosted')
  return (
    <div className="action-row" aria-label="Postversand" role="group">
      <button
        type="button"
        className="secondary"
        onClick={() => void open(documentId, filename)}
        disabled={openState.isFetching}
      >
        Druckexemplar (PDF) herunterladen
      </button>
      {postedAt ? (
        <span className="muted">Zur Post gegeben am {formatDateTime(postedAt)}</span>
      ) : (
        <button
          type="button"
          onClick={() =>
            void markPosted({ id: caseId }).then((r) => !('error' in r) && focusStableHeading())
          }
          disabled={state.isLoading}
        >
          Als zur Post gegeben vermerken
        </button>
      )}
      <ErrorMessage error={state.error ?? openState.error} />
    </div>
  )
}
