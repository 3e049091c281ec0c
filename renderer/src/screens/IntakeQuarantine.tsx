import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDateTime } from '../labels'

/**
 * Zurückgestellte Einreichungen (issue #14): submissions the desk could not store and that are
 * not clearly rejectable. They wait here, with the reason, until the user tries them again.
 */
export function IntakeQuarantine() {
  const { data, error } = useApiQuery('intake.quarantine', {})
  const [retry, retryState] = useApiMutation('intake.retry')
  const [run, runState] = useApiMutation('sync.run')
  const again = async (submissionId?: string) => {
    const r = await retry(submissionId ? { submissionId } : {})
    if ('data' in r) void run({})
  }
  if (!data || data.entries.length === 0) return <ErrorMessage error={error} />
  return (
    <section aria-labelledby="quarantine-title" data-testid="intake-quarantine">
      <h2 id="quarantine-title">Zurückgestellte Einreichungen</h2>
      <p className="muted">
        Diese Einreichungen ließen sich nicht speichern. Damit sie die übrigen nicht aufhalten,
        werden sie beim Synchronisieren übersprungen, bis Sie „Erneut versuchen“ wählen. Der Hub
        bewahrt sie bis dahin auf.
      </p>
      <div className="action-row">
        <button
          type="button"
          className="secondary"
          onClick={() => void again()}
          disabled={retryState.isLoading || runState.isLoading}
        >
          Alle erneut versuchen
        </button>
      </div>
      <ErrorMessage error={error ?? retryState.error ?? runState.error} />
      <table className="intake">
        <thead>
          <tr>
            <th scope="col">Zuletzt versucht</th>
            <th scope="col">Einreichung</th>
            <th scope="col">Grund</th>
            <th scope="col">
              <span className="sr-only">Aktion</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.entries.map((e) => (
            <tr key={e.submissionId} data-testid="quarantine-entry" className="rejected">
              <td>
                {formatDateTime(e.lastFailedAt)}
                <div className="muted small">
                  {e.attempts === 1 ? '1 Versuch' : `${e.attempts} Versuche`}
                </div>
              </td>
              <td>
                <code>{e.submissionId}</code>
              </td>
              <td>
                {e.reason}
                <details className="muted small">
                  <summary>Einzelheiten für den IT-Support</summary>
                  {e.detail}
                </details>
              </td>
              <td>
                {e.retryRequested ? (
                  <span className="muted small">Wird beim nächsten Abgleich versucht</span>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void again(e.submissionId)}
                    disabled={retryState.isLoading}
                  >
                    Erneut versuchen
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
