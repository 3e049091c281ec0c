import { createHubClient, parseDestinationKeys, type DestinationKeys } from '../../hub-client'
import type { AppContext } from '../../core/context'
import { loadHubCredentials, type HubCredentials } from './hubConnection'
import { runIntakePass, type IntakeDeps } from '../intake/intake'
import { loadOpenerConfig } from '../intake/openConfig'
import { assetPath } from '../../core/procedures'
import type { SecretStore } from '../../core/secrets'
import { noUserTokens, type UserTokenSource } from '../../core/identity'
import type { SyncPhases } from './engine'
import { createOfficePhases, type OfficePhaseOptions } from './office'
import { runReplyPass } from '../replies/pass'

export interface HubPhaseOptions {
  /** test hook, see IntakeDeps.afterStore */
  afterStore?: IntakeDeps['afterStore']
  concurrency?: number
  fetch?: typeof fetch
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
  const client = createHubClient({
    baseUrl: creds.url,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    clock: () => ctx.clock.now().getTime(),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  })
  let keys: Promise<DestinationKeys> | undefined
  const opener = loadOpenerConfig(assetPath())
  // office face (outbox, change feed, leases); off for a single desk talking to FIT-Connect directly
  const office = creds.officeEnabled
    ? createOfficePhases(
        ctx,
        { url: creds.url, desk: creds.desk, tokens: opts.userTokens ?? noUserTokens },
        { ...(opts.fetch ? { fetch: opts.fetch } : {}), ...opts.office },
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
        }
      : {}),
    intake: async (onProgress) => {
      keys ??= parseDestinationKeys(JSON.parse(creds.destinationKeysJson))
      const result = await runIntakePass(
        ctx,
        {
          client,
          keys: await keys,
          opener,
          concurrency: opts.concurrency ?? 4,
          ...(opts.afterStore ? { afterStore: opts.afterStore } : {}),
        },
        onProgress,
      )
      // the Rückkanal talks to the same Submission API; its failures stay on its rows
      await runReplyPass(ctx, client).catch(() => undefined)
      return result
    },
  }
}
