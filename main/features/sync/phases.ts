import {
  HubProblemError,
  createHubClient,
  parseDestinationKeyList,
  type DestinationKeys,
} from '../../hub-client'
import type { AppContext } from '../../core/context'
import { loadHubCredentials, type HubCredentials } from './hubConnection'
import { runIntakePass, type IntakeDeps } from '../intake/intake'
import { loadOpenerConfig } from '../intake/openConfig'
import { createIntakePool } from '../intake/openPool'
import { assetPath } from '../../core/procedures'
import type { SecretStore } from '../../core/secrets'
import { noUserTokens, type UserTokenSource } from '../../core/identity'
import type { IntakeCounts, SyncPhases } from './engine'
import { createOfficePhases, type OfficePhaseOptions } from './office'
import { runReplyPass } from '../replies/pass'

export interface HubPhaseOptions {
  /** test hook, see IntakeDeps.afterStore */
  afterStore?: IntakeDeps['afterStore']
  concurrency?: number
  /**
   * fetch + decrypt + verify in the worker pool (default); false: on the main thread. A desk with
   * an injected `fetch` has no pool (a function cannot reach a worker thread).
   */
  pool?: boolean
  fetch?: typeof fetch
  /** per-request timeout of the intake and office clients (default 30 s) */
  timeoutMs?: number
  /** office sync: batch and page sizes, lease pool */
  office?: OfficePhaseOptions
  /** the signed-in users' office access tokens (none: user changes wait, the change feed waits) */
  userTokens?: UserTokenSource
}

/** The sync phases for a configured hub; undefined when the desk has no hub yet. */
export function createHubPhases(
  ctx: AppContext,
  secrets: SecretStore,
  opts: HubPhaseOptions = {},
): SyncPhases | undefined {
  const creds: HubCredentials | undefined = loadHubCredentials(ctx.db, secrets)
  if (!creds) return undefined
  // FIT-Connect: the Submission API and its token endpoint are separate hosts (configuration file)
  const client = createHubClient({
    baseUrl: creds.submissionApiUrl ?? creds.url,
    ...(creds.tokenUrl ? { tokenUrl: creds.tokenUrl } : {}),
    ...(creds.tokenScope ? { tokenScope: creds.tokenScope } : {}),
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    clock: () => ctx.clock.now().getTime(),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  })
  let keys: Promise<DestinationKeys[]> | undefined
  const opener = loadOpenerConfig(assetPath())
  // the workers build their own client from the same connection (the secret travels in memory only)
  const pool =
    opts.pool === false || opts.fetch
      ? undefined
      : createIntakePool({
          connection: {
            baseUrl: creds.submissionApiUrl ?? creds.url,
            clientId: creds.clientId,
            clientSecret: creds.clientSecret,
            ...(creds.tokenUrl ? { tokenUrl: creds.tokenUrl } : {}),
            ...(creds.tokenScope ? { tokenScope: creds.tokenScope } : {}),
            ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          },
          opener,
        })
  // office face (outbox, change feed, leases); off for a single desk talking to FIT-Connect directly
  const office = creds.officeEnabled
    ? createOfficePhases(
        ctx,
        { url: creds.url, desk: creds.desk, tokens: opts.userTokens ?? noUserTokens },
        {
          ...(opts.fetch ? { fetch: opts.fetch } : {}),
          ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          ...opts.office,
        },
      )
    : undefined
  return {
    client,
    credentials: creds,
    ...(office
      ? {
          probe: office.probe,
          leases: office.leases,
          outbox: office.outbox,
          changes: office.changes,
          ...(office.watchChanges ? { watchChanges: office.watchChanges } : {}),
        }
      : {}),
    intake: async (onProgress) => {
      keys ??= parseDestinationKeyList(JSON.parse(creds.destinationKeysJson))
      // one pass per destination (each lists its own submissions and signs its own SETs)
      // one that fails (listing refused, host down) does not hold back the others
      const total: IntakeCounts = { accepted: 0, rejected: 0, acknowledged: 0, total: 0 }
      const all = await keys
      const errors: unknown[] = []
      for (const destination of all) {
        let c: IntakeCounts
        try {
          c = await runIntakePass(
            ctx,
            {
              client,
              keys: destination,
              opener,
              ...(pool ? { pool } : {}),
              concurrency: opts.concurrency ?? 4,
              ...(opts.afterStore ? { afterStore: opts.afterStore } : {}),
            },
            onProgress,
          )
        } catch (err) {
          errors.push(refusedDestination(destination.destinationId, err))
          continue
        }
        total.accepted += c.accepted
        total.rejected += c.rejected
        total.acknowledged += c.acknowledged
        total.total += c.total
        if (c.quarantined) total.quarantined = (total.quarantined ?? 0) + c.quarantined
        if (c.failed) {
          total.failed = (total.failed ?? 0) + c.failed
          total.lastError = c.lastError
        }
      }
      // the Rückkanal talks to the same Submission API; its failures stay on its rows
      await runReplyPass(ctx, client).catch(() => undefined)
      if (errors.length === all.length) throw errors[0]
      if (errors.length) {
        total.failed = (total.failed ?? 0) + errors.length
        total.lastError = errors[0]
      }
      return total
    },
  }
}

/**
 * A destination FIT-Connect refuses to list (not assigned to this subscriber client, deleted, a
 * typo in the configuration) in German; network errors and 5xx stay as they are (retried).
 */
function refusedDestination(destinationId: string, err: unknown): unknown {
  // only the list call of that destination; a refused token (wrong client secret) stays as it is
  if (
    !(err instanceof HubProblemError) ||
    ![403, 404].includes(err.status) ||
    !err.url.includes('/v1/submissions?')
  )
    return err
  return new Error(
    `Zustellpunkt ${destinationId}: ${err.status === 404 ? 'unbekannt' : 'kein Zugriff für diesen Client'} (HTTP ${err.status}). Bitte im Self-Service-Portal prüfen, ob der Zustellpunkt dem Subscriber-Client zugeordnet ist, und die Destination-ID in der Konfigurationsdatei vergleichen.`,
    { cause: err },
  )
}
