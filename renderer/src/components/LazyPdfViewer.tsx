import { lazy, Suspense } from 'react'

// pdf.js is large: it loads with the first document shown, not with the app (cold start).
const PdfViewerImpl = lazy(() => import('./PdfViewer').then((m) => ({ default: m.PdfViewer })))

export function PdfViewer(props: { bytes: Uint8Array; title: string }) {
  return (
    <Suspense fallback={<p>PDF-Ansicht wird geladen …</p>}>
      <PdfViewerImpl {...props} />
    </Suspense>
  )
}
