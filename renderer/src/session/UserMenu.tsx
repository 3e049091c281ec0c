import { useApiMutation, useApiQuery } from '../api/api'
import { roleLabel } from './roles'

/** The signed-in person in the top bar, with „Sperren“ and „Abmelden“. */
export function UserMenu() {
  const { data: status } = useApiQuery('session.status', {})
  const [lock] = useApiMutation('session.lock')
  const [logout] = useApiMutation('session.logout')
  if (!status?.user) return null
  return (
    <span className="user-menu">
      <span>
        Angemeldet: {status.user.name} ({roleLabel[status.user.role]})
      </span>
      <button type="button" onClick={() => void lock({})}>
        Sperren
      </button>
      <button type="button" onClick={() => void logout({})}>
        Abmelden
      </button>
    </span>
  )
}
