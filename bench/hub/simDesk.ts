// A simulated desk for the hub load figure: its own desk credential and signed-in user, an outbox
// of office mutations (register a paper case from its own Aktenzeichen lease, take it, notes), the
// change-feed cursor and the cases it learnt from the feed. Every request goes to the next hub
// process in turn (no stickiness). A push whose answer is lost is repeated with the same ids.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { DeskCredential } from './procs'

const result = z.object({
  mutationId: z.string(),
  status: z.enum(['applied', 'duplicate', 'conflict', 'rejected']),
  version: z.number().int().optional(),
  problem: z.object({ type: z.string(), detail: z.string().optional() }).loose().optional(),
})
const pushAnswer = z.object({ results: z.array(result) })
const change = z.object({
  seq: z.number().int(),
  caseId: z.string(),
  type: z.string(),
  version: z.number().int(),
  by: z.string(),
  payload: z.record(z.string(), z.unknown()),
})
export const changesPage = z.object({
  changes: z.array(change),
  next: z.string(),
  hasMore: z.boolean(),
})
const leaseAnswer = z.object({ numbers: z.array(z.number().int()) })
export type Change = z.infer<typeof change>
export type MutationResultStatus = z.infer<typeof result>['status']

export interface Mutation {
  mutationId: string
  type: string
  caseId: string
  baseVersion: number
  at: string
  payload: Record<string, unknown>
}

/** What a desk knows of a case from the feed (its own changes included). */
export interface KnownCase {
  version: number
  assignee: string | null
  notes: number
  procedureId: string
}

export interface DeskUser {
  userId: string
  teamId: string
  procedureId: string
  fileCode: string
}

export class SimDesk {
  cursor = '0'
  /** every seq this desk received, in order */
  readonly seen: number[] = []
  readonly cases = new Map<string, KnownCase>()
  /** mutationId → the first definitive answer */
  readonly results = new Map<string, MutationResultStatus>()
  readonly sent: Mutation[] = []
  readonly pushMs: number[] = []
  readonly pullMs: number[] = []
  /** repeated pushes (same mutation ids) and what they answered */
  retried = 0
  retryNotDuplicate = 0
  errors: string[] = []
  /** 5xx answers and broken connections (each repeated) */
  readonly serverErrors: string[] = []
  private turn: number
  private own: string[] = []
  private numbers: number[] = []

  constructor(
    readonly credential: DeskCredential,
    readonly user: DeskUser,
    readonly urls: string[],
    private token: () => Promise<string>,
    index: number,
  ) {
    this.turn = index
  }

  private nextUrl(): string {
    return this.urls[this.turn++ % this.urls.length]!
  }

  /**
   * One call; a 5xx answer or a broken connection is repeated (up to 4 times, the next process,
   * the same body — the desk's outbox does the same with the same mutation ids) and counted.
   */
  private async request(path: string, init: { method?: string; json?: unknown } = {}) {
    const headers: Record<string, string> = {
      'x-aktenfluss-desk': `${this.credential.deskId}:${this.credential.secret}`,
      authorization: `Bearer ${await this.token()}`,
    }
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    const what = `${init.method ?? 'GET'} ${path.split('?')[0]}`
    for (let attempt = 0; ; attempt++) {
      let failure: string
      try {
        const r = await fetch(`${this.nextUrl()}${path}`, {
          method: init.method ?? 'GET',
          headers,
          ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        })
        const text = await r.text()
        if (r.status === 200) return JSON.parse(text) as unknown
        if (r.status < 500) throw new Error(`${what}: HTTP ${r.status} ${text.slice(0, 300)}`)
        failure = `${what}: HTTP ${r.status} ${text.slice(0, 200)}`
      } catch (e) {
        if (!(e instanceof TypeError)) throw e // fetch failed: the connection broke
        failure = `${what}: ${e.message}`
      }
      this.serverErrors.push(failure)
      if (attempt >= 4) throw new Error(`${failure} (after ${attempt + 1} attempts)`)
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)))
    }
  }

  private async aktenzeichen(): Promise<string> {
    const year = new Date().getFullYear()
    if (this.numbers.length === 0) {
      const body = { fileCode: this.user.fileCode, year, count: 25 }
      this.numbers = leaseAnswer.parse(
        await this.request('/office/v1/leases', { method: 'POST', json: body }),
      ).numbers
    }
    const n = this.numbers.shift()!
    return `${this.user.fileCode}-${year}-${String(n).padStart(6, '0')}`
  }

  private m(
    type: string,
    caseId: string,
    baseVersion: number,
    payload: Record<string, unknown>,
  ): Mutation {
    return {
      mutationId: randomUUID(),
      type,
      caseId,
      baseVersion,
      at: new Date().toISOString(),
      payload,
    }
  }

  /** The next batch: a new paper case, taken by the desk's user, a note on it and on the last one. */
  async nextBatch(round: number): Promise<Mutation[]> {
    const caseId = randomUUID()
    const me = this.user.userId
    const batch = [
      this.m('case.register', caseId, 0, {
        submissionId: null,
        aktenzeichen: await this.aktenzeichen(),
        procedureId: this.user.procedureId,
        subject: `Lastprobe ${this.credential.deskId} ${round}`,
        applicantName: 'Erika Mustermann',
        applicantAddress: 'Postplatz 1, 02826 Görlitz',
        receivedAt: new Date().toISOString(),
        deadline: null,
        channel: 'paper',
        formData: { round },
        documents: [],
      }),
      this.m('case.assign', caseId, 1, { assignee: me, previous: null }),
      this.m('case.note', caseId, 2, {
        noteId: randomUUID(),
        kind: 'note',
        text: `Notiz ${round}`,
      }),
    ]
    const last = this.own.at(-1)
    if (last)
      batch.push(
        this.m('case.note', last, 0, {
          noteId: randomUUID(),
          kind: 'phone',
          text: `Rückruf ${round}`,
        }),
      )
    this.own.push(caseId)
    return batch
  }

  /** POST one batch; records the first definitive status of each mutation. */
  async push(batch: Mutation[], retry = false): Promise<void> {
    const t0 = performance.now()
    const answer = pushAnswer.parse(
      await this.request('/office/v1/mutations', {
        method: 'POST',
        json: { deskId: this.credential.deskId, mutations: batch },
      }),
    )
    this.pushMs.push(performance.now() - t0)
    if (!retry) this.sent.push(...batch)
    for (const r of answer.results) {
      if (retry) {
        this.retried++
        if (r.status !== 'duplicate') this.retryNotDuplicate++
      } else this.results.set(r.mutationId, r.status)
      if (r.status === 'rejected' || r.status === 'conflict')
        this.errors.push(
          `${r.mutationId} ${r.status} ${r.problem?.type ?? ''} ${r.problem?.detail ?? ''}`,
        )
    }
  }

  /** Pull the feed until it has no more; apply every change to the known cases. */
  async pull(): Promise<void> {
    for (;;) {
      const t0 = performance.now()
      const page = changesPage.parse(
        await this.request(`/office/v1/changes?since=${this.cursor}&limit=500`),
      )
      this.pullMs.push(performance.now() - t0)
      for (const c of page.changes) {
        this.seen.push(c.seq)
        applyChange(this.cases, c)
      }
      this.cursor = page.next
      if (!page.hasMore) return
    }
  }
}

/** The effect of one feed entry on a case map (register, assign, note; version from the feed). */
export function applyChange(cases: Map<string, KnownCase>, c: Change): void {
  const known = cases.get(c.caseId)
  if (c.type === 'case.register') {
    cases.set(c.caseId, {
      version: c.version,
      assignee: null,
      notes: 0,
      procedureId: String(c.payload.procedureId),
    })
    return
  }
  if (!known) return
  known.version = c.version
  if (c.type === 'case.assign') known.assignee = (c.payload.assignee as string | null) ?? null
  if (c.type === 'case.note') known.notes++
}
