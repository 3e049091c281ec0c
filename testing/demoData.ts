import { seededRandom } from '../hub/seed/prng'
import { insertCase } from '../db/repositories/cases'
import { appendHistory } from '../db/repositories/history'
import type { Db } from '../db/open'
import { reindexCase } from '../main/features/cases/search'
import type { ProcedureCatalog } from '../main/core/procedures'

/**
 * Synthetic cases written straight into the database, for benchmarks and tests that need
 * volume (100,000 cases). Real demo content comes through the hub (npm start). Deterministic.
 */
const FIRST = [
  'Jürgen',
  'Anneliese',
  'Björn',
  'Gülşen',
  'Hans-Peter',
  'Maike',
  'Sören',
  'Frauke',
  'Özlem',
  'Günther',
  'Käthe',
  'Lars',
  'Renée',
  'Ömer',
  'Grete',
]
const LAST = [
  'Müller',
  'Schröder',
  'Weiß',
  'Bäcker',
  'Krüger',
  'Groß',
  'Schäfer',
  'Höhne',
  'Jäger',
  'Köhler',
  'Strauß',
  'Nußbaum',
  'Fröhlich',
  'Lehmann',
  'Wagner',
]
const STREETS = [
  'Straßburger Straße',
  'Görlitzer Weg',
  'Am Mühlgraben',
  'Lößnitzstraße',
  'Brüderstraße',
  'Jägerhof',
  'Schützenplatz',
]
const CITIES = [
  '02826 Görlitz',
  '02827 Görlitz',
  '02828 Görlitz',
  '02829 Markersdorf',
  '02906 Niesky',
]

export function generateCases(
  db: Db,
  catalog: ProcedureCatalog,
  opts: { count: number; seed?: number; today: string; users: string[]; indexSearch?: boolean },
): void {
  const rnd = seededRandom(opts.seed ?? 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const statuses = [
    'eingegangen',
    'in_bearbeitung',
    'nachforderung',
    'entscheidungsreif',
    'entschieden',
    'versandt',
  ] as const
  const base = Date.parse(`${opts.today}T00:00:00Z`)
  const perCode = new Map<string, number>()
  db.transaction(() => {
    for (let i = 0; i < opts.count; i++) {
      const p = pick(catalog.procedures)
      const name = `${pick(FIRST)} ${pick(LAST)}`
      const received = new Date(base - Math.floor(rnd() * 120) * 86_400_000)
      const deadline = new Date(received.getTime() + p.statutoryDeadlineDays * 86_400_000)
      const year = received.getUTCFullYear()
      const key = `${p.fileCode}-${year}`
      const n = (perCode.get(key) ?? 0) + 1
      perCode.set(key, n)
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      const assigned = rnd() < 0.7
      insertCase(db, {
        id,
        aktenzeichen: `${p.fileCode}-${year}-${String(n).padStart(6, '0')}`,
        procedureId: p.id,
        subject: `${p.name} – ${name}`,
        applicantName: name,
        applicantAddress: `${pick(STREETS)} ${1 + Math.floor(rnd() * 80)}, ${pick(CITIES)}`,
        status: assigned ? pick(statuses) : 'eingegangen',
        assignee: assigned ? pick(opts.users) : null,
        receivedAt: received.toISOString(),
        deadline: deadline.toISOString().slice(0, 10),
        channel: 'online',
        formData: { hinweis: `Synthetischer Vorgang ${i + 1}` },
        updatedAt: received.toISOString(),
      })
      appendHistory(db, {
        caseId: id,
        at: received.toISOString(),
        actor: 'system',
        action: 'Eingang',
        detail: 'Synthetische Testdaten',
      })
      if (opts.indexSearch !== false) reindexCase(db, id)
    }
  })()
}
