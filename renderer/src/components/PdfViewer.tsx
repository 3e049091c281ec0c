import { useEffect, useRef, useState } from 'react'
import {
  getDocument,
  GlobalWorkerOptions,
  type PDFDocumentProxy,
  type RenderTask,
} from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

GlobalWorkerOptions.workerSrc = workerUrl

/** In-app PDF viewer (pdf.js): page navigation and zoom, no eval (strict CSP). */
export function PdfViewer({ bytes, title }: { bytes: Uint8Array; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null)
  const [page, setPage] = useState(1)
  const [scale, setScale] = useState(1.2)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    const task = getDocument({ data: bytes.slice(), isEvalSupported: false })
    task.promise.then(
      (d) => {
        if (!cancelled) {
          setDoc(d)
          setPage(1)
        }
      },
      () => !cancelled && setError('Das PDF konnte nicht angezeigt werden.'),
    )
    return () => {
      cancelled = true
      void task.destroy()
    }
  }, [bytes])

  useEffect(() => {
    if (!doc || !canvas.current) return
    let task: RenderTask | null = null
    let cancelled = false
    void doc.getPage(page).then((p) => {
      if (cancelled || !canvas.current) return
      const viewport = p.getViewport({ scale })
      const el = canvas.current
      el.width = Math.floor(viewport.width)
      el.height = Math.floor(viewport.height)
      task = p.render({ canvas: el, viewport })
      task.promise.catch(() => undefined)
    })
    return () => {
      cancelled = true
      task?.cancel()
    }
  }, [doc, page, scale])

  if (error) return <p role="alert">{error}</p>
  const pages = doc?.numPages ?? 0
  return (
    <div className="pdf-viewer">
      <div className="pdf-toolbar" role="toolbar" aria-label="PDF-Ansicht">
        <button
          type="button"
          className="secondary"
          onClick={() => setPage(page - 1)}
          disabled={page <= 1}
        >
          ‹ Vorherige Seite
        </button>
        <span aria-live="polite" data-testid="pdf-page">
          Seite {pages ? page : '–'} von {pages || '–'}
        </span>
        <button
          type="button"
          className="secondary"
          onClick={() => setPage(page + 1)}
          disabled={page >= pages}
        >
          Nächste Seite ›
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setScale(Math.max(0.5, scale - 0.2))}
          aria-label="Verkleinern"
        >
          −
        </button>
        <span>{Math.round(scale * 100)} %</span>
        <button
          type="button"
          className="secondary"
          onClick={() => setScale(Math.min(3, scale + 0.2))}
          aria-label="Vergrößern"
        >
          +
        </button>
      </div>
      <canvas
        ref={canvas}
        role="img"
        aria-label={`${title}, Seite ${page} von ${pages}`}
        data-testid="pdf-canvas"
        data-page={page}
      />
    </div>
  )
}
