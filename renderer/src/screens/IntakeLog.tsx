import { useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDateTime, intakeProblemLabel } from '../labels'
import { href } from '../router'
import { IntakeQuarantine } from './IntakeQuarantine'

export function IntakeLog() {
  const { data, error } = useApiQuery('intake.log', { limit: 200 })
  const { data: info } = useApiQuery('app.info', {})
  const procedureName = (id: string | null) =>
    id
      ? (info?.procedures.find((p) => p.id === id)?.name ?? 'Verfahren unbekannt')
      : 'Verfahren nicht lesbar'
  return (
    <section aria-labelledby="intake-title">
      <h1 id="intake-title">Eingangsprotokoll</h1>
      <p className="muted">Angenommene und abgelehnte Einreichungen vom Hub, mit Begründung.</p>
      <ErrorMessage error={error} />
      <IntakeQuarantine />
      {data && data.entries.length === 0 && <p>Noch keine Einreichungen verarbeitet.</p>}
      {data && data.entries.length > 0 && (
        <table className="intake">
          <thead>
            <tr>
              <th scope="col">Zeit</th>
              <th scope="col">Ergebnis</th>
              <th scope="col">Einreichung</th>
              <th scope="col">Begründung</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((e) => (
              <tr key={e.id} data-testid="intake-entry" className={e.outcome}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.outcome === 'accepted' ? 'angenommen' : 'abgelehnt'}</td>
                <td>
                  {procedureName(e.procedure)}
                  {e.caseId && (
                    <>
                      {' '}
                      · <a href={href.case(e.caseId)}>Vorgang öffnen</a>
                    </>
                  )}
                </td>
                <td>
                  {e.reason}
                  {e.problemType && (
                    <div className="muted small">{intakeProblemLabel(e.problemType)}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
