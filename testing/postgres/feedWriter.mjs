// Child-process writer for hub/storage/postgres/feed.test.ts: argv url, mode (feed|naive), count.
// Each transaction sleeps randomly before and after taking its seq, then commits.
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

const [url, mode, count] = process.argv.slice(2)
const c = new pg.Client({ connectionString: url })
await c.connect()
for (let i = 0; i < Number(count); i++) {
  await c.query('BEGIN')
  await sleep(Math.random() * 4)
  if (mode === 'naive') {
    await c.query('INSERT INTO naive_feed (writer) VALUES ($1)', [`p${process.pid}-${i}`])
  } else {
    await c
      .query('UPDATE feed_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq')
      .then((r) =>
        c.query('INSERT INTO feed (seq, kind, payload, created_at) VALUES ($1, $2, $3, $4)', [
          r.rows[0].seq,
          'w',
          JSON.stringify({ w: `p${process.pid}-${i}` }),
          Date.now(),
        ]),
      )
  }
  await sleep(Math.random() * 4)
  await c.query('COMMIT')
}
await c.end()
