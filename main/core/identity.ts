// Where the sync engine gets a user's office access token (docs/hub-protocol.md, "Office auth").
// The desk's sign-in implements it with the OIDC sessions; tests with demo tokens.

export interface UserTokenSource {
  /** a valid access token for that user, or undefined = no valid token (the user must sign in again) */
  tokenFor(userId: string): Promise<string | undefined>
}

/** No one is signed in with the office's IdP (until the desk's sign-in provides tokens). */
export const noUserTokens: UserTokenSource = { tokenFor: () => Promise.resolve(undefined) }
