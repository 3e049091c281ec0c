// `npm start`: build if needed, then the Electron app — or, when the Electron binary is
// missing (it cannot be downloaded on every machine), browser mode with the same UI.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

function electronBinary() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return null
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

/** The same per-user data folder Electron's userData would be. */
function dataDir() {
  if (process.env.AKTENFLUSS_DATA_DIR) return process.env.AKTENFLUSS_DATA_DIR
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? homedir(), 'Aktenfluss')
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'aktenfluss')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'aktenfluss')
}

const bin = electronBinary()
const args = process.argv.slice(2)
if (bin) {
  const child = spawn(bin, ['out/main/index.js', ...args], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(
    'Electron-Binary nicht vorhanden (auf diesem Rechner nicht herunterladbar) – Aktenfluss startet im Browsermodus.',
  )
  const child = spawn(
    process.execPath,
    ['out/main/start-demo.js', '--data-dir', dataDir(), ...args],
    { stdio: 'inherit' },
  )
  const stop = (sig) => child.kill(sig)
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  child.on('exit', (code) => process.exit(code ?? 0))
}
