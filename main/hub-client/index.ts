export { createHubClient } from './client'
export { RESPONSE_CAPS } from './client'
export { HubResponseTooLargeError, readBodyCapped } from './body'
export type { HubClient, HubClientOptions } from './client'
export { HubProblemError, HubProtocolError, HubUnreachableError } from './errors'
export type { Destination, PublicJwk, Submission, SubmissionList, SubmissionRef } from './schemas'
export {
  ACCEPT_EVENT,
  EVENT_BASE,
  PROBLEM_BASE,
  REJECT_EVENT,
  SET_SCHEMA,
  decryptionKeyFor,
  loadDestinationKeys,
  makeAcceptSet,
  makeRejectSet,
  parseDestinationKeyList,
  parseDestinationKeys,
} from './keys'
export type { AuthenticationTags, DestinationKeys, SetBase, SetProblem } from './keys'
export { INVALID_DESK, INVALID_TOKEN, createOfficeClient, isInvalidToken } from './office'
export { DemoLoginRefused, demoPasswordLogin } from './demoLogin'
export type { DemoLoginOptions, DemoLoginTokens } from './demoLogin'
export type {
  CaseSnapshot,
  Change,
  DeskCredential,
  OfficeAbsence,
  OfficeCallOptions,
  OfficeClientOptions,
  ChangePage,
  MutationResult,
  OfficeClient,
  OfficeDirectory,
  OutgoingMutation,
} from './office'
