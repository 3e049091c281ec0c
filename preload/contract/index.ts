/**
 * The one declaration of the API the renderer sees (docs/architecture.md, "One contract"): one
 * file per namespace beside this one, each method with its zod input schema, result type and
 * cache tags. Main registers one handler file per namespace (main/features/<namespace>/handler.ts),
 * the preload and the browser bridge expose it, the renderer's RTK Query endpoints are generated
 * from it (renderer/src/api/api.ts).
 */
import type { z } from 'zod'
import { app } from './app'
import { archive } from './archive'
import { cases } from './cases'
import { casework } from './casework'
import { decisions } from './decisions'
import { intake } from './intake'
import { notices } from './notices'
import { records } from './records'
import type { EntityTag, Envelope } from './shared'
import type { SyncStatus } from './sync'
import { session } from './session'
import { sync } from './sync'
import { team } from './team'
import { views } from './views'

export * from './app'
export * from './archive'
export * from './cases'
export * from './casework'
export * from './decisions'
export * from './intake'
export * from './notices'
export * from './records'
export * from './session'
export * from './shared'
export * from './sync'
export * from './team'
export * from './views'

export const contract = {
  ...app,
  ...session,
  ...cases,
  ...casework,
  ...intake,
  ...decisions,
  ...notices,
  ...team,
  ...views,
  ...records,
  ...archive,
  ...sync,
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type Input<M extends Method> = z.input<Contract[M]['input']>
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>
export type Result<M extends Method> = Contract[M]['result']
export type QueryMethod = { [M in Method]: Contract[M]['kind'] extends 'query' ? M : never }[Method]
export type MutationMethod = Exclude<Method, QueryMethod>
export const methods = Object.keys(contract) as Method[]

export interface Events {
  changed: { tags: EntityTag[] }
  'sync.progress': { phase: 'intake' | 'outbox' | 'changes'; done: number; total: number }
  'sync.status': SyncStatus
}
export type EventName = keyof Events

/** `cases.list` → `{ cases: { list } }`: the namespaced object the renderer sees. */
export type Namespace = Method extends `${infer N}.${string}` ? N : never
export type MethodsOf<N extends string> = Extract<Method, `${N}.${string}`>
export type Leaf<M extends Method> = M extends `${string}.${infer L}` ? L : never
export type AktenflussApi = {
  [N in Namespace]: {
    [M in MethodsOf<N> as Leaf<M>]: (input: Input<M>) => Promise<Envelope<Result<M>>>
  }
} & {
  events: {
    subscribe: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => () => void
  }
}

export const IPC_CALL = 'aktenfluss:call'
export const IPC_EVENT = 'aktenfluss:event'
