// The hub's one storage: every store's statements as groups on one Storage (storage/types.ts),
// on SQLite (hub.sqlite in the data folder, the embedded default) or on PostgreSQL (--database).
import { join } from 'node:path'
import { INTAKE_STATEMENTS, SQLITE_MIGRATIONS } from '../store'
import { OFFICE_STATEMENTS } from '../office/store'
import { REPLY_STATEMENTS, migrateRepliesSqlite } from '../replyStore'
import { DESK_STATEMENTS } from '../identity/desks'
import { OIDC_STATEMENTS } from '../identity/adapter'
import { ensureSecureHubFile } from '../secureFs'
import type { Storage } from './types'
import { openSqliteStorage } from './sqlite'
import { openPostgresStorage } from './postgres'
import { HUB_PG_MIGRATIONS } from './postgres/migrations'
import { HUB_PG_OVERRIDES } from './postgres/overrides'

export const HUB_STATEMENTS = {
  intake: INTAKE_STATEMENTS,
  office: OFFICE_STATEMENTS,
  replies: REPLY_STATEMENTS,
  desks: DESK_STATEMENTS,
  oidc: OIDC_STATEMENTS,
}

export type HubStorage = Storage<typeof HUB_STATEMENTS>

/** The environment variable that selects PostgreSQL when --database is not given. */
export const DATABASE_ENV = 'AKTENFLUSS_HUB_DATABASE_URL'

/** A database the hub cannot use (unreachable, refused, wrong URL): a message, no stack trace. */
export class HubDatabaseError extends Error {}

const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')

/** hub.sqlite in the data folder (file mode 0600). */
export function openHubSqlite(dataDir: string) {
  const file = join(dataDir, 'hub.sqlite')
  ensureSecureHubFile(file)
  return openSqliteStorage(file, HUB_STATEMENTS, {
    migrations: SQLITE_MIGRATIONS,
    foreignKeysOffWhileMigrating: true,
    afterMigrations: migrateRepliesSqlite,
  })
}

/**
 * The hub's storage: PostgreSQL when `database` (a postgres:// URL) is given, else hub.sqlite in
 * the data folder. Migrations run on open (on PostgreSQL one process at a time).
 */
export async function openHubStorage(opts: {
  dataDir: string
  database?: string | undefined
  poolSize?: number
}): Promise<HubStorage> {
  const url = opts.database
  if (!url) return openHubSqlite(opts.dataDir)
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new HubDatabaseError(
      `Die Datenbank-Adresse „${redact(url)}“ wird nicht unterstützt: bitte postgres://BENUTZER@HOST:PORT/DATENBANK angeben. / Unsupported database URL: use postgres://USER@HOST:PORT/DB.`,
    )
  try {
    return await openPostgresStorage(url, HUB_STATEMENTS, {
      migrations: HUB_PG_MIGRATIONS,
      overrides: HUB_PG_OVERRIDES,
      ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
    })
  } catch (e) {
    const err = e as { code?: string; message?: string }
    const code = err.code ?? ''
    // no connection: refused, unknown host, timeout, authentication, no such database
    const unreachable =
      /^(E[A-Z]+|08|28|3D)/.test(code) || /timeout|terminated|connect/i.test(err.message ?? '')
    throw new HubDatabaseError(
      unreachable
        ? `Die Datenbank ${redact(url)} ist nicht erreichbar oder verweigert den Zugang (${code || err.message}). Bitte Adresse, Benutzer und Erreichbarkeit des PostgreSQL-Servers prüfen. / The database is unreachable or refused the connection.`
        : `Die Datenbank ${redact(url)} konnte nicht vorbereitet werden (${code ? `${code}: ` : ''}${err.message}). Bitte die Rechte des Benutzers (CREATE in der Datenbank) prüfen. / The database schema could not be migrated.`,
    )
  }
}
