export { createHubClient } from './client'
export type { HubClient, HubClientOptions } from './client'
export { HubProblemError, HubProtocolError, HubUnreachableError } from './errors'
export type { Destination, PublicJwk, Submission, SubmissionList, SubmissionRef } from './schemas'
export {
  ACCEPT_EVENT,
  EVENT_BASE,
  PROBLEM_BASE,
  REJECT_EVENT,
  SET_SCHEMA,
  loadDestinationKeys,
  makeAcceptSet,
  makeRejectSet,
  parseDestinationKeys,
} from './keys'
export type { AuthenticationTags, DestinationKeys, SetBase, SetProblem } from './keys'
export { createAbsenceClient, createOfficeClient } from './office'
export type {
  CaseSnapshot,
  Change,
  ChangePage,
  AbsenceClient,
  MutationResult,
  OfficeAbsence,
  OfficeClient,
  OfficeDirectory,
  OutgoingMutation,
} from './office'
