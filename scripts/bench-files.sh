#!/usr/bin/env bash
# Benchmarks the Stratus file paths with the real binary over loopback and
# prints figures next to the disk's own (dd, cat) in the same run:
#   1. upload of one large file (default 1 GiB in 8 MiB chunks) vs dd conv=fdatasync,
#      with the server's peak RSS during the upload;
#   2. download whole / with Range vs cat and dd reading the stored blob;
#   3. listing latency, first page and a deep cursor page, for 1,000 and 100,000 files;
#   4. small files uploaded in a row.
# Nothing here is a pass/fail test (see DESIGN.md); it only checks that the
# bytes come back right.
#
# Usage: [BENCH_BASE=rev] scripts/bench-files.sh [benchfiles flags: -size-mib N -chunk-mib N -big N -small N -reps N -cold]
# BENCH_DIR chooses the work directory (default a new one under $TMPDIR or
# /var/tmp; it must be on the disk you want to measure, not a RAM disk).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${BENCH_DIR:-}"
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/var/tmp}/stratus-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
# BENCH_BASE names a git revision whose server is measured first (built in a
# temporary worktree, measured by this checkout's benchfiles), so that before
# and after figures come from the same run.
if [ -n "${BENCH_BASE:-}" ]; then
  base=$(mktemp -d "${TMPDIR:-/var/tmp}/stratus-bench-base.XXXXXX")
  git worktree add --detach "$base" "$BENCH_BASE" >/dev/null 2>&1
  (cd "$base" && go build -o "$work/stratus-base" ./cmd/stratus)
  git worktree remove --force "$base"
  go build -o "$work/benchfiles" ./scripts/benchfiles # one measuring tool for both servers
  echo "== before: $(git log -1 --format='%h %s' "$BENCH_BASE")"
  mkdir -p "$work/base"
  "$work/benchfiles" -bin "$work/stratus-base" -dir "$work/base" "$@"
  rm -rf "$work/base"
  echo "== after: $(git log -1 --format='%h %s')"
fi
go build -o "$work/stratus" ./cmd/stratus
go build -o "$work/benchfiles" ./scripts/benchfiles
"$work/benchfiles" -bin "$work/stratus" -dir "$work" "$@"
