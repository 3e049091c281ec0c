// The startup decision: configuration file, command-line hub, earlier configuration, demo hub.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { setSetting } from '../db/repositories/settings'
import { DeskConfigError, type LocatedConfig } from './core/deskConfig'
import { createDesk } from './desk'
import { planStartup, runStartup, storedHub } from './startup'

const machine: LocatedConfig = { path: '/etc/aktenfluss/config.json', source: 'machine' }
const cli: LocatedConfig = { path: '/srv/config.json', source: 'cli' }

describe('planStartup', () => {
  it('never starts the demo hub when a configuration file exists', () => {
    for (const stored of ['none', 'office'] as const)
      expect(planStartup({ located: machine, hubArgs: false, demoAllowed: true, stored })).toEqual({
        kind: 'config',
        located: machine,
      })
  })

  it('starts the demo hub only when nothing is configured and the entry allows it', () => {
    expect(
      planStartup({ located: undefined, hubArgs: false, demoAllowed: true, stored: 'none' }),
    ).toEqual({ kind: 'demo' })
    expect(
      planStartup({ located: undefined, hubArgs: false, demoAllowed: true, stored: 'demo' }),
    ).toEqual({ kind: 'demo' })
    // a desk configured earlier (file since removed, or --hub) keeps that configuration
    expect(
      planStartup({ located: undefined, hubArgs: false, demoAllowed: true, stored: 'office' }),
    ).toEqual({ kind: 'keep' })
    // npm run serve never starts one
    expect(
      planStartup({ located: undefined, hubArgs: false, demoAllowed: false, stored: 'none' }),
    ).toEqual({ kind: 'none' })
  })

  it('lets --hub/--hub-config win over a machine-wide file, but refuses it together with --config', () => {
    expect(
      planStartup({ located: machine, hubArgs: true, demoAllowed: false, stored: 'none' }),
    ).toEqual({ kind: 'hub-json' })
    expect(() =>
      planStartup({ located: cli, hubArgs: true, demoAllowed: false, stored: 'none' }),
    ).toThrow(
      '--config und --hub/--hub-config schließen einander aus. Bitte nur eines von beiden angeben.',
    )
  })

  it('refuses to point a data folder with demo data at a real office', () => {
    expect(() =>
      planStartup({ located: machine, hubArgs: false, demoAllowed: true, stored: 'demo' }),
    ).toThrow(
      /enthält die Demodaten des eingebauten Demo-Hubs; mit der Konfigurationsdatei „\/etc\/aktenfluss\/config\.json“ würden Demo-Vorgänge ans Amt gesendet\. Bitte den Datenordner umbenennen/,
    )
  })
})

describe('runStartup on a desk', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const newDesk = () => {
    const d = mkdtempSync(join(tmpdir(), 'startup-'))
    dirs.push(d)
    return createDesk({ dataDir: d, mode: 'browser' })
  }

  it('refuses a demo folder before touching it, and a --config that does not exist', async () => {
    const desk = newDesk()
    try {
      setSetting(desk.ctx.db, 'hub', { url: 'http://127.0.0.1:1' })
      setSetting(desk.ctx.db, 'hub.demo', true)
      expect(storedHub(desk)).toBe('demo')
      await expect(
        runStartup(desk, { demoAllowed: true, env: {}, exists: () => true, platform: 'linux' }),
      ).rejects.toThrow(DeskConfigError)
      expect(storedHub(desk)).toBe('demo') // nothing was changed
      await expect(
        runStartup(desk, { configPath: '/nicht/da.json', demoAllowed: true, env: {} }),
      ).rejects.toThrow(
        'Die Konfigurationsdatei „/nicht/da.json“ (angegeben mit --config) gibt es nicht.',
      )
    } finally {
      await desk.close()
    }
  })

  it('without anything configured, serve starts unconfigured (no demo hub)', async () => {
    const desk = newDesk()
    try {
      const r = await runStartup(desk, { demoAllowed: false, env: {}, exists: () => false })
      expect(r).toEqual({ plan: { kind: 'none' }, warnings: [] })
      expect(storedHub(desk)).toBe('none')
    } finally {
      await desk.close()
    }
  })
})
