// Builds main, preload and renderer with electron-vite when the output is missing or older
// than any source file. Build output goes to stderr so `npm run serve` keeps one stdout line.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const marker = 'out/renderer/index.html'
const sources = [
  'renderer',
  'preload',
  'main',
  'db',
  'hub',
  'electron.vite.config.mts',
  'package.json',
]

function newest(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), st.mtimeMs)
}

const built = existsSync(marker) && existsSync('out/main/index.js') ? statSync(marker).mtimeMs : 0
if (built === 0 || sources.some((s) => existsSync(s) && newest(s) > built)) {
  console.error('Aktenfluss wird gebaut …')
  const r = spawnSync(
    process.execPath,
    ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
    { stdio: ['ignore', 2, 2] },
  )
  if (r.status !== 0) process.exit(r.status ?? 1)
}
