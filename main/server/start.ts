import { createDesk, type Desk } from '../desk'
import type { Clock } from '../core/clock'
import { startBridge, type Bridge } from './bridge'
import { configureIdentity } from '../features/session/service'
import { DESK_CLIENT_ID } from '../features/session/hubIdentity'
import { runStartup, type StartupResult } from '../startup'

export interface DeskServerOptions {
  dataDir: string
  port?: number
  rendererDir: string
  token?: string | undefined
  hubUrl?: string | undefined
  hubConfig?: string | undefined
  /** which desk credential of hub.json this desk uses (`--desk-id`; default the first) */
  deskId?: string | undefined
  backgroundSync?: boolean
  clock?: Clock
  /** a real identity provider instead of the hub's (`--idp-issuer`, `--idp-client-id`) */
  idp?: { issuer: string; clientId?: string | undefined; scopes?: string | undefined } | undefined
  /** the key file's passphrase (--passphrase-file); default AKTENFLUSS_PASSPHRASE */
  passphrase?: string | undefined
  /** `--config FILE` (else AKTENFLUSS_CONFIG, else the machine-wide file; main/startup.ts) */
  configPath?: string | undefined
  /** `--import-secret NAME=FILE` (repeatable) */
  importSecrets?: string[] | undefined
  /** the embedded demo hub when nothing is configured (`npm start`; never `npm run serve`) */
  demoAllowed?: boolean
  /** environment for the configuration lookup (tests); default process.env */
  env?: NodeJS.ProcessEnv
}

/** Desk core + browser bridge, as `npm run serve` and the e2e fixture start them. */
export async function startDeskServer(
  opts: DeskServerOptions,
): Promise<{ desk: Desk; bridge: Bridge; startup: StartupResult; close(): Promise<void> }> {
  // the desk needs the bridge's callback URL, the bridge needs the desk: filled in below
  const late: { bridge?: Bridge } = {}
  const desk = createDesk({
    dataDir: opts.dataDir,
    mode: 'browser',
    ...(opts.clock ? { clock: opts.clock } : {}),
    // the bridge is an untrusted entry: nothing but the sign-in before a user is signed in
    requireSignIn: true,
    loginRedirect: {
      start: () => {
        if (!late.bridge) throw new Error('Die Browser-Brücke läuft noch nicht.')
        return Promise.resolve({ redirectUri: late.bridge.callbackUrl })
      },
    },
    ...atRestFromEnv(opts.passphrase),
  })
  let startup: StartupResult
  try {
    if ((opts.hubUrl || opts.hubConfig) && !(opts.hubUrl && opts.hubConfig))
      throw new Error('--hub und --hub-config gehören zusammen.')
    startup = await runStartup(desk, {
      configPath: opts.configPath,
      importSecrets: opts.importSecrets,
      hub:
        opts.hubUrl && opts.hubConfig
          ? { url: opts.hubUrl, config: opts.hubConfig, deskId: opts.deskId }
          : undefined,
      demoAllowed: opts.demoAllowed ?? false,
      ...(opts.env ? { env: opts.env } : {}),
    })
  } catch (err) {
    await desk.close()
    throw err
  }
  for (const w of startup.warnings) console.error(`Warnung: ${w}`)
  if (opts.idp)
    configureIdentity(desk.ctx.db, {
      issuer: opts.idp.issuer,
      clientId: opts.idp.clientId ?? DESK_CLIENT_ID,
      ...(opts.idp.scopes ? { scopes: opts.idp.scopes } : {}),
    })
  const bridge = await startBridge({
    dispatch: desk.dispatch,
    subscribe: (l) => desk.ctx.events.onAny(l),
    rendererDir: opts.rendererDir,
    token: opts.token,
    port: opts.port,
  })
  late.bridge = bridge
  if (opts.backgroundSync !== false) desk.sync.start(30_000)
  return {
    desk,
    bridge,
    startup,
    close: async () => {
      await bridge.close()
      await desk.close()
      await startup.demoHub?.close()
    },
  }
}

/**
 * Browser mode's key options: the passphrase (--passphrase-file, else AKTENFLUSS_PASSPHRASE) and,
 * for the bench's comparison only, AKTENFLUSS_AT_REST=plaintext.
 */
function atRestFromEnv(passphrase: string | undefined) {
  const p = passphrase ?? process.env.AKTENFLUSS_PASSPHRASE
  return {
    ...(p ? { passphrase: p } : {}),
    ...(process.env.AKTENFLUSS_AT_REST === 'plaintext' ? { atRest: 'plaintext' as const } : {}),
  }
}
