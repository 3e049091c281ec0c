// The part of oidc-provider 9's API the hub uses (the package ships no type declarations).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface Interaction {
    uid: string
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
    params: Record<string, unknown> & { client_id?: string; login_hint?: string; scope?: string }
    session?: { accountId?: string }
    grantId?: string
  }
  export interface GrantInstance {
    addOIDCScope(scope: string): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }
  export interface ProviderConfiguration {
    [key: string]: unknown
  }
  export default class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration)
    readonly issuer: string
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantInstance
      find(id: string): Promise<GrantInstance | undefined>
    }
    Client: {
      prototype: {
        redirectUriAllowed: (this: { clientId: string }, value: string) => boolean
        clientId: string
      }
    }
    on(event: string, listener: (...args: unknown[]) => void): this
  }
}
