// Child process for intake memory tests (main/features/intake/memory.faults.test.ts): a desk
// runs one intake pass against the given hub and reports its counts and the highest RSS it saw.
// Usage: node --import tsx testing/intake/rssChild.ts '<json config>'
import { createDesk } from '../../main/desk'
import { manualClock } from '../../main/core/clock'
import { createHubClient, loadDestinationKeys } from '../../main/hub-client'
import { runIntakePass } from '../../main/features/intake/intake'
import { loadOpenerConfig } from '../../main/features/intake/openConfig'
import { closeIntakePool, createIntakePool } from '../../main/features/intake/openPool'

interface Config {
  hubUrl: string
  clientId: string
  clientSecret: string
  keysFile: string
  dataDir: string
  now: string
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as Config
  let maxRss = process.memoryUsage().rss
  let atMax = process.memoryUsage()
  const sample = setInterval(() => {
    const m = process.memoryUsage()
    if (m.rss > maxRss) [maxRss, atMax] = [m.rss, m]
  }, 10)
  const desk = createDesk({ dataDir: cfg.dataDir, mode: 'browser', clock: manualClock(cfg.now) })
  const keys = await loadDestinationKeys(cfg.keysFile)
  const client = createHubClient({
    baseUrl: cfg.hubUrl,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    timeoutMs: 120_000,
  })
  const startRss = process.memoryUsage().rss
  // as the desk runs it: fetch, decrypt and verify in the worker pool (its threads count in the RSS)
  const opener = loadOpenerConfig()
  const pool = createIntakePool({
    connection: {
      baseUrl: cfg.hubUrl,
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecret,
      timeoutMs: 120_000,
    },
    opener,
  })
  const counts = await runIntakePass(desk.ctx, { client, keys, opener, pool })
  clearInterval(sample)
  await closeIntakePool()
  maxRss = Math.max(maxRss, process.memoryUsage().rss)
  const list = await desk.dispatch('cases.list', {})
  await desk.close()
  process.stdout.write(
    `${JSON.stringify({
      counts: {
        ...counts,
        lastError: counts.lastError instanceof Error ? counts.lastError.message : undefined,
      },
      startRss,
      maxRss,
      atMax,
      cases: list.ok ? (list.value as { total: number }).total : -1,
    })}\n`,
  )
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
