// `npm run serve` on a data folder it cannot use: one German line on stderr, exit code ≠ 0,
// an existing database untouched.
import { expect, test } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDesk } from './desk'

const LINE =
  /^Aktenfluss konnte nicht starten: Der Datenordner „.+“ ist nicht beschreibbar \(.+\)\. Bitte Speicherplatz und Berechtigungen prüfen\.$/

function serve(dataDir: string, asUser?: string) {
  const node = [
    process.execPath,
    'out/main/serve.js',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--no-sync',
  ]
  const [cmd, ...args] = asUser ? ['runuser', '-u', asUser, '--', ...node] : node
  const r = spawnSync(cmd!, args, {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, HOME: tmpdir() },
  })
  return {
    status: r.status,
    stdout: r.stdout,
    lines: r.stderr.split('\n').filter((l) => l.trim() !== ''),
  }
}

test.describe('Datenordner nicht nutzbar', () => {
  test('ein Pfad, der eine Datei ist: eine deutsche Zeile, Exit-Code 1', () => {
    const base = mkdtempSync(join(tmpdir(), 'serve-file-'))
    const file = join(base, 'daten')
    writeFileSync(file, 'keine Datenbank')
    const r = serve(file)
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.lines).toHaveLength(1)
    expect(r.lines[0]).toMatch(LINE)
    expect(readFileSync(file, 'utf8')).toBe('keine Datenbank')
    rmSync(base, { recursive: true, force: true })
  })

  test('ein schreibgeschützter Ordner mit bestehender Datenbank: eine deutsche Zeile, Datenbank unverändert', async () => {
    const isRoot = process.getuid?.() === 0
    test.skip(
      isRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0,
      'als root ohne runuser lässt sich Schreibschutz nicht nachstellen',
    )
    const dataDir = mkdtempSync(join(tmpdir(), 'serve-ro-'))
    const desk = await startDesk({ dataDir, args: ['--no-sync'] })
    await desk.call('cases.list', {})
    await desk.stop()
    const digest = (f: string) =>
      createHash('sha256')
        .update(readFileSync(join(dataDir, f)))
        .digest('hex')
    const files = readdirSync(dataDir)
      .filter((f) => !f.startsWith('blobs'))
      .sort()
    const before = files.map(digest)
    chmodSync(dataDir, 0o555)
    for (const f of files) chmodSync(join(dataDir, f), 0o444)
    try {
      const r = serve(dataDir, isRoot ? 'nobody' : undefined)
      expect(r.status).toBe(1)
      expect(r.lines).toHaveLength(1)
      expect(r.lines[0]).toMatch(LINE)
      expect(
        readdirSync(dataDir)
          .filter((f) => !f.startsWith('blobs'))
          .sort(),
      ).toEqual(files)
      expect(files.map(digest)).toEqual(before)
    } finally {
      chmodSync(dataDir, 0o755)
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
