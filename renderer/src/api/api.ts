import { createApi, type BaseQueryFn } from '@reduxjs/toolkit/query/react'
import type { ApiError, Input, Method, Result } from '../../../preload/contract'
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
  | 'notices.confirmLate'
  | 'cases.close'
  | 'cases.reopen'
  | 'decisions.decide'
  | 'decisions.cosign'
  | 'decisions.returnForChanges'
  | 'notices.issue'
  | 'notices.markPosted'
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
  tagTypes: ['Case', 'CaseList', 'IntakeLog', 'Sync', 'Views'],
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
      decisionsGet: b.query<Result<'decisions.get'>, Input<'decisions.get'>>({
        query: q('decisions.get'),
        providesTags: (_r, _e, a) => [{ type: 'Case', id: a.id }],
      }),
      decisionsDecide: action('decisions.decide'),
      decisionsCosign: action('decisions.cosign'),
      decisionsReturnForChanges: action('decisions.returnForChanges'),
      decisionsCosignInbox: b.query<Result<'decisions.cosignInbox'>, void>({
        query: () => ({ method: 'decisions.cosignInbox', input: {} }),
        providesTags: ['CaseList'],
      }),
      noticesSummary: b.query<Result<'notices.summary'>, Input<'notices.summary'>>({
        query: q('notices.summary'),
        providesTags: (_r, _e, a) => [{ type: 'Case', id: a.id }],
        keepUnusedDataFor: 0,
      }),
      noticesPostOutbox: b.query<Result<'notices.postOutbox'>, void>({
        query: () => ({ method: 'notices.postOutbox', input: {} }),
        providesTags: ['CaseList'],
      }),
      noticesMarkPosted: action('notices.markPosted'),
      noticesIssue: action('notices.issue'),
      noticesConfirmLate: action('notices.confirmLate'),
      noticesForgetPassword: b.mutation<Result<'notices.forgetPassword'>, Input<'notices.forgetPassword'>>({ query: q('notices.forgetPassword'), invalidatesTags: ['Case'] }),
      noticesPreview: b.query<Result<'notices.preview'>, Input<'notices.preview'>>({
        query: q('notices.preview'),
        providesTags: (_r, _e, a) => [{ type: 'Case', id: a.id }],
        keepUnusedDataFor: 5,
      }),
      teamDashboard: b.query<Result<'team.dashboard'>, void>({ query: () => ({ method: 'team.dashboard', input: {} }), providesTags: ['CaseList'] }),
      teamBalance: b.query<Result<'team.balance'>, Input<'team.balance'>>({ query: q('team.balance'), keepUnusedDataFor: 0 }),
      teamAbsences: b.query<Result<'team.absences'>, void>({ query: () => ({ method: 'team.absences', input: {} }), providesTags: ['CaseList'] }),
      teamSetAbsence: b.mutation<Result<'team.setAbsence'>, Input<'team.setAbsence'>>({ query: q('team.setAbsence'), invalidatesTags: ['CaseList'] }),
      teamEndAbsence: b.mutation<Result<'team.endAbsence'>, Input<'team.endAbsence'>>({ query: q('team.endAbsence'), invalidatesTags: ['CaseList'] }),
      casesAssign: b.mutation<Result<'cases.assign'>, Input<'cases.assign'>>({ query: q('cases.assign'), invalidatesTags: ['CaseList', 'Case', 'Sync'] }),
      viewsList: b.query<Result<'views.list'>, void>({ query: () => ({ method: 'views.list', input: {} }), providesTags: ['Views'] }),
      viewsSave: b.mutation<Result<'views.save'>, Input<'views.save'>>({ query: q('views.save'), invalidatesTags: ['Views'] }),
      viewsDelete: b.mutation<Result<'views.delete'>, Input<'views.delete'>>({ query: q('views.delete'), invalidatesTags: ['Views'] }),
      viewsSetColumns: b.mutation<Result<'views.setColumns'>, Input<'views.setColumns'>>({ query: q('views.setColumns'), invalidatesTags: ['Views'] }),
      casesClose: action('cases.close'),
      casesReopen: action('cases.reopen'),
      archiveList: b.query<Result<'archive.list'>, void>({ query: () => ({ method: 'archive.list', input: {} }), providesTags: ['CaseList'] }),
      archiveExport: b.mutation<Result<'archive.export'>, Input<'archive.export'>>({ query: q('archive.export'), invalidatesTags: ['CaseList', 'Case'] }),
      archiveImportReceipt: b.mutation<Result<'archive.importReceipt'>, Input<'archive.importReceipt'>>({
        query: q('archive.importReceipt'),
        invalidatesTags: ['CaseList', 'Case'],
      }),
      syncOutbox: b.query<Result<'sync.outbox'>, Input<'sync.outbox'>>({ query: q('sync.outbox'), providesTags: ['Sync'] }),
      syncRetry: b.mutation<Result<'sync.retry'>, Input<'sync.retry'>>({ query: q('sync.retry'), invalidatesTags: ['Sync', 'Case', 'CaseList'] }),
      conflictsGet: b.query<Result<'conflicts.get'>, Input<'conflicts.get'>>({
        query: q('conflicts.get'),
        providesTags: (_r, _e, a) => [{ type: 'Case', id: a.caseId }, 'Sync'],
      }),
      conflictsResolve: b.mutation<Result<'conflicts.resolve'>, Input<'conflicts.resolve'>>({
        query: q('conflicts.resolve'),
        invalidatesTags: ['Sync', 'Case', 'CaseList'],
      }),
      casesCreate: b.mutation<Result<'cases.create'>, Input<'cases.create'>>({ query: q('cases.create'), invalidatesTags: ['CaseList', 'Sync'] }),
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
  useSyncOutboxQuery,
  useSyncRetryMutation,
  useConflictsGetQuery,
  useConflictsResolveMutation,
  useCasesCreateMutation,
  useCasesCloseMutation,
  useCasesReopenMutation,
  useArchiveListQuery,
  useArchiveExportMutation,
  useArchiveImportReceiptMutation,
  useViewsListQuery,
  useViewsSaveMutation,
  useViewsDeleteMutation,
  useViewsSetColumnsMutation,
  useTeamDashboardQuery,
  useLazyTeamBalanceQuery,
  useTeamAbsencesQuery,
  useTeamSetAbsenceMutation,
  useTeamEndAbsenceMutation,
  useCasesAssignMutation,
  useDecisionsGetQuery,
  useDecisionsDecideMutation,
  useDecisionsCosignMutation,
  useDecisionsReturnForChangesMutation,
  useDecisionsCosignInboxQuery,
  useNoticesSummaryQuery,
  useNoticesPostOutboxQuery,
  useNoticesMarkPostedMutation,
  useLazyDocumentsContentQuery,
  useNoticesIssueMutation,
  useNoticesConfirmLateMutation,
  useNoticesForgetPasswordMutation,
  useNoticesPreviewQuery,
  useSessionLoginMutation,
} = api
