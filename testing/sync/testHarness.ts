// Test harness for office sync: a reference hub in-process and desks pointed at it (tests only).
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHub, type RunningHub } from '../../hub/server'
import { createDesk, type Desk } from '../../main/desk'
import { manualClock } from '../../main/core/clock'
import type { OfficePhaseOptions } from '../../main/features/sync/office'
import type { UserTokenSource } from '../../main/core/identity'
import { mintDemoAccessToken } from '../../hub/identity/mint'
import { registerDeskSync } from '../../hub/identity/register'

export interface TestDesk {
  desk: Desk
  /** while true every hub request of this desk fails like a pulled network cable */
  offline: boolean
  /** share of requests that fail (random drops), 0 by default */
  dropRate: number
  call<T = unknown>(method: string, input?: unknown): Promise<T>
  login(userId: string): Promise<void>
  /** this desk's id in the hub's desk registry */
  deskId: string
  /** users whose sign-in has lapsed: the token source has no token for them */
  signedOut: Set<string>
  /** the instant demo tokens are minted at (default the real time: the hub's clock) */
  tokenTime?: () => number
  /** the desk's clock (set, advance) */
  clock: ReturnType<typeof manualClock>
}

export async function startTestHub(
  dataDir = mkdtempSync(join(tmpdir(), 'office-hub-')),
  port?: number,
): Promise<RunningHub> {
  return startHub({ dataDir, ...(port ? { port } : {}) })
}

// desk data folder → desk id, per hub: every test desk gets its own desk credential, a reopened one the same
const allocated = new Map<string, Map<string, string>>()
function allocateDesk(hubDir: string, deskDir: string): string {
  const mine = allocated.get(hubDir) ?? new Map<string, string>()
  allocated.set(hubDir, mine)
  const known = mine.get(deskDir)
  if (known) return known
  const desks = (
    JSON.parse(readFileSync(join(hubDir, 'hub.json'), 'utf8')) as { desks?: { deskId: string }[] }
  ).desks
  const used = new Set(mine.values())
  const free = desks?.find((d) => !used.has(d.deskId))?.deskId ?? registerDeskSync(hubDir).deskId
  mine.set(deskDir, free)
  return free
}

/** Demo access tokens for the harness's desks (what the desk's OIDC sign-in provides in production). */
export function demoTokenSource(
  hubDir: string,
  opts: { signedOut?: ReadonlySet<string>; now?: () => number } = {},
): UserTokenSource {
  return {
    tokenFor: async (userId) =>
      opts.signedOut?.has(userId)
        ? undefined
        : mintDemoAccessToken({
            dataDir: hubDir,
            userId,
            ...(opts.now ? { now: opts.now() } : {}),
          }),
  }
}

export function makeTestDesk(
  hub: { url: string; dataDir: string },
  opts: {
    dataDir?: string
    random?: () => number
    office?: OfficePhaseOptions
    now?: string
    deskId?: string
    atRest?: 'encrypted' | 'plaintext'
    /** the network under the simulated drops (default the real fetch) */
    fetch?: typeof fetch
    /** per-request timeout of the desk's hub clients (default 30 s) */
    timeoutMs?: number
    /** 'session': the desk's own OIDC sign-in against the hub's IdP provides the tokens and
     * `login` signs in with the demo password (default 'demo': minted demo tokens, adopt) */
    tokens?: 'demo' | 'session'
  } = {},
): TestDesk {
  const random = opts.random ?? Math.random
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'office-desk-'))
  const clock = manualClock(opts.now ?? '2026-11-27T09:00:00Z')
  const t: TestDesk = {
    clock,
    offline: false,
    dropRate: 0,
    deskId: opts.deskId ?? allocateDesk(hub.dataDir, dataDir),
    signedOut: new Set(),
    desk: undefined as unknown as Desk,
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const r = await t.desk.dispatch(method, input)
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
      return r.value as T
    },
    // in-process sign-in: the harness holds the data folder (the desk's API needs a password)
    async login(userId: string) {
      if (opts.tokens === 'session') {
        await t.call('session.login', { userId, password: 'demo' })
        return
      }
      t.desk.session.adopt(userId)
      await Promise.resolve()
    },
  }
  const flaky: typeof fetch = async (input, init) => {
    if (t.offline || (t.dropRate > 0 && random() < t.dropRate))
      throw new TypeError('fetch failed (simulated network drop)')
    const res = await (opts.fetch ?? fetch)(input, init)
    // a drop after the hub answered: the request took effect, the answer is lost
    if (t.dropRate > 0 && random() < t.dropRate / 2) {
      await res.body?.cancel()
      throw new TypeError('fetch failed (simulated lost response)')
    }
    return res
  }
  t.desk = createDesk({
    dataDir,
    ...(opts.tokens === 'session'
      ? {}
      : {
          userTokens: demoTokenSource(hub.dataDir, {
            signedOut: t.signedOut,
            now: () => t.tokenTime?.() ?? Date.now(),
          }),
        }),
    mode: 'browser',
    clock,
    hubPhaseOptions: {
      fetch: flaky,
      office: opts.office ?? {},
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    },
    engine: { random, baseBackoffMs: 10, maxBackoffMs: 50 },
    ...(opts.atRest ? { atRest: opts.atRest } : {}),
  })
  t.desk.connectHub(hub.url, join(hub.dataDir, 'hub.json'), { deskId: t.deskId })
  return t
}
