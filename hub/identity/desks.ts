// The desk registry: one credential per desk (X-Aktenfluss-Desk: <deskId>:<secret>). The hub keeps
// only SHA-256 of each secret and the destinations the desk may serve.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { HubStorage } from '../storage/hub'
import { def } from '../storage/stmt'
import { isUniqueViolation } from '../storage/errors'

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

export const DESK_STATEMENTS = {
  get: def<[string], DeskRow>('SELECT * FROM desks WHERE desk_id = ?'),
  insert: def<[string, string, string, number]>(
    'INSERT INTO desks (desk_id, secret_hash, destinations, created_at) VALUES (?, ?, ?, ?)',
  ),
  count: def<[], { n: number }>('SELECT count(*) AS n FROM desks'),
}

/** A new desk credential and the row the registry stores (SHA-256 of the secret only). */
export function newDesk(
  destinations: string[],
  deskId: string,
  now: number,
): { credential: DeskCredential; row: [string, string, string, number] } {
  if (!DESK_ID.test(deskId))
    throw new Error(`Ungültige Arbeitsplatz-Kennung „${deskId}“ (erlaubt: A–Z, 0–9, . _ -).`)
  const secret = randomBytes(32).toString('base64url')
  return {
    credential: { deskId, secret },
    row: [deskId, hash(secret).toString('hex'), JSON.stringify(destinations), now],
  }
}

const taken = (deskId: string) => new Error(`Der Arbeitsplatz „${deskId}“ ist bereits registriert.`)

export function createDeskRegistry(storage: HubStorage, clock: () => number) {
  const q = storage.q.desks
  return {
    /** a new desk with a random 256-bit secret; the secret is returned once and never stored */
    async register(destinations: string[], deskId: string = randomUUID()): Promise<DeskCredential> {
      const { credential, row } = newDesk(destinations, deskId, clock())
      if (await q.get.get(deskId)) throw taken(deskId)
      try {
        await q.insert.run(...row)
      } catch (e) {
        if (isUniqueViolation(e)) throw taken(deskId) // another process registered it meanwhile
        throw e
      }
      return credential
    },
    count: async () => (await q.count.get())?.n ?? 0,
    /** the desk named by the header value `<deskId>:<secret>`, or undefined */
    async authenticate(header: string | undefined): Promise<RegisteredDesk | undefined> {
      if (typeof header !== 'string' || header.length > 400) return undefined
      const colon = header.indexOf(':')
      if (colon <= 0) return undefined
      const row = await q.get.get(header.slice(0, colon))
      if (!row) return undefined
      const given = hash(header.slice(colon + 1))
      if (!timingSafeEqual(given, Buffer.from(row.secret_hash, 'hex'))) return undefined
      return { deskId: row.desk_id, destinations: JSON.parse(row.destinations) as string[] }
    },
  }
}

export type DeskRegistry = ReturnType<typeof createDeskRegistry>
