import { useId, useState, type FormEvent } from 'react'
import { useApiMutation, useApiQuery } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import type { SessionStatus } from '../../../preload/contract/index'
import { roleLabel } from './roles'

/**
 * The German login screen (issue #13): the directory's people and their password; the demo IdP
 * pre-fills `demo`. With an identity provider configured, the redirect sign-in is offered too.
 */
export function LoginScreen({
  status,
  presetUser,
  onCancel,
}: {
  status: SessionStatus
  /** sign in again as this person (re-authentication) */
  presetUser?: string
  onCancel?: () => void
}) {
  const { data } = useApiQuery('session.users', {})
  const [login, loginState] = useApiMutation('session.login')
  const [begin, beginState] = useApiMutation('session.beginLogin')
  const demo = status.identity?.demo === true
  const [userId, setUserId] = useState(presetUser ?? status.user?.id ?? '')
  const [password, setPassword] = useState(demo ? 'demo' : '')
  const ids = { user: useId(), password: useId(), hint: useId() }
  const users = data?.users ?? []
  const chosen = userId || users[0]?.userId || ''

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!chosen) return
    void login({ userId: chosen, password })
  }
  const redirect = async () => {
    const r = await begin({ loginHint: chosen || undefined })
    if ('data' in r && r.data && !r.data.external) window.location.assign(r.data.url)
  }
  const busy = loginState.isLoading || beginState.isLoading
  return (
    <main id="main" className="login" tabIndex={-1}>
      <div className="login-card">
        <h1>{presetUser ? 'Bitte erneut anmelden' : 'Anmeldung bei Aktenfluss'}</h1>
        {presetUser && (
          <p>
            Ihre Anmeldung beim Anmeldedienst ist abgelaufen. Ihre Änderungen sind gespeichert und
            werden nach der Anmeldung unter Ihrem Namen übertragen.
          </p>
        )}
        <form onSubmit={submit} aria-describedby={demo ? ids.hint : undefined}>
          <label htmlFor={ids.user}>Person</label>
          <select
            id={ids.user}
            value={chosen}
            disabled={!!presetUser}
            onChange={(e) => setUserId(e.target.value)}
          >
            {users.map((u) => (
              <option key={u.userId} value={u.userId}>
                {u.name} ({roleLabel[u.role]})
              </option>
            ))}
          </select>
          <label htmlFor={ids.password}>Kennwort</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="login-actions">
            <button type="submit" className="primary" disabled={busy || !chosen}>
              Anmelden
            </button>
            {onCancel && (
              <button type="button" onClick={onCancel}>
                Später
              </button>
            )}
          </div>
        </form>
        <ErrorMessage error={loginState.error ?? beginState.error} />
        {demo && (
          <p id={ids.hint} className="muted">
            Demo: Alle Personen des Demo-Verzeichnisses haben das Kennwort „demo“; es ist bereits
            eingetragen.
          </p>
        )}
        {status.identity && !demo && (
          <p>
            <button type="button" onClick={() => void redirect()} disabled={busy}>
              Über den Anmeldedienst des Amtes anmelden
            </button>
          </p>
        )}
        {!status.identity && (
          <p className="muted">
            Es ist kein Anmeldedienst eingerichtet. Anmelden kann sich nur, wer an diesem
            Arbeitsplatz schon einmal angemeldet war.
          </p>
        )}
      </div>
    </main>
  )
}
