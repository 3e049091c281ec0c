#!/bin/bash
# Runs `npm run bench` figures on two commits, interleaved per figure (before, after, then the next
# figure), so that both sides see the same machine load. Results: $OUT/<figure>-<side>.json.
#   bash bench/compare.sh BEFORE AFTER [figure …]     (default: every figure both commits have)
# Uses git worktrees under $OUT and the current node_modules; smaller ingest/outbox counts.
set -euo pipefail
before=$1 after=$2; shift 2
figures=${*:-listPage search caseOpen dashboard coldStart notices ingest outboxFlush}
root=$(git rev-parse --show-toplevel)
OUT=${OUT:-$(mktemp -d /tmp/aktenfluss-compare-XXXX)}
export BENCH_INGEST_COUNT=${BENCH_INGEST_COUNT:-1000} BENCH_INGEST_REF_COUNT=${BENCH_INGEST_REF_COUNT:-500}
export BENCH_OUTBOX_COUNT=${BENCH_OUTBOX_COUNT:-5000}
for side in before after; do
  rev=${!side}
  [ -d "$OUT/$side" ] || git -C "$root" worktree add -q --detach "$OUT/$side" "$rev"
  ln -sfn "$root/node_modules" "$OUT/$side/node_modules"
done
for f in $figures; do
  for side in before after; do
    echo "== $f $side $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$OUT/$side" && BENCH_ONLY=$f npx tsx bench/run.ts >"$OUT/$f-$side.log" 2>&1 && cp bench/results.json "$OUT/$f-$side.json")
  done
done
echo "results in $OUT (remove the worktrees with: git worktree remove --force $OUT/before $OUT/after)"
