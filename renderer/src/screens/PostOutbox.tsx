import { useApiMutation, useApiQuery } from '../api/api'
import { focusStableHeading, useOpenPdf } from '../components/DecisionPane'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDate } from '../labels'
import { href } from '../router'

/** Postausgang: signed notices for the postal channel, to print, envelope and note as posted. */
export function PostOutbox() {
  const { data, error } = useApiQuery('notices.postOutbox', {})
  const [open, openState] = useOpenPdf()
  const [markPosted, state] = useApiMutation('notices.markPosted')
  return (
    <section aria-labelledby="post-title">
      <h1 id="post-title" tabIndex={-1}>
        Postausgang
      </h1>
      <p className="muted">
        Signierte Bescheide für den Postversand: Druckexemplar herunterladen, drucken, kuvertieren
        und als zur Post gegeben vermerken.
      </p>
      <ErrorMessage error={error ?? openState.error ?? state.error} />
      {data && data.rows.length === 0 && <p>Keine Bescheide warten auf den Postversand.</p>}
      {data && data.rows.length > 0 && (
        <table className="intake">
          <thead>
            <tr>
              <th scope="col">Aktenzeichen</th>
              <th scope="col">Empfänger</th>
              <th scope="col">Ergebnis</th>
              <th scope="col">Versandtag</th>
              <th scope="col">
                <span className="sr-only">Aktionen</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.caseId} data-testid="post-row">
                <td>
                  <a href={href.case(r.caseId, 'entscheidung')}>{r.aktenzeichen}</a>
                </td>
                <td>{r.addressee.join(', ')}</td>
                <td>
                  {r.outcomeLabel}
                  {r.notRetrieved && (
                    <span className="muted"> – im Portal nicht abgerufen, jetzt per Post</span>
                  )}
                </td>
                <td>{formatDate(r.dispatchDate)}</td>
                <td>
                  <div className="action-row">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void open(r.documentId, r.filename)}
                      aria-label={`Druckexemplar ${r.aktenzeichen} herunterladen`}
                    >
                      Druckexemplar (PDF)
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        void markPosted({ id: r.caseId }).then(
                          (res) => !('error' in res) && focusStableHeading(),
                        )
                      }
                      disabled={state.isLoading}
                      aria-label={`${r.aktenzeichen} als zur Post gegeben vermerken`}
                    >
                      Zur Post gegeben
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
