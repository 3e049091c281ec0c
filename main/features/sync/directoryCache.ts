// The office directory from the hub, cached in settings so the desk knows users and roles offline.
import type { Db } from '../../../db/open'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import type { OfficeDirectory } from '../../hub-client'
import type { Directory, User } from '../../core/directory'

const KEY = 'office.directory'
const revisions = new WeakMap<Db, number>()

export function saveOfficeDirectory(db: Db, dir: OfficeDirectory): void {
  const before = getSetting<OfficeDirectory>(db, KEY)
  if (before && JSON.stringify(before) === JSON.stringify(dir)) return
  setSetting(db, KEY, dir)
  revisions.set(db, (revisions.get(db) ?? 0) + 1)
}

/** The cached hub directory, else the shipped demo directory; re-read only when it changed. */
export function directoryAccess(db: Db, fallback: Directory) {
  let seen = -1
  let dir = fallback
  let byId = new Map<string, User>()
  const refresh = () => {
    const rev = revisions.get(db) ?? 0
    if (rev === seen) return
    seen = rev
    const cached = getSetting<Directory>(db, KEY)
    dir = cached && cached.users.length > 0 ? withProcedures(cached, fallback) : fallback
    byId = new Map(dir.users.map((u) => [u.userId, u]))
  }
  return {
    directory: (): Directory => (refresh(), dir),
    user: (id: string): User | undefined => (refresh(), byId.get(id)),
  }
}

/** A hub that does not send the teams' procedures yet: the shipped directory's, team by team. */
function withProcedures(dir: Directory, fallback: Directory): Directory {
  if (dir.teams.every((t) => t.procedures)) return dir
  const known = new Map(fallback.teams.map((t) => [t.teamId, t.procedures]))
  return {
    ...dir,
    teams: dir.teams.map((t) => {
      const procedures = t.procedures ?? known.get(t.teamId)
      return procedures ? { ...t, procedures } : t
    }),
  }
}
