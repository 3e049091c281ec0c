import { useState, type ChangeEvent } from 'react'
import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import { formatDate } from '../labels'
import { href } from '../router'

function download(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Aussonderung (records manager): closed cases past retention → xdomea 0501/0503; 0506 receipt. */
export function ArchiveScreen() {
  const { data: info } = useApiQuery('app.info', {})
  const { data, error } = useApiQuery('archive.list', {})
  const [exportCases, exportState] = useApiMutation('archive.export')
  const [importReceipt, importState] = useApiMutation('archive.importReceipt')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [done, setDone] = useState<string | null>(null)
  if (info && info.user.role !== 'records')
    return (
      <section aria-labelledby="archive-title">
        <h1 id="archive-title">Aussonderung</h1>
        <p>Die Aussonderung ist der Registratur vorbehalten.</p>
      </section>
    )
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelected(next)
  }
  const runExport = async () => {
    const res = await exportCases({ ids: [...selected] })
    if ('data' in res && res.data) {
      download(res.data.transfer.fileName, res.data.transfer.base64)
      download(res.data.offer.fileName, res.data.offer.base64)
      setDone(
        `Aussonderung ${res.data.prozessId} erstellt. Gelöscht wird erst nach der Übernahmebestätigung (0506) des Archivs.`,
      )
      setSelected(new Set())
    }
  }
  const onReceipt = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    if (!file) return
    const res = await importReceipt({ xml: await file.text() })
    if ('data' in res && res.data) setDone(res.data.note)
    e.target.value = ''
  }
  return (
    <section aria-labelledby="archive-title">
      <h1 id="archive-title">Aussonderung</h1>
      <p className="muted">
        Abgeschlossene Vorgänge, deren Aufbewahrungsfrist abgelaufen ist, mit dem Archivwert aus dem
        zdA (sonst dem Vorschlag des Aktenplans).
      </p>
      <ErrorMessage error={error ?? exportState.error ?? importState.error} />
      {done && (
        <p role="status" className="notice-ok">
          {done}
        </p>
      )}
      {data && data.rows.length === 0 && <p>Keine Vorgänge zur Aussonderung.</p>}
      {data && data.rows.length > 0 && (
        <table className="intake">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Auswahl</span>
              </th>
              <th scope="col">Aktenzeichen</th>
              <th scope="col">Betreff</th>
              <th scope="col">Abgeschlossen</th>
              <th scope="col">Aufbewahrung bis</th>
              <th scope="col">Vorschlag</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.id} data-testid="disposal-row">
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${r.aktenzeichen} auswählen`}
                    checked={selected.has(r.id)}
                    onChange={() => toggle(r.id)}
                  />
                </td>
                <td>
                  <a href={href.case(r.id)}>{r.aktenzeichen}</a>
                </td>
                <td>{r.subject}</td>
                <td>{formatDate(r.closedAt)}</td>
                <td>{formatDate(r.retentionEnd)}</td>
                <td>
                  {r.disposal === 'prüfen' ? 'bewerten' : r.disposal}
                  {r.transferred ? ' · angeboten' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="action-row">
        <button
          type="button"
          onClick={() => void runExport()}
          disabled={selected.size === 0 || exportState.isLoading}
        >
          Aussondern (xdomea 0501/0503)
        </button>
        <label className="file-button">
          Übernahmebestätigung (0506) importieren{' '}
          <input
            type="file"
            accept=".xml,application/xml,text/xml"
            onChange={(e) => void onReceipt(e)}
          />
        </label>
      </div>
    </section>
  )
}
