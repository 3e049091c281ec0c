/**
 * What a starting desk connects to — the same decision for the Electron app, `npm start` in
 * browser mode and `npm run serve` (issue #16, point 2): the machine-wide configuration file
 * (`--config` > AKTENFLUSS_CONFIG > %ProgramData%\Aktenfluss\config.json or
 * /etc/aktenfluss/config.json), else the reference hub given on the command line, else what the
 * data folder was configured with before, and only when nothing is configured the embedded demo hub.
 */
import { existsSync } from 'node:fs'
import type { RunningHub } from '../hub/server'
import { getSetting } from '../db/repositories/settings'
import {
  DeskConfigError,
  importSecret,
  locateDeskConfig,
  readDeskConfig,
  resolveDeskConfig,
  type LocatedConfig,
} from './core/deskConfig'
import type { Desk } from './desk'

/** what the data folder was configured with before */
export type StoredHub = 'none' | 'demo' | 'office'

export type StartupPlan =
  | { kind: 'config'; located: LocatedConfig }
  | { kind: 'hub-json' }
  | { kind: 'keep' }
  | { kind: 'demo' }
  | { kind: 'none' }

/**
 * The startup decision (pure, tested in main/startup.test.ts). The demo hub starts only when
 * nothing is configured and the entry allows it (`npm start`, Electron; never `npm run serve`).
 */
export function planStartup(input: {
  located: LocatedConfig | undefined
  /** `--hub URL --hub-config FILE` (tests, scripts, a local reference hub) */
  hubArgs: boolean
  demoAllowed: boolean
  stored: StoredHub
}): StartupPlan {
  const { located, stored } = input
  if (input.hubArgs && located?.source === 'cli')
    throw new DeskConfigError(
      '--config und --hub/--hub-config schließen einander aus. Bitte nur eines von beiden angeben.',
    )
  if (input.hubArgs) return { kind: 'hub-json' }
  if (located) {
    // the demo's cases and their outbox entries must never reach a real office
    if (stored === 'demo')
      throw new DeskConfigError(
        `Dieser Datenordner enthält die Demodaten des eingebauten Demo-Hubs; mit der Konfigurationsdatei „${located.path}“ würden Demo-Vorgänge ans Amt gesendet. Bitte den Datenordner umbenennen oder einen neuen angeben (AKTENFLUSS_DATA_DIR bzw. --data-dir) und Aktenfluss neu starten.`,
      )
    return { kind: 'config', located }
  }
  if (stored === 'office') return { kind: 'keep' }
  if (input.demoAllowed) return { kind: 'demo' }
  return stored === 'none' ? { kind: 'none' } : { kind: 'keep' }
}

export function storedHub(desk: Desk): StoredHub {
  if (!getSetting<{ url: string }>(desk.ctx.db, 'hub')) return 'none'
  return getSetting<boolean>(desk.ctx.db, 'hub.demo') ? 'demo' : 'office'
}

export interface StartupOptions {
  /** `--config FILE` */
  configPath?: string | undefined
  /** `--import-secret NAME=FILE`, before the configuration is read */
  importSecrets?: string[] | undefined
  hub?: { url: string; config: string; deskId?: string | undefined } | undefined
  demoAllowed: boolean
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  exists?: (path: string) => boolean
}

export interface StartupResult {
  plan: StartupPlan
  demoHub?: RunningHub
  /** German warnings for the log (group-readable key files) */
  warnings: string[]
}

/** Runs the decision on a freshly created desk. Errors are German (DeskConfigError). */
export async function runStartup(desk: Desk, opts: StartupOptions): Promise<StartupResult> {
  const platform = opts.platform ?? process.platform
  const warnings: string[] = []
  for (const spec of opts.importSecrets ?? []) {
    const got = importSecret(desk.secrets, spec, platform)
    if (got.warning) warnings.push(got.warning)
  }
  const located = locateDeskConfig({
    cliPath: opts.configPath,
    env: opts.env ?? process.env,
    platform,
    exists: opts.exists ?? existsSync,
  })
  const plan = planStartup({
    located,
    hubArgs: Boolean(opts.hub),
    demoAllowed: opts.demoAllowed,
    stored: storedHub(desk),
  })
  switch (plan.kind) {
    case 'config': {
      const resolved = resolveDeskConfig(
        readDeskConfig(plan.located.path, platform),
        desk.secrets,
        platform,
      )
      desk.applyConfig(resolved)
      warnings.push(...resolved.warnings)
      return { plan, warnings }
    }
    case 'hub-json':
      desk.connectHub(
        opts.hub!.url,
        opts.hub!.config,
        opts.hub!.deskId ? { deskId: opts.hub!.deskId } : {},
      )
      return { plan, warnings }
    case 'demo': {
      // loaded only when needed: the demo hub pulls in the OpenID provider (and its runtime warning)
      const { startDemoHub } = await import('./demo')
      const demoHub = await startDemoHub(desk)
      return { plan, warnings, ...(demoHub ? { demoHub } : {}) }
    }
    default:
      return { plan, warnings }
  }
}
