import { useEffect, useMemo, useState } from 'react'
import type { DocumentMeta } from '../../../preload/contract/index'
import { useApiQuery } from '../api/api'
import { documentKindLabel, formatDateTime, formatSize } from '../labels'
import { ErrorMessage } from './ErrorMessage'
import { PdfViewer } from './LazyPdfViewer'

const decode = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))

function useObjectUrl(bytes: Uint8Array | null, mimeType: string | undefined): string | null {
  const url = useMemo(() => {
    if (!bytes || !mimeType) return null
    return URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType }))
  }, [bytes, mimeType])
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url)
    },
    [url],
  )
  return url
}

export function DocumentsPane({ documents }: { documents: DocumentMeta[] }) {
  const [selected, setSelected] = useState<string | null>(documents[0]?.id ?? null)
  if (documents.length === 0) return <p>Keine Dokumente.</p>
  return (
    <div className="documents">
      <table>
        <caption className="sr-only">Dokumente des Vorgangs</caption>
        <thead>
          <tr>
            <th scope="col">Dokument</th>
            <th scope="col">Art</th>
            <th scope="col">Datum</th>
            <th scope="col">Größe</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr
              key={d.id}
              aria-selected={d.id === selected}
              className={d.id === selected ? 'selected' : undefined}
            >
              <td>
                <button type="button" className="link" onClick={() => setSelected(d.id)}>
                  {d.title}
                </button>
                <div className="muted small">{d.filename}</div>
              </td>
              <td>{documentKindLabel(d.kind, d.mimeType)}</td>
              <td>{formatDateTime(d.createdAt)}</td>
              <td>{formatSize(d.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected && <DocumentViewer doc={documents.find((d) => d.id === selected)} />}
    </div>
  )
}

function DocumentViewer({ doc }: { doc: DocumentMeta | undefined }) {
  const { data, error, isFetching } = useApiQuery(
    'cases.document',
    { id: doc?.id ?? '' },
    { skip: !doc },
  )
  const bytes = useMemo(() => (data ? decode(data.base64) : null), [data])
  const url = useObjectUrl(bytes, data?.mimeType)
  if (!doc) return null
  return (
    <section className="viewer" aria-label={`Ansicht: ${doc.title}`}>
      <ErrorMessage error={error} />
      {isFetching && <p>Dokument wird geladen …</p>}
      {url && (
        <p>
          <a href={url} download={doc.filename}>
            Herunterladen ({doc.filename})
          </a>
        </p>
      )}
      {url && doc.mimeType.startsWith('image/') && (
        <img src={url} alt={doc.title} className="doc-image" />
      )}
      {bytes && doc.mimeType === 'application/pdf' && <PdfViewer bytes={bytes} title={doc.title} />}
    </section>
  )
}
