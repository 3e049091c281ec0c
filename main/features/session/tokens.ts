/**
 * Access tokens per user for the office sync (the session's UserTokenSource half): cached until a
 * minute before expiry, refreshed with the stored refresh token, one refresh per user at a time
 * (refresh tokens rotate, a second one would be refused). A refresh the provider refuses
 * (`invalid_grant`) forgets the refresh token and marks the user "sign in again".
 */
import * as oidc from 'openid-client'
import { isNetworkError } from '../../hub-client/oidcSupport'
import {
  EXPIRY_MARGIN_MS,
  normalise,
  refreshKey,
  type IdentitySettings,
  type IssuerConfigs,
  type Tokens,
} from './model'

export interface TokenKeeperDeps {
  identity(): IdentitySettings | undefined
  issuers: IssuerConfigs
  now(): number
  secret(name: string): string | undefined
  setSecret(name: string, value: string): void
  setReauth(userId: string, needed: boolean): void
}

export class TokenKeeper {
  private readonly access = new Map<string, { token: string; expiresAt: number }>()
  private readonly refreshing = new Map<string, Promise<string | undefined>>()

  constructor(private readonly deps: TokenKeeperDeps) {}

  async tokenFor(userId: string): Promise<string | undefined> {
    const cached = this.access.get(userId)
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.deps.now()) return cached.token
    const running = this.refreshing.get(userId)
    if (running) return running
    const p = this.refresh(userId).finally(() => this.refreshing.delete(userId))
    this.refreshing.set(userId, p)
    return p
  }

  store(userId: string, tokens: Tokens): void {
    this.access.set(userId, {
      token: tokens.accessToken,
      expiresAt: this.deps.now() + (tokens.expiresIn ?? 300) * 1000,
    })
    if (tokens.refreshToken) this.deps.setSecret(refreshKey(userId), tokens.refreshToken)
  }

  forget(userId: string): void {
    this.access.delete(userId)
  }

  private async refresh(userId: string): Promise<string | undefined> {
    const identity = this.deps.identity()
    if (!identity) return undefined
    const refreshToken = this.deps.secret(refreshKey(userId))
    if (!refreshToken) {
      this.deps.setReauth(userId, true)
      return undefined
    }
    let config: oidc.Configuration
    try {
      config = await this.deps.issuers.get(identity)
    } catch {
      return undefined // offline: try again on the next pass
    }
    try {
      const tokens = await oidc.refreshTokenGrant(config, refreshToken)
      this.store(userId, normalise(tokens))
      this.deps.setReauth(userId, false)
      return tokens.access_token
    } catch (err) {
      if (isNetworkError(err)) return undefined
      if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant') {
        this.access.delete(userId)
        this.deps.setSecret(refreshKey(userId), '')
        this.deps.setReauth(userId, true)
        return undefined
      }
      console.error('[session] Token-Erneuerung fehlgeschlagen:', err)
      return undefined
    }
  }
}
