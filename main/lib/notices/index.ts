export {
  NoticeInput,
  NoticeTemplate,
  Outcome,
  OUTCOMES,
  OUTCOME_LABELS,
  FieldDef,
  checkNotice,
  decisionFields,
  hearingRequired,
  listProcedureIds,
  loadNoticeTemplate,
  loadProcedures,
  sampleNoticeInput,
  NoticeIncompleteError,
  UnknownProcedureError,
} from './noticeModel'
export type {
  MissingPart,
  MissingPartCode,
  Hearing,
  Addressee,
  Authority,
  Clerk,
  FieldValue,
  FieldType,
} from './noticeModel'
export {
  renderNotice,
  layoutNotice,
  buildNoticeSpec,
  renderDocumentRequestLetter,
  DocumentRequestInput,
  formatMoney,
} from './noticePdf'
export type { RenderOptions } from './letterLayout'
export { signNotice } from './signNotice'
export type { SignNoticeOptions } from './signNotice'
