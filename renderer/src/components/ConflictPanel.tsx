import type { CaseDetail } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { formatDateTime } from '../labels'
import { ErrorMessage } from './ErrorMessage'

/** A conflict is shown, not hidden: both sides next to each other and the clerk decides. */
export function ConflictPanel({ c }: { c: CaseDetail }) {
  const { data } = useApiQuery(
    'sync.conflicts',
    { caseId: c.id },
    { skip: c.syncState !== 'conflict' },
  )
  const [resolve, state] = useApiMutation('sync.resolveConflict')
  if (!data || data.conflicts.length === 0) return null
  return (
    <section className="conflict" aria-labelledby="conflict-title" role="region">
      <h2 id="conflict-title">Konflikt mit dem Stand im Büro</h2>
      {data.conflicts.map((k) => (
        <div key={k.mutationId} className="conflict-item">
          <p>
            Ihre Änderung „{k.typeLabel}“ vom {formatDateTime(k.at)} ({k.actorName}) trifft auf
            einen inzwischen geänderten Vorgang.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Angabe</th>
                <th scope="col">Meine Änderung</th>
                <th scope="col">Stand im Büro</th>
              </tr>
            </thead>
            <tbody>
              {k.fields.map((f) => (
                <tr key={f.field}>
                  <th scope="row">{f.label}</th>
                  <td>{f.mine}</td>
                  <td>{f.office}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="action-row">
            <button
              type="button"
              onClick={() => void resolve({ mutationId: k.mutationId, choice: 'office' })}
              disabled={state.isLoading}
            >
              Stand des Büros übernehmen
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => void resolve({ mutationId: k.mutationId, choice: 'mine' })}
              disabled={state.isLoading}
            >
              Meine Änderung erneut anwenden
            </button>
          </div>
        </div>
      ))}
      <ErrorMessage error={state.error} />
    </section>
  )
}
