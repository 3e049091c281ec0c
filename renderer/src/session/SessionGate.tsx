import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useApiMutation, useApiQuery } from '../api/api'
import { LockScreen } from './LockScreen'
import { LoginScreen } from './LoginScreen'

/** the renderer reports activity at most this often (the main side enforces the idle lock) */
const TOUCH_EVERY_MS = 20_000

/**
 * Nothing of the desk shows before sign-in: the login screen, the lock screen (idle or by
 * hand), and while signed in a banner when the identity provider wants a new sign-in.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { data: status, refetch } = useApiQuery('session.status', {}, { pollingInterval: 10_000 })
  const [touch] = useApiMutation('session.touch')
  const [reauth, setReauth] = useState(false)
  const last = useRef(0)
  const open = !!status?.user && !status.locked

  // keyboard and pointer activity keep the idle lock away; a timer shows the lock when it falls
  useEffect(() => {
    if (!open || !status) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => void refetch(), status.idleLockMinutes * 60_000 + 500)
    }
    const onActivity = () => {
      const now = Date.now()
      if (now - last.current < Math.min(TOUCH_EVERY_MS, status.idleLockMinutes * 30_000)) return
      last.current = now
      void touch({})
      arm()
    }
    arm()
    window.addEventListener('keydown', onActivity, true)
    window.addEventListener('pointerdown', onActivity, true)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('keydown', onActivity, true)
      window.removeEventListener('pointerdown', onActivity, true)
    }
  }, [open, status, touch, refetch])

  if (!status) return <p className="login-loading">Aktenfluss wird geladen …</p>
  if (!status.user || (status.locked && !status.canUnlockOffline))
    return <LoginScreen status={status} />
  if (status.locked) return <LockScreen status={status} />
  if (reauth && status.reauthNeeded)
    return (
      <LoginScreen status={status} presetUser={status.user.id} onCancel={() => setReauth(false)} />
    )
  const others = status.reauthUsers.filter((u) => u !== status.user?.id).length
  return (
    <>
      {status.reauthNeeded && (
        <div className="reauth-banner" role="alert">
          Ihre Anmeldung ist abgelaufen. Ihre Änderungen sind gespeichert, werden aber erst nach
          einer erneuten Anmeldung übertragen.{' '}
          <button type="button" onClick={() => setReauth(true)}>
            Erneut anmelden
          </button>
        </div>
      )}
      {!status.reauthNeeded && others > 0 && (
        <div className="reauth-banner" role="status">
          Änderungen von {others === 1 ? 'einer weiteren Person' : `${others} weiteren Personen`}{' '}
          warten auf deren erneute Anmeldung an diesem Arbeitsplatz.
        </div>
      )}
      {children}
    </>
  )
}
