import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** A second process on the same data folder would run two sync engines over one database. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Der Datenordner „${dir}“ wird bereits von einem anderen Aktenfluss-Prozess verwendet (Prozess ${pid}). Bitte das bereits geöffnete Aktenfluss verwenden oder es zuerst beenden.`,
    )
    this.name = 'DataDirInUseError'
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the data folder's lock file (`aktenfluss.lock`, created exclusively, holding the pid).
 * A lock left by a process that no longer runs (kill -9, power loss) is taken over.
 */
export function lockDataDir(dir: string): { release(): void } {
  const file = join(dir, 'aktenfluss.lock')
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      return {
        release: () => {
          if (released) return
          released = true
          try {
            unlinkSync(file)
          } catch {
            /* already gone */
          }
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
      const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUseError(dir, pid)
      unlinkSync(file) // stale: its process is gone
    }
  }
}
