import { useAppInfoQuery, useSessionLoginMutation, useSessionUsersQuery } from '../api/api'

const roleLabel = { clerk: 'Sachbearbeitung', lead: 'Sachgebietsleitung', records: 'Registratur', readonly: 'nur lesen' } as const

/** Demo login: pick one of the directory's users; every action records who acted. */
export function UserSwitch() {
  const { data: info } = useAppInfoQuery()
  const { data } = useSessionUsersQuery()
  const [login] = useSessionLoginMutation()
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
