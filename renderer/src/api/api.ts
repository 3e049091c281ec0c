/**
 * RTK Query over the contract: the renderer's only way to the core. Every endpoint is generated
 * from preload/contract (kind, input, result and cache tags are declared there once); screens
 * use the three typed hooks below with the method name, e.g. `useApiQuery('cases.get', { id })`.
 */
import {
  createApi,
  skipToken,
  type BaseQueryFn,
  type EndpointBuilder,
  type MutationDefinition,
  type QueryDefinition,
} from '@reduxjs/toolkit/query/react'
import type {
  SkipToken,
  TypedLazyQueryTrigger,
  TypedMutationTrigger,
  TypedUseLazyQueryStateResult,
  TypedUseMutationResult,
  TypedUseQueryHookResult,
  TypedUseQuerySubscriptionOptions,
} from '@reduxjs/toolkit/query/react'
import {
  contract,
  methods,
  tagsFor,
  TAG_TYPES,
  type ApiError,
  type EntityTag,
  type Input,
  type Method,
  type MutationMethod,
  type QueryMethod,
  type Result,
  type TagType,
} from '../../../preload/contract/index'
import { call } from './transport'

type Args = { method: Method; input: unknown }
type BaseQuery = BaseQueryFn<Args, unknown, ApiError>
const baseQuery: BaseQuery = async ({ method, input }, { dispatch }) => {
  const env = await call(method, input as never)
  // locked (idle) or signed out meanwhile: the session gate looks again and shows its screen
  if (!env.ok && env.error.code === 'unauthenticated' && !method.startsWith('session.'))
    dispatch(api.util.invalidateTags(['Session']))
  return env.ok ? { data: env.value } : { error: env.error }
}

type RtkTag = TagType | { type: TagType; id: string }
const toRtk = (tags: readonly EntityTag[]): RtkTag[] =>
  tags.map((t) => ('id' in t && t.id ? { type: t.type, id: t.id } : t.type))

type Endpoints = {
  [M in QueryMethod]: QueryDefinition<Input<M>, BaseQuery, TagType, Result<M>, 'api'>
} & {
  [M in MutationMethod]: MutationDefinition<Input<M>, BaseQuery, TagType, Result<M>, 'api'>
}

function buildEndpoints(b: EndpointBuilder<BaseQuery, TagType, 'api'>): Endpoints {
  const out: Record<string, unknown> = {}
  for (const method of methods) {
    const def = contract[method]
    const query = (input: unknown) => ({ method, input: input ?? {} })
    if (def.kind === 'query') {
      out[method] = b.query<unknown, unknown>({
        query,
        providesTags: (_r, _e, arg) =>
          toRtk(tagsFor(def.provides as (i: unknown) => EntityTag[], arg ?? {})),
        ...(def.keepFor === undefined ? {} : { keepUnusedDataFor: def.keepFor }),
      })
    } else {
      out[method] = b.mutation<unknown, unknown>({
        query,
        invalidatesTags: (_r, _e, arg) =>
          toRtk(tagsFor(def.invalidates as (i: unknown) => EntityTag[], arg ?? {})),
        ...('resetsCache' in def && def.resetsCache
          ? {
              onQueryStarted: async (_a, { dispatch, queryFulfilled }) => {
                await queryFulfilled
                dispatch(api.util.resetApiState())
              },
            }
          : {}),
      })
    }
  }
  return out as Endpoints
}

export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: TAG_TYPES,
  endpoints: buildEndpoints,
})

type Hooks = Record<string, { useQuery: unknown; useLazyQuery: unknown; useMutation: unknown }>
const hooks = api.endpoints as unknown as Hooks

type QueryOptions = TypedUseQuerySubscriptionOptions & { skip?: boolean }

/** A query by method name: `useApiQuery('cases.list', { view: 'meine' })`; `skipToken` skips. */
export function useApiQuery<M extends QueryMethod>(
  method: M,
  input: Input<M> | SkipToken,
  options?: QueryOptions,
): TypedUseQueryHookResult<Result<M>, Input<M>, BaseQuery> {
  const use = hooks[method]!.useQuery as (
    i: unknown,
    o?: QueryOptions,
  ) => TypedUseQueryHookResult<Result<M>, Input<M>, BaseQuery>
  return use(input, options)
}

/** A query started by the screen (`const [load, result] = useApiLazyQuery('team.balance')`). */
export function useApiLazyQuery<M extends QueryMethod>(
  method: M,
): readonly [
  TypedLazyQueryTrigger<Result<M>, Input<M>, BaseQuery>,
  TypedUseLazyQueryStateResult<Result<M>, Input<M>, BaseQuery>,
] {
  const use = hooks[method]!.useLazyQuery as () => readonly [
    TypedLazyQueryTrigger<Result<M>, Input<M>, BaseQuery>,
    TypedUseLazyQueryStateResult<Result<M>, Input<M>, BaseQuery>,
  ]
  return use()
}

/** A mutation by method name: `const [take] = useApiMutation('casework.take')`. */
export function useApiMutation<M extends MutationMethod>(
  method: M,
): readonly [
  TypedMutationTrigger<Result<M>, Input<M>, BaseQuery>,
  TypedUseMutationResult<Result<M>, Input<M>, BaseQuery>,
] {
  const use = hooks[method]!.useMutation as () => readonly [
    TypedMutationTrigger<Result<M>, Input<M>, BaseQuery>,
    TypedUseMutationResult<Result<M>, Input<M>, BaseQuery>,
  ]
  return use()
}

export { skipToken }
