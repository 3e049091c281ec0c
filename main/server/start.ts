import { createDesk, type Desk } from '../desk'
import type { Clock } from '../core/clock'
import { startBridge, type Bridge } from './bridge'

export interface DeskServerOptions {
  dataDir: string
  port?: number
  rendererDir: string
  token?: string | undefined
  hubUrl?: string | undefined
  hubConfig?: string | undefined
  backgroundSync?: boolean
  clock?: Clock
  /** the key file's passphrase (--passphrase-file); default AKTENFLUSS_PASSPHRASE */
  passphrase?: string | undefined
}

/** Desk core + browser bridge, as `npm run serve` and the e2e fixture start them. */
export async function startDeskServer(
  opts: DeskServerOptions,
): Promise<{ desk: Desk; bridge: Bridge; close(): Promise<void> }> {
  const desk = createDesk({
    dataDir: opts.dataDir,
    mode: 'browser',
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...atRestFromEnv(opts.passphrase),
  })
  if (opts.hubUrl || opts.hubConfig) {
    if (!opts.hubUrl || !opts.hubConfig) throw new Error('--hub und --hub-config gehören zusammen.')
    desk.connectHub(opts.hubUrl, opts.hubConfig)
  }
  const bridge = await startBridge({
    dispatch: desk.dispatch,
    subscribe: (l) => desk.ctx.events.onAny(l),
    rendererDir: opts.rendererDir,
    token: opts.token,
    port: opts.port,
  })
  if (opts.backgroundSync !== false) desk.sync.start(30_000)
  return {
    desk,
    bridge,
    close: async () => {
      await bridge.close()
      await desk.close()
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
