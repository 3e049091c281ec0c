// The office phases of a sync pass (probe, leases, outbox, change feed) for a configured hub.
import {
  createOfficeClient,
  isInvalidToken,
  type DeskCredential,
  type OfficeClient,
} from '../../hub-client'
import { absenceClientOf, syncAbsences } from './absences'
import type { AppContext } from '../../core/context'
import type { UserTokenSource } from '../../core/identity'
import { pullChanges, type PullCounts } from './changefeed'
import { saveOfficeDirectory } from './directoryCache'
import { refillLeases, type LeaseOptions } from './leases'
import { pushOutbox, type PushCounts } from './outbox'
import { startFeedWatch, type FeedWatch, type FeedWatchOptions } from './feedWatch'

export interface OfficePhaseOptions {
  fetch?: typeof fetch
  batchSize?: number
  pageSize?: number
  lease?: LeaseOptions
  /** per-request timeout of the office client (default 30 s) */
  timeoutMs?: number
  /** cap on one JSON answer of the office face (default 64 MiB) */
  maxResponseBytes?: number
  /** change-feed push; `false` turns it off (the timer pulls) */
  feedWatch?: FeedWatchOptions | false
}

export interface OfficePhases {
  office: OfficeClient
  /** a cheap call that tells whether the hub answers; refreshes the cached directory */
  probe: () => Promise<void>
  leases: () => Promise<number>
  outbox: (onProgress: (done: number, total: number) => void) => Promise<PushCounts>
  changes: (onProgress: (done: number, total: number) => void) => Promise<PullCounts>
  /** keeps the change-feed push stream open while online (undefined: turned off) */
  watchChanges?: (hooks: { online: () => boolean; wake: () => void }) => FeedWatch
}

export function createOfficePhases(
  ctx: AppContext,
  hub: { url: string; desk: DeskCredential; tokens: UserTokenSource },
  opts: OfficePhaseOptions = {},
): OfficePhases {
  const office = createOfficeClient({
    baseUrl: hub.url,
    desk: hub.desk,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.maxResponseBytes ? { maxResponseBytes: opts.maxResponseBytes } : {}),
  })
  const absences = absenceClientOf(office)
  const watchOpts = opts.feedWatch
  return {
    office,
    ...(watchOpts === false
      ? {}
      : {
          watchChanges: (hooks: { online: () => boolean; wake: () => void }) =>
            startFeedWatch(ctx, { office, tokens: hub.tokens, ...hooks }, watchOpts),
        }),
    // the directory, leases and blob uploads need only the desk credential
    probe: async () => {
      saveOfficeDirectory(ctx.db, await office.directory())
    },
    leases: () => refillLeases(ctx, office, opts.lease),
    outbox: (onProgress) =>
      pushOutbox(
        ctx,
        {
          office,
          tokens: hub.tokens,
          ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
        },
        onProgress,
      ),
    // the change feed is read as the signed-in user (need-to-know: that user's team). Without a
    // valid token it waits: read as `system` the cursor would move past the team's changes for good.
    changes: async (onProgress) => {
      const none = { applied: 0, skipped: 0, pages: 0, blobs: 0 }
      const userToken = await hub.tokens.tokenFor(ctx.currentUser().userId)
      if (!userToken) return none
      let counts: PullCounts
      try {
        counts = await pullChanges(
          ctx,
          { office, userToken, ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) },
          onProgress,
        )
      } catch (err) {
        // the hub refused the token: the user must sign in again; the feed waits (pages already applied stay)
        if (isInvalidToken(err)) return none
        throw err
      }
      // Vertretungen travel with the other desks' changes (push the local ones, pull the office's)
      await syncAbsences(ctx, absences, hub.tokens)
      return counts
    },
  }
}
