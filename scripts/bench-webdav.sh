#!/usr/bin/env bash
# Prints WebDAV figures next to the REST paths on one loopback server
# (SQLite, local storage): PROPFIND Depth 1 latency and bytes on folders of
# 600, 5,000 and 100,000 files; 1,000 PUTs of 4 KiB with one and eight
# clients (and the SQL statements each ran); one big PUT and GET by WebDAV
# and by REST with peak RSS.
# BENCH_BIG_MB sets the big file's size (default 1024); BENCH_DIALECT the
# database (sqlite, postgres or mysql; default sqlite); BENCH_PARTS a
# comma-separated subset of propfind,small,big.
# BENCH_BASE names a git revision to measure first, in a temporary worktree,
# so that before and after figures come from the same run on the same load.
set -euo pipefail
cd "$(dirname "$0")/.."
bench() {
  STRATUS_BENCH_WEBDAV=1 go test ./internal/e2e -run '^TestWebDAVBench$' -count=1 -v -timeout 30m |
    grep -E '^(database|PROPFIND|1,000|WebDAV|REST|peak|--- |ok|FAIL)'
}
if [ -n "${BENCH_BASE:-}" ]; then
  base=$(mktemp -d "${TMPDIR:-/var/tmp}/stratus-bench-base.XXXXXX")
  trap 'git worktree remove --force "$base"' EXIT
  git worktree add --detach "$base" "$BENCH_BASE" >/dev/null 2>&1
  echo "== before: $(git -C "$base" log -1 --format='%h %s')"
  (cd "$base" && bench)
  echo "== after: $(git log -1 --format='%h %s')$(git diff --quiet || echo ' (and uncommitted changes)')"
fi
bench
