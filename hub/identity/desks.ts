// The desk registry: one credential per desk (X-Aktenfluss-Desk: <deskId>:<secret>). The hub keeps
// only SHA-256 of each secret and the destinations the desk may serve.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Database } from 'better-sqlite3'

export interface DeskRow {
  desk_id: string
  secret_hash: string
  /** JSON array of destination ids */
  destinations: string
  created_at: number
}

export interface RegisteredDesk {
  deskId: string
  destinations: string[]
}

export interface DeskCredential {
  deskId: string
  secret: string
}

const DESK_ID = /^[A-Za-z0-9._-]{1,100}$/
const hash = (secret: string) => createHash('sha256').update(secret).digest()

export function createDeskRegistry(db: Database, clock: () => number) {
  const q = {
    get: db.prepare<[string], DeskRow>('SELECT * FROM desks WHERE desk_id = ?'),
    insert: db.prepare(
      'INSERT INTO desks (desk_id, secret_hash, destinations, created_at) VALUES (?, ?, ?, ?)',
    ),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM desks'),
  }
  return {
    /** a new desk with a random 256-bit secret; the secret is returned once and never stored */
    register(destinations: string[], deskId: string = randomUUID()): DeskCredential {
      if (!DESK_ID.test(deskId))
        throw new Error(`Ungültige Arbeitsplatz-Kennung „${deskId}“ (erlaubt: A–Z, 0–9, . _ -).`)
      if (q.get.get(deskId))
        throw new Error(`Der Arbeitsplatz „${deskId}“ ist bereits registriert.`)
      const secret = randomBytes(32).toString('base64url')
      q.insert.run(deskId, hash(secret).toString('hex'), JSON.stringify(destinations), clock())
      return { deskId, secret }
    },
    count: () => q.count.get()!.n,
    /** the desk named by the header value `<deskId>:<secret>`, or undefined */
    authenticate(header: string | undefined): RegisteredDesk | undefined {
      if (typeof header !== 'string' || header.length > 400) return undefined
      const colon = header.indexOf(':')
      if (colon <= 0) return undefined
      const row = q.get.get(header.slice(0, colon))
      if (!row) return undefined
      const given = hash(header.slice(colon + 1))
      if (!timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex'))) return undefined
      return { deskId: row.desk_id, destinations: JSON.parse(row.destinations) as string[] }
    },
  }
}

export type DeskRegistry = ReturnType<typeof createDeskRegistry>
