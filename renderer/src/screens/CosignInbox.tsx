import { Fragment, useState } from 'react'
import { useApiQuery } from '../api/api'
import { CosignBox } from '../components/DecisionPane'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDate, formatDateTime } from '../labels'
import { href } from '../router'

/** Mitzeichnung: decisions waiting for the team lead's co-signature (four eyes). */
export function CosignInbox() {
  const { data: info } = useApiQuery('app.info', {})
  const lead = info?.user.role === 'lead'
  const { data, error } = useApiQuery('decisions.cosignInbox', {}, { skip: !lead })
  const [open, setOpen] = useState<string | null>(null)
  if (info && !lead)
    return (
      <section aria-labelledby="cosign-title">
        <h1 id="cosign-title" tabIndex={-1}>
          Mitzeichnung
        </h1>
        <p>Mitzeichnen kann nur die Sachgebietsleitung.</p>
      </section>
    )
  return (
    <section aria-labelledby="cosign-title">
      <h1 id="cosign-title" tabIndex={-1}>
        Mitzeichnung
      </h1>
      <p className="muted">
        Entscheidungen, die Ihre Mitzeichnung brauchen (Vier-Augen-Prinzip). Eigene Entscheidungen
        zeichnet eine andere Leitung mit.
      </p>
      <ErrorMessage error={error} />
      {data && data.rows.length === 0 && <p>Keine Entscheidung wartet auf Ihre Mitzeichnung.</p>}
      {data && data.rows.length > 0 && (
        <table className="intake">
          <thead>
            <tr>
              <th scope="col">Aktenzeichen</th>
              <th scope="col">Antragsteller</th>
              <th scope="col">Verfahren</th>
              <th scope="col">Ergebnis</th>
              <th scope="col">Beträge</th>
              <th scope="col">Entschieden</th>
              <th scope="col">Frist</th>
              <th scope="col">
                <span className="sr-only">Aktion</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <Fragment key={r.caseId}>
                <tr data-testid="cosign-row">
                  <td>
                    <a href={href.case(r.caseId, 'entscheidung')}>{r.aktenzeichen}</a>
                  </td>
                  <td>{r.applicantName}</td>
                  <td>{r.procedureName}</td>
                  <td>{r.outcomeLabel}</td>
                  <td>
                    {r.amounts.length
                      ? r.amounts.map((a) => `${a.label}: ${a.value}`).join('; ')
                      : '—'}
                  </td>
                  <td>
                    {r.decidedByName}, {formatDateTime(r.decidedAt)}
                  </td>
                  <td>{formatDate(r.deadline)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={open === r.caseId}
                      onClick={() => setOpen(open === r.caseId ? null : r.caseId)}
                    >
                      {open === r.caseId ? 'Schließen' : `Prüfen ${r.aktenzeichen}`}
                    </button>
                  </td>
                </tr>
                {open === r.caseId && (
                  <tr>
                    <td colSpan={8}>
                      <CosignBox caseId={r.caseId} compact />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
