import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDateTime } from '../labels'
import { href } from '../router'

/** Synchronisation: what waits to be sent, what the office refused and why, and a retry. */
export function SyncScreen() {
  const { data: status } = useApiQuery('sync.status', {})
  const { data, error } = useApiQuery('sync.outbox', {})
  const [retry, retryState] = useApiMutation('sync.retry')
  const [discard, discardState] = useApiMutation('sync.discard')
  const [run, runState] = useApiMutation('sync.run')
  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">Synchronisation</h1>
      <p>
        {status?.online === false
          ? 'Offline – Änderungen werden gesammelt und gesendet, sobald der Hub erreichbar ist.'
          : status?.online
            ? 'Online.'
            : ''}{' '}
        Letzte erfolgreiche Synchronisation: {formatDateTime(status?.lastSuccessAt)}.
      </p>
      <div className="action-row">
        <button type="button" onClick={() => void run({})} disabled={runState.isLoading}>
          Jetzt synchronisieren
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void retry({})}
          disabled={retryState.isLoading || !data?.entries.length}
        >
          Alle erneut versuchen
        </button>
      </div>
      <ErrorMessage error={error ?? retryState.error ?? discardState.error ?? runState.error} />
      {data && (
        <p role="status" data-testid="outbox-counts">
          Ausstehend: {data.counts.pending} · Konflikte: {data.counts.conflicts} · Abgelehnt:{' '}
          {data.counts.failed}
        </p>
      )}
      {data && data.entries.length === 0 && <p>Alles ist übertragen.</p>}
      {data && data.entries.length > 0 && (
        <table className="intake">
          <thead>
            <tr>
              <th scope="col">Zeit</th>
              <th scope="col">Änderung</th>
              <th scope="col">Vorgang</th>
              <th scope="col">Zustand</th>
              <th scope="col">Grund</th>
              <th scope="col">
                <span className="sr-only">Aktion</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((e) => (
              <tr
                key={e.mutationId}
                data-testid="outbox-entry"
                className={e.state === 'pending' ? undefined : 'rejected'}
              >
                <td>{formatDateTime(e.at)}</td>
                <td>
                  {e.typeLabel}
                  <div className="muted small">{e.actorName}</div>
                </td>
                <td>{e.aktenzeichen ? <a href={href.case(e.caseId)}>{e.aktenzeichen}</a> : '—'}</td>
                <td>
                  {e.stateLabel}
                  {e.attempts > 0 && (
                    <div className="muted small">
                      {e.attempts === 1 ? '1 Versuch' : `${e.attempts} Versuche`}
                    </div>
                  )}
                </td>
                <td>
                  {e.problem
                    ? `${e.problem.title}${e.problem.detail ? `: ${e.problem.detail}` : ''}`
                    : (e.waitingFor ?? e.lastError ?? '')}
                </td>
                <td>
                  {e.state === 'rejected' && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => void retry({ mutationId: e.mutationId })}
                    >
                      erneut senden
                    </button>
                  )}
                  {e.state === 'rejected' && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => void discard({ mutationId: e.mutationId })}
                    >
                      verwerfen
                    </button>
                  )}
                  {e.state === 'conflict' && <a href={href.case(e.caseId)}>Konflikt lösen</a>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
