// The office phases of a sync pass (probe, leases, outbox, change feed) for a configured hub.
import type { Db } from '../../../db/open'
import { getSetting, setSetting } from '../../../db/repositories/settings'
import {
  createAbsenceClient,
  createOfficeClient,
  type HubClient,
  type OfficeClient,
} from '../../hub-client'
import { syncAbsences, type AbsenceTokens } from './absences'
import type { AppContext } from '../../core/context'
import { pullChanges, type PullCounts } from './changefeed'
import { saveOfficeDirectory } from './directoryCache'
import { refillLeases, type LeaseOptions } from './leases'
import { pushOutbox, type PushCounts } from './outbox'

export interface OfficePhaseOptions {
  batchSize?: number
  pageSize?: number
  lease?: LeaseOptions
  /** the users' access tokens (Vertretung goes under its author's); none: the desk's credential */
  userTokens?: AbsenceTokens
}

export interface OfficePhases {
  office: OfficeClient
  /** a cheap call that tells whether the hub answers; refreshes the cached directory */
  probe: () => Promise<void>
  leases: () => Promise<number>
  outbox: (onProgress: (done: number, total: number) => void) => Promise<PushCounts>
  changes: (onProgress: (done: number, total: number) => void) => Promise<PullCounts>
}

/** This desk's id towards the office (stable per data folder). */
export function deskIdOf(db: Db, newId: () => string): string {
  const known = getSetting<string>(db, 'office.deskId')
  if (known) return known
  const id = newId()
  setSetting(db, 'office.deskId', id)
  return id
}

export function createOfficePhases(
  ctx: AppContext,
  client: HubClient,
  opts: OfficePhaseOptions = {},
): OfficePhases {
  const office = createOfficeClient(client)
  const absences = createAbsenceClient(client)
  const deskId = deskIdOf(ctx.db, ctx.newId)
  return {
    office,
    probe: async () => {
      saveOfficeDirectory(ctx.db, await office.directory())
    },
    leases: () => refillLeases(ctx, office, deskId, opts.lease),
    outbox: (onProgress) =>
      pushOutbox(
        ctx,
        { office, deskId, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) },
        onProgress,
      ),
    changes: async (onProgress) => {
      const counts = await pullChanges(
        ctx,
        { office, ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) },
        onProgress,
      )
      // Vertretungen travel with the other desks' changes (push the local ones, pull the office's)
      await syncAbsences(ctx, absences, opts.userTokens)
      return counts
    },
  }
}
