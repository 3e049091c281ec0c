import { useEffect, useState } from 'react'
import type { Events } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { aktenfluss } from '../api/transport'
import { formatDateTime } from '../labels'

export function StatusBar() {
  const { data: status } = useApiQuery('sync.status', {})
  const [runSync, { isLoading }] = useApiMutation('sync.run')
  const [progress, setProgress] = useState<Events['sync.progress'] | null>(null)
  useEffect(() => aktenfluss.events.subscribe('sync.progress', setProgress), [])
  const online = status?.online
  const state = !status?.hubConfigured ? 'Kein Hub eingerichtet' : online === false ? 'Offline' : online ? 'Online' : 'Verbindung wird geprüft'
  return (
    <footer className="statusbar" aria-label="Synchronisation">
      <span className={`dot ${online ? 'on' : online === false ? 'off' : ''}`} aria-hidden="true" />
      <span role="status" aria-live="polite">
        {state}
        {status?.running && progress && progress.total > 0 ? ` · Eingang ${progress.done} von ${progress.total}` : ''}
        {status?.running && !progress ? ' · synchronisiert …' : ''}
      </span>
      <a href="#/synchronisation" data-testid="pending-count">
        Ausstehend: {status?.pending ?? 0}
      </a>
      <a href="#/synchronisation">Konflikte: {status?.conflicts ?? 0}</a>
      <span>Letzte Synchronisation: {formatDateTime(status?.lastSuccessAt)}</span>
      {status?.lastError && <span className="warn">{status.lastError}</span>}
      <button type="button" onClick={() => void runSync({})} disabled={isLoading || !status?.hubConfigured}>
        Jetzt synchronisieren
      </button>
    </footer>
  )
}
