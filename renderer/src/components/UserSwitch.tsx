import { useApiMutation, useApiQuery } from '../api/api'

const roleLabel = {
  clerk: 'Sachbearbeitung',
  lead: 'Sachgebietsleitung',
  records: 'Registratur',
  readonly: 'nur lesen',
} as const

/** Demo login: pick one of the directory's users; every action records who acted. */
export function UserSwitch() {
  const { data: info } = useApiQuery('app.info', {})
  const { data } = useApiQuery('session.users', {})
  const [login] = useApiMutation('session.login')
  if (!info || !data) return null
  return (
    <label className="user-switch">
      Angemeldet als
      <select value={info.user.id} onChange={(e) => void login({ userId: e.target.value })}>
        {data.users.map((u) => (
          <option key={u.userId} value={u.userId}>
            {u.name} ({roleLabel[u.role]})
          </option>
        ))}
      </select>
    </label>
  )
}
