/** Where the sync engine gets a user's access token for the office API (issue #13). */
export interface UserTokenSource {
  /** a valid access token of that user, or undefined: no valid token — the caller treats it as "sign-in needed" */
  tokenFor(userId: string): Promise<string | undefined>
}
