#!/usr/bin/env bash
# Runs every Stratus test against the real services (PostgreSQL, MariaDB,
# Redis on loopback; see DSN variables in internal/testenv/services).
# A missing service fails the run unless STRATUS_TEST_REQUIRE is overridden
# (e.g. STRATUS_TEST_REQUIRE= scripts/test.sh skips what is not running).
set -euo pipefail
cd "$(dirname "$0")/.."
export STRATUS_TEST_REQUIRE="${STRATUS_TEST_REQUIRE-all}"
unformatted=$(gofmt -l cmd internal)
if [ -n "$unformatted" ]; then
  echo "gofmt needed:"; echo "$unformatted"; exit 1
fi
go vet ./...
# The web app: unit tests, the committed bundle is a fresh build, size budget.
scripts/web-check.sh
CGO_ENABLED=0 go build -o /dev/null ./cmd/stratus
go test -count=1 -timeout 20m "$@" ./...
