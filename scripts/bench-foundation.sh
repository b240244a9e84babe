#!/usr/bin/env bash
# Foundation benchmark: cold start, idle memory, sign-in and /user/me
# throughput of the stratus binary on SQLite, all on loopback.
#
#   scripts/bench-foundation.sh
#
# Knobs (environment): RUNS (cold starts, default 10), DURATION (per load
# phase, default 10s), CONC (clients for /user/me, default 64), SIGNIN_CONC
# (clients for sign-in, default 2 × CPUs). Needs only Go; when `hey` is
# installed the /user/me phase is repeated with it as a cross-check.
#
# The load generator runs on the same machine as the server and competes
# with it for CPU, so the figures are a floor for the server alone.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-10}"
DURATION="${DURATION:-10s}"
CONC="${CONC:-64}"
CPUS="$(nproc 2>/dev/null || echo 1)"
SIGNIN_CONC="${SIGNIN_CONC:-$((CPUS * 2))}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building"
CGO_ENABLED=0 go build -o "$work/stratus" ./cmd/stratus
go build -o "$work/loadgen" ./scripts/loadgen
lg="$work/loadgen"
echo "binary: $(du -h "$work/stratus" | cut -f1) ($("$work/stratus" version))"
echo "machine: $CPUS CPUs, $(go version | cut -d' ' -f3-)"

echo
echo "== (a) cold start to first GET /api/v4/site/ping, empty SQLite data dir; (b) idle RSS 1 s later"
"$lg" cold -bin "$work/stratus" -runs "$RUNS"

echo
echo "== server for the load phases"
port="$("$lg" freeport)"
url="http://127.0.0.1:$port"
"$work/stratus" server --listen "127.0.0.1:$port" --data "$work/data" 2>"$work/server.log" &
server_pid=$!
"$lg" wait -url "$url"
email="bench@example.com"
password="bench-password-1"
"$lg" signup -url "$url" -email "$email" -password "$password"
echo "idle_rss_kib: $("$lg" rss -pid "$server_pid")"

echo
echo "== (c) sign-in: POST /api/v4/session/token, $SIGNIN_CONC clients, $DURATION"
echo "   (argon2id m=19 MiB t=2 costs ~30 ms of one core per sign-in: ~$((CPUS * 33))/s is the ceiling on $CPUS CPUs)"
"$lg" signin -url "$url" -email "$email" -password "$password" -c "$SIGNIN_CONC" -d "$DURATION"
echo "rss_after_signin_kib: $("$lg" rss -pid "$server_pid")"

echo
echo "== (d) GET /api/v4/user/me, $CONC clients, $DURATION"
token="$("$lg" token -url "$url" -email "$email" -password "$password")"
"$lg" get -url "$url" -path /api/v4/user/me -token "$token" -c "$CONC" -d "$DURATION"
echo "rss_after_me_kib: $("$lg" rss -pid "$server_pid")"

echo
echo "== (e) sign-in burst: $CONC clients, 3s; peak RSS (VmHWM) shows the memory of concurrent argon2id hashes"
"$lg" signin -url "$url" -email "$email" -password "$password" -c "$CONC" -d 3s | grep -E '^(requests|rps|p50|p99)'
echo "peak_rss_kib: $("$lg" rss -peak -pid "$server_pid")"

if command -v hey >/dev/null 2>&1; then
  echo
  echo "== (d') cross-check with hey"
  hey -z "$DURATION" -c "$CONC" -H "Authorization: Bearer $token" "$url/api/v4/user/me" |
    grep -E 'Requests/sec|50%|99%|\[200\]|Error' || true
fi

if grep -q 'level=ERROR' "$work/server.log"; then
  echo
  echo "server logged errors:"
  grep 'level=ERROR' "$work/server.log" | head -5
fi
