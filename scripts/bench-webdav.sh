#!/usr/bin/env bash
# Prints WebDAV figures next to the REST paths on one loopback server
# (SQLite, local storage): PROPFIND Depth 1 latency and bytes on folders of
# 600, 5,000 and 100,000 files; 1,000 PUTs of 4 KiB with one and eight
# clients; one big PUT and GET by WebDAV and by REST with peak RSS.
# BENCH_BIG_MB sets the big file's size (default 1024); BENCH_DIALECT the
# database (sqlite, postgres or mysql; default sqlite).
set -euo pipefail
cd "$(dirname "$0")/.."
STRATUS_BENCH_WEBDAV=1 go test ./internal/e2e -run '^TestWebDAVBench$' -count=1 -v -timeout 30m |
  grep -E '^(database|PROPFIND|1,000|WebDAV|REST|peak|--- |ok|FAIL)'
