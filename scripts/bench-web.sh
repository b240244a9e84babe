#!/usr/bin/env bash
# Web app figures, printed (not a pass/fail test): compressed JS+CSS of the
# first load of the file browser, time from navigation to the first rows of
# a 10,000-file folder in headless Chromium, and the DOM node count while
# scrolling a 100,000-file folder to its end. Runs the real binary on
# loopback. Needs web/node_modules (cd web && npm ci) and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/var/tmp}/stratus-benchweb.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/stratus" ./cmd/stratus
go run ./scripts/benchweb -bin "$work/stratus" -dir "$work" -web web
