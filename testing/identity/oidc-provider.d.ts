// Minimal typing of the parts of oidc-provider 9 the throwaway test provider uses (tests only).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'
  export interface InteractionDetails {
    uid: string
    prompt: { name: string }
    params: Record<string, unknown>
    session?: { accountId?: string }
  }
  export interface GrantInstance {
    addOIDCScope(scope: string): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    Grant: new (init: { accountId: string; clientId: string }) => GrantInstance
    proxy: boolean
  }
}
