import { createApi, type BaseQueryFn } from '@reduxjs/toolkit/query/react'
import type { ApiError, EntityTag, Input, Method, Result } from '../../../preload/contract'
import { call } from './transport'

type Args = { method: Method; input: unknown }
const baseQuery: BaseQueryFn<Args, unknown, ApiError> = async ({ method, input }) => {
  const env = await call(method, input)
  return env.ok ? { data: env.value } : { error: env.error }
}

const q =
  <M extends Method>(method: M) =>
  (input: Input<M>) => ({ method, input })

type CaseAction =
  | 'cases.take'
  | 'cases.release'
  | 'cases.setStatus'
  | 'cases.addNote'
  | 'cases.setFollowUp'
  | 'cases.requestDocuments'
/** RTK Query over the contract: the renderer's only way to the core. */
export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Case', 'CaseList', 'IntakeLog', 'Sync'] satisfies EntityTag['type'][],
  endpoints: (b) => {
    /** A case action: one mutation that refreshes that case, the lists and the sync counters. */
    const action = <M extends CaseAction>(method: M) =>
      b.mutation<Result<M>, Input<M>>({
        query: q(method),
        invalidatesTags: (_r, _e, a) => [{ type: 'Case', id: a.id }, 'CaseList', 'Sync'],
      })
    return {
      appInfo: b.query<Result<'app.info'>, void>({
        query: () => ({ method: 'app.info', input: {} }),
      }),
      casesList: b.query<Result<'cases.list'>, Input<'cases.list'>>({
        query: q('cases.list'),
        providesTags: ['CaseList'],
      }),
      casesCounts: b.query<Result<'cases.counts'>, void>({
        query: () => ({ method: 'cases.counts', input: {} }),
        providesTags: ['CaseList'],
      }),
      casesGet: b.query<Result<'cases.get'>, Input<'cases.get'>>({
        query: q('cases.get'),
        providesTags: (_r, _e, a) => [{ type: 'Case', id: a.id }],
      }),
      casesSearch: b.query<Result<'cases.search'>, Input<'cases.search'>>({
        query: q('cases.search'),
        providesTags: ['CaseList'],
      }),
      documentsContent: b.query<Result<'documents.content'>, Input<'documents.content'>>({
        query: q('documents.content'),
        keepUnusedDataFor: 10,
      }),
      intakeLog: b.query<Result<'intake.log'>, Input<'intake.log'>>({
        query: q('intake.log'),
        providesTags: ['IntakeLog'],
      }),
      casesTake: action('cases.take'),
      casesRelease: action('cases.release'),
      casesSetStatus: action('cases.setStatus'),
      casesAddNote: action('cases.addNote'),
      casesSetFollowUp: action('cases.setFollowUp'),
      casesRequestDocuments: action('cases.requestDocuments'),
      sessionUsers: b.query<Result<'session.users'>, void>({
        query: () => ({ method: 'session.users', input: {} }),
      }),
      sessionLogin: b.mutation<Result<'session.login'>, Input<'session.login'>>({
        query: q('session.login'),
        invalidatesTags: ['CaseList', 'Case', 'Sync'],
        onQueryStarted: async (_a, { dispatch, queryFulfilled }) => {
          await queryFulfilled
          dispatch(api.util.resetApiState())
        },
      }),
      syncStatus: b.query<Result<'sync.status'>, void>({
        query: () => ({ method: 'sync.status', input: {} }),
        providesTags: ['Sync'],
      }),
      syncRun: b.mutation<Result<'sync.run'>, void>({
        query: () => ({ method: 'sync.run', input: {} }),
        invalidatesTags: ['CaseList', 'IntakeLog', 'Sync', 'Case'],
      }),
    }
  },
})

export const {
  useAppInfoQuery,
  useCasesListQuery,
  useCasesCountsQuery,
  useCasesGetQuery,
  useCasesSearchQuery,
  useDocumentsContentQuery,
  useIntakeLogQuery,
  useSyncStatusQuery,
  useSyncRunMutation,
  useCasesTakeMutation,
  useCasesReleaseMutation,
  useCasesSetStatusMutation,
  useCasesAddNoteMutation,
  useCasesSetFollowUpMutation,
  useCasesRequestDocumentsMutation,
  useSessionUsersQuery,
  useSessionLoginMutation,
} = api
