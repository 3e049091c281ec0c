// Browser mode as IT scripts it: `npm run serve` with a passphrase-protected data folder.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ensureRendererBuilt } from '../../../testing/sync/crashCheck'
import { createDesk } from '../../desk'

const base = mkdtempSync(join(tmpdir(), 'atrest-serve-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))
const dataDir = join(base, 'desk')

beforeAll(async () => {
  ensureRendererBuilt()
  await createDesk({ dataDir, mode: 'browser', passphrase: 'Richtig 1' }).close()
}, 600_000)

/** Starts serve; resolves with the ready line, or the exit code and stderr. */
function serve(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ ready?: string; code?: number | null; err: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['out/main/serve.js', '--data-dir', dataDir, '--port', '0', '--no-sync', ...args],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let err = ''
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.stdout.on('data', (b: Buffer) => {
      const line = b.toString()
      if (line.includes('Aktenfluss listening on')) {
        child.kill('SIGTERM')
        resolve({ ready: line.trim(), err })
      }
    })
    child.on('exit', (code) => resolve({ code, err }))
  })
}

it('a wrong or missing passphrase ends the start with exit 1 and a German message', async () => {
  const wrong = await serve([], { AKTENFLUSS_PASSPHRASE: 'Falsch 1' })
  expect(wrong.ready).toBeUndefined()
  expect(wrong.code).toBe(1)
  expect(wrong.err).toMatch(/Aktenfluss konnte nicht starten: Die Passphrase ist falsch/)
  const missing = await serve([])
  expect(missing.code).toBe(1)
  expect(missing.err).toMatch(/mit einer Passphrase geschützt.*--passphrase-file/s)
}, 120_000)

it('the right passphrase from --passphrase-file or the environment starts the desk', async () => {
  const file = join(base, 'pass.txt')
  writeFileSync(file, 'Richtig 1\n', { mode: 0o600 })
  expect((await serve(['--passphrase-file', file])).ready).toMatch(/^Aktenfluss listening on http/)
  expect((await serve([], { AKTENFLUSS_PASSPHRASE: 'Richtig 1' })).ready).toMatch(/listening/)
}, 120_000)
