import { useId, useState, type FormEvent } from 'react'
import { useApiMutation } from '../api/api'
import { ErrorMessage } from '../components/ErrorMessage'
import type { SessionStatus } from '../../../preload/contract/index'

/** The locked desk: the signed-in person unlocks with their password (checked locally). */
export function LockScreen({ status }: { status: SessionStatus }) {
  const [unlock, state] = useApiMutation('session.unlock')
  const [logout] = useApiMutation('session.logout')
  const [password, setPassword] = useState('')
  const id = useId()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void unlock({ password }).then(() => setPassword(''))
  }
  return (
    <main id="main" className="login" tabIndex={-1}>
      <div className="login-card">
        <h1>Der Arbeitsplatz ist gesperrt</h1>
        <p>
          Angemeldet ist <strong>{status.user?.name}</strong>. Zum Entsperren bitte das Kennwort
          eingeben.
        </p>
        <form onSubmit={submit}>
          <label htmlFor={id}>Kennwort</label>
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="login-actions">
            <button type="submit" className="primary" disabled={state.isLoading}>
              Entsperren
            </button>
            <button type="button" onClick={() => void logout({})}>
              Abmelden
            </button>
          </div>
        </form>
        <ErrorMessage error={state.error} />
      </div>
    </main>
  )
}
