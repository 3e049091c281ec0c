import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Events } from '../../../preload/contract/index'
import { useApiMutation, useApiQuery } from '../api/api'
import { aktenfluss, call, localService } from '../api/transport'
import { formatDateTime } from '../labels'

export function StatusBar() {
  const { data: status } = useApiQuery('sync.status', {})
  const [runSync, { isLoading }] = useApiMutation('sync.run')
  const [progress, setProgress] = useState<Events['sync.progress'] | null>(null)
  useEffect(() => aktenfluss.events.subscribe('sync.progress', setProgress), [])
  const local = useSyncExternalStore(localService.subscribe, localService.reachable)
  // while the local service is gone, ask it every few seconds; its answer turns the bar back
  useEffect(() => {
    if (local) return
    const t = setInterval(() => void call('app.info', {}), 3000)
    return () => clearInterval(t)
  }, [local])
  const online = local ? status?.online : false
  const state = !local
    ? 'Keine Verbindung zum Aktenfluss-Dienst'
    : !status?.hubConfigured
      ? 'Kein Hub eingerichtet'
      : online === false
        ? 'Offline – Hub nicht erreichbar'
        : online
          ? 'Online'
          : 'Verbindung wird geprüft'
  return (
    <footer className="statusbar" aria-label="Synchronisation">
      <span className={`dot ${online ? 'on' : online === false ? 'off' : ''}`} aria-hidden="true" />
      <span role="status" aria-live="polite">
        {state}
        {status?.running && progress && progress.total > 0
          ? ` · Eingang ${progress.done} von ${progress.total}`
          : ''}
        {status?.running && !progress ? ' · synchronisiert …' : ''}
      </span>
      <a href="#/synchronisation" data-testid="pending-count">
        Ausstehend: {status?.pending ?? 0}
      </a>
      <a href="#/synchronisation">Konflikte: {status?.conflicts ?? 0}</a>
      <span>Letzte Synchronisation: {formatDateTime(status?.lastSuccessAt)}</span>
      {local && status?.lastError && <span className="warn">{status.lastError}</span>}
      <button
        type="button"
        onClick={() => void runSync({})}
        disabled={isLoading || !status?.hubConfigured || !local}
      >
        Jetzt synchronisieren
      </button>
    </footer>
  )
}
