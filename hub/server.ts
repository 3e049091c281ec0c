// The reference hub (docs/hub-protocol.md, "Intake"): a fastify server over the hub's storage —
// hub.sqlite in the data folder, or PostgreSQL (`database`) shared by several hub processes.
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import type { FastifyRequest } from 'fastify'
import { intakeStore } from './store'
import { secureHubDir, secureHubTree } from './secureFs'
import { openHubStorage } from './storage/hub'
import type { Store } from './store'
import { DEMO_DESKS, bootstrapIfEmpty, ensureCertificates, writeHubConfig } from './bootstrap'
import type { HubConfig } from './bootstrap'
import { createDeskRegistry, type DeskCredential } from './identity/desks'
import { OFFICE_AUDIENCE, ensureIdpKeys, publicJwks, writeIdpInfo } from './identity/files'
import { createOfficeAuth } from './identity/officeAuth'
import { MOUNT, createEmbeddedIdp } from './identity/provider'
import { createTokenVerifier } from './identity/verify'
import { loadOfficeDirectory } from './office/directory'
import { EVENT, setSubject } from './sets'
import type { Jwk } from './keys'
import { HttpProblem, notFound } from './problems'
import { registerOffice } from './office/routes'
import type { FeedPushOptions } from './office/feedPush'
import { registerIntake } from './intake'
import { registerReplies } from './replies'
import { createReplyMailer } from './replyMail'
import { createSweep, type SweepResult } from './rules'
import { createAuth, type Clock, type HubRuntime } from './runtime'
import { signSet } from './sets'
import { registerDemoTsa } from './tsa/http'

export type { HubConfig, DestinationKeysFile } from './bootstrap'
export {
  AUTO_REJECT_AFTER_MS,
  DAY_MS,
  DELETE_AFTER_PICKUP_MS,
  DELETE_UNCLAIMED_AFTER_MS,
  type SweepResult,
} from './rules'
export type { Clock } from './runtime'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface FaultOptions {
  /** share of /v1 and /office requests answered with 503 before the handler runs */
  errorRate?: number
  /** share of /v1 and /office requests whose connection is reset after the handler ran (response lost) */
  resetRate?: number
  /** each /v1 and /office request is delayed by a uniform random 0..maxLatencyMs */
  maxLatencyMs?: number
  /** random source in [0,1), default Math.random */
  random?: () => number
}

export const DEFAULT_FAULTS: Required<Omit<FaultOptions, 'random'>> = {
  errorRate: 0.2,
  resetRate: 0.1,
  maxLatencyMs: 2000,
}

export interface StartHubOptions {
  dataDir: string
  /**
   * postgres://USER@HOST:PORT/DB: the hub's stores in PostgreSQL (configuration and keys stay in
   * dataDir); undefined: hub.sqlite in dataDir
   */
  database?: string
  /** connections per process to PostgreSQL (default 10) */
  poolSize?: number
  /** 0 or undefined: a free port */
  port?: number
  clock?: Clock
  /** request body limit, default 30 MiB; larger bodies get 413 */
  maxBodyBytes?: number
  /** true = DEFAULT_FAULTS */
  faults?: FaultOptions | boolean
  /** change-feed push bounds (hub/office/feedPush.ts) */
  feedPush?: FeedPushOptions
  /** lifetime of the /token client-credentials tokens, default 3600 s */
  tokenTtlSeconds?: number
  /** lifetime of the embedded IdP's user access tokens, default 600 s */
  accessTokenTtlSeconds?: number
}

export interface RunningHub {
  url: string
  port: number
  dataDir: string
  /** the content of hub.json */
  config: HubConfig
  /** applies the 14/21/7-day rules now (also run lazily before every /v1 request) */
  sweep(): Promise<SweepResult>
  /** switch fault injection on/off at runtime */
  setFaults(faults: FaultOptions | false): void
  /** state of a submission, for tests and tools */
  submissionState(submissionId: string): Promise<string | undefined>
  /** the embedded IdP's issuer (`<url>/oidc`), or the external one of hub.json */
  issuer: string
  /** registers a new desk (random 256-bit secret, appended to hub.json); the secret is shown once */
  registerDesk(deskId?: string): Promise<DeskCredential>
  close(): Promise<void>
}

export async function startHub(opts: StartHubOptions): Promise<RunningHub> {
  const clock: Clock = opts.clock ?? Date.now
  const tokenTtl = opts.tokenTtlSeconds ?? 3600
  // 0700 folder, 0600 files (hub.sqlite and its -wal/-shm, hub.json, key files), whatever the umask
  secureHubDir(opts.dataDir)
  const storage = await openHubStorage(opts)
  const store: Store = intakeStore(storage)
  const desks = createDeskRegistry(storage, clock)
  let config: HubConfig
  try {
    // several processes on one database: one bootstraps, the others wait and read hub.json
    config = await storage
      .lock('hub.bootstrap', async () => {
        let c = await bootstrapIfEmpty(store, opts.dataDir)
        await ensureCertificates(store, c)
        // a data folder from before the desk registry: its three demo desks are added once
        if (!c.desks || ((await desks.count()) === 0 && c.desks.length === 0)) {
          const ids = c.destinations.map((d) => d.destinationId)
          c = { ...c, desks: [] }
          for (let i = 0; i < DEMO_DESKS; i++) c.desks!.push(await desks.register(ids))
          writeHubConfig(opts.dataDir, c)
        }
        return c
      })
      .then((r) => (r.ran ? r.value : undefined)!)
    secureHubTree(opts.dataDir)
  } catch (e) {
    await storage.close()
    throw e
  }
  const destinationIds = config.destinations.map((d) => d.destinationId)
  const directory = loadOfficeDirectory()
  const external = config.identity
  let embeddedIssuer = ''
  const idpKeys = external ? undefined : await ensureIdpKeys(opts.dataDir)
  const idp = idpKeys
    ? createEmbeddedIdp({
        storage,
        keys: idpKeys,
        users: () => directory.users,
        office: directory.office,
        clock,
        ...(opts.accessTokenTtlSeconds
          ? { accessTokenTtlSeconds: opts.accessTokenTtlSeconds }
          : {}),
      })
    : undefined
  const verify = createTokenVerifier(
    external
      ? {
          issuer: () => external.issuer,
          audience: external.audience,
          clock,
          // Keycloak, ADFS and Entra ID sign access tokens with typ JWT
          types: ['at+jwt', 'jwt'],
          ...(external.userClaim ? { userClaim: external.userClaim } : {}),
        }
      : {
          issuer: () => embeddedIssuer,
          audience: OFFICE_AUDIENCE,
          clock,
          keys: publicJwks(idpKeys!),
        },
  )
  const submission = async (submissionId: string) => {
    const s = await store.q.getSubmission.get(submissionId)
    if (!s || s.state === 'incomplete') return undefined
    // accepted by a subscriber: the accept SET is in the event log (it stays after the 7-day deletion)
    // (several submissions may share a case: only this submission's accept counts)
    const accepted = (await store.q.events.all(s.case_id)).some(
      (e) => e.event === EVENT.accept && setSubject(e.token) === `submission:${submissionId}`,
    )
    // rejected (by the desk or the 14-day rule) without an accept: never a case
    if (!accepted && s.state !== 'submitted') return undefined
    return { destinationId: s.destination_id, accepted }
  }

  const hubKeyRows = await store.q.hubKeys.all()
  const hubKeyRow = hubKeyRows[0]
  if (!hubKeyRow) {
    await storage.close()
    throw new Error('hub signing key missing from the store')
  }
  const hubPrivateJwk = JSON.parse(hubKeyRow.private_jwk) as Jwk
  const hubPublicJwks = hubKeyRows.map((r) => JSON.parse(r.public_jwk) as Jwk)

  let faults: Required<FaultOptions> | null = null
  const setFaults = (f: FaultOptions | boolean | undefined) => {
    faults = f ? { ...DEFAULT_FAULTS, random: Math.random, ...(f === true ? {} : f) } : null
  }
  setFaults(opts.faults)

  const app = Fastify({
    logger: false,
    bodyLimit: opts.maxBodyBytes ?? 30 * 1024 * 1024,
    forceCloseConnections: true,
  })
  let issuer = 'urn:aktenfluss:hub'
  // RFC 7807 `instance` (FIT-Connect: format uri) as an absolute URI under the hub's address
  const absolute = (path: string) => (issuer.startsWith('http') ? issuer + path : path)

  // the embedded OpenID Provider under /oidc (before every other hook: it reads its own bodies)
  idp?.mount(app)

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    },
  )
  app.addContentTypeParser(
    ['application/jose', 'text/plain'],
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, (body as string).trim())
    },
  )

  app.setErrorHandler((err: unknown, req, reply) => {
    let problem: HttpProblem
    if (err instanceof HttpProblem) problem = err
    else {
      const e = err as { statusCode?: number; code?: string; message?: string }
      const status =
        typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600
          ? e.statusCode
          : 500
      if (status === 413)
        problem = new HttpProblem(413, 'payload-too-large', 'Payload too large', e.message)
      else if (status === 415)
        problem = new HttpProblem(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          e.message,
        )
      else if (status < 500)
        problem = new HttpProblem(status, 'validation', 'Invalid request', e.message)
      else {
        console.error(`hub: ${req.method} ${req.url} failed:`, err)
        problem = new HttpProblem(500, 'internal', 'Internal server error')
      }
    }
    for (const [k, v] of Object.entries(problem.headers)) void reply.header(k, v)
    void reply
      .code(problem.status)
      .type('application/problem+json')
      .send(problem.toProblem(absolute(req.url)))
  })
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(
        notFound(`No route ${req.method} ${req.url.split('?')[0]}`).toProblem(absolute(req.url)),
      )
  })

  // ---- fault injection (/v1, /v2 and /office; /token and /.well-known stay reliable) ----
  const faultable = (url: string) =>
    url.startsWith('/v1/') || url.startsWith('/v2/') || url.startsWith('/office/')
  app.addHook('onRequest', async (req) => {
    const f = faults
    if (!f || !faultable(req.url)) return
    if (f.maxLatencyMs > 0) await sleep(Math.floor(f.random() * f.maxLatencyMs))
    if (f.random() < f.errorRate)
      throw new HttpProblem(503, 'injected-fault', 'Service unavailable (injected fault)')
    if (f.random() < f.resetRate)
      (req as FastifyRequest & { resetAfter?: boolean }).resetAfter = true
  })
  app.addHook('onSend', async (req, reply, payload) => {
    if ((req as FastifyRequest & { resetAfter?: boolean }).resetAfter) {
      req.raw.socket.destroy()
      reply.hijack()
    }
    return payload
  })

  const hubSet: HubRuntime['hubSet'] = (s, event, payload) =>
    signSet(hubPrivateJwk, {
      iss: issuer,
      submissionId: s.submission_id,
      caseId: s.case_id,
      event,
      payload,
      iat: Math.floor(clock() / 1000),
    })
  const { sweep, lastSweep } = createSweep(store, clock, hubSet)
  const auth = createAuth(store, clock)

  app.addHook('preHandler', async (req) => {
    if (req.url.startsWith('/v1/') && clock() - lastSweep() >= 1000) await sweep()
  })

  registerIntake(app, { store, clock, config, tokenTtl, hubPublicJwks, ...auth, hubSet })
  // ---- Rückkanal: replies to the applicant (/v2/replies) ----
  registerReplies(app, {
    store,
    clock,
    requireRole: auth.requireRole,
    requireDestination: auth.requireDestination,
    hubPrivateJwk,
    issuer: () => issuer,
    mailer: createReplyMailer(opts.dataDir, () => issuer),
  })

  // ---- office face (/office/v1) ----
  registerOffice(app, {
    storage,
    clock,
    directory,
    submission,
    authenticate: createOfficeAuth({ desks, verify, directory: () => directory }),
    ...(opts.feedPush ? { feedPush: opts.feedPush } : {}),
  })
  // ---- demo PKI: RFC 3161 time-stamping (POST /tsa) and the demo CA's CRL (GET /pki/demo-ca.crl) ----
  registerDemoTsa(app)

  try {
    await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 })
  } catch (e) {
    await storage.close()
    throw e
  }
  const port = (app.server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  issuer = url
  if (idp) {
    embeddedIssuer = `${url}${MOUNT}`
    idp.start(embeddedIssuer)
    writeIdpInfo(opts.dataDir, { issuer: embeddedIssuer, audience: OFFICE_AUDIENCE })
  }

  let closed = false
  const hub: RunningHub = {
    url,
    port,
    dataDir: opts.dataDir,
    config,
    sweep,
    setFaults: (f) => setFaults(f),
    submissionState: async (id) => (await store.q.getSubmission.get(id))?.state,
    issuer: external ? external.issuer : embeddedIssuer,
    registerDesk: async (deskId) => {
      const credential = await desks.register(destinationIds, deskId)
      config = { ...config, desks: [...(config.desks ?? []), credential] }
      writeHubConfig(opts.dataDir, config)
      hub.config = config
      return credential
    },
    close: async () => {
      if (closed) return
      closed = true
      await app.close()
      await storage.close()
    },
  }
  return hub
}
