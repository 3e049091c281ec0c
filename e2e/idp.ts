// The identity provider the e2e desks sign in with: the throwaway test OpenID Provider of
// testing/identity (demo directory users, password `demo`), one per Playwright worker.
// After the identity branches merge, the hub's embedded IdP can take its place for hub desks.
import { loadDemoDirectory } from '../main/core/directory'
import { startTestProvider, type TestProvider } from '../testing/identity/testProvider'

let running: Promise<TestProvider> | undefined

export function testIdp(): Promise<TestProvider> {
  running ??= startTestProvider({
    users: loadDemoDirectory().users,
    // any port (RFC 8252 §7.3): the headless demo sign-in and the bridge's callback
    redirectUris: ['http://127.0.0.1/aktenfluss/callback'],
  })
  return running
}
