// Statement text for PostgreSQL where the SQLite text does not translate (dialect.ts handles
// `?`/`@name` and INSERT OR IGNORE). Keyed like the hub's statement groups (storage/hub.ts); a test
// (hub/storage/postgres/hubSchema.test.ts) prepares every statement against the migrated schema.

/** `@dests` is a JSON array of destination ids, '["*"]' = every destination */
const IN_DESTS = `(@dests::text = '["*"]' OR destination_id IN (SELECT jsonb_array_elements_text(@dests::text::jsonb)))`

export const HUB_PG_OVERRIDES: Partial<Record<string, Record<string, string>>> = {
  intake: {
    countPendingIn: `SELECT count(*) AS n FROM submissions WHERE state = 'submitted' AND ${IN_DESTS}`,
    listPendingIn: `SELECT submission_id, case_id, destination_id FROM submissions WHERE state = 'submitted'
       AND ${IN_DESTS} ORDER BY submitted_at, submission_id LIMIT @limit OFFSET @offset`,
  },
  office: {
    bumpCounter: `INSERT INTO office_lease_counters (file_code, year, next) VALUES (?, ?, ?)
       ON CONFLICT (file_code, year) DO UPDATE SET next = GREATEST(office_lease_counters.next, excluded.next)`,
    takeNumbers: `INSERT INTO office_lease_counters AS c (file_code, year, next) VALUES (@fileCode, @year, 1 + @count::bigint)
       ON CONFLICT (file_code, year) DO UPDATE SET next = c.next + @count::bigint
       RETURNING c.next - @count::bigint AS first`,
    // the commit-ordered feed counter (feed.ts): the counter row stays locked until COMMIT
    insertChange: `WITH c AS (UPDATE office_feed_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq)
       INSERT INTO office_changes (seq, case_id, type, version, at, by_user, desk_id, colliding, mutation_id, payload)
       SELECT c.seq, ?::text, ?::text, ?::integer, ?::text, ?::text, ?::text, ?::integer, ?::text, ?::text FROM c`,
  },
  replies: {
    listForCases: `SELECT * FROM replies WHERE state IN ('submitted','accepted')
       AND case_id IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY submitted_at, reply_id`,
  },
}
