#!/usr/bin/env bash
# Checks the web app: type checks and unit tests, then rebuilds the bundle
# and fails when it differs from the committed internal/web/dist (the
# binary embeds that directory, so it must be what web/ builds). Needs
# web/node_modules (`npm ci` in web/; .ci/run does it).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ]; then
  echo "web/node_modules missing: run (cd web && npm ci)" >&2
  exit 1
fi
npx vitest run --reporter=dot
npm run --silent build >/dev/null
cd ..
if ! git diff --quiet -- internal/web/dist || [ -n "$(git ls-files --others --exclude-standard internal/web/dist)" ]; then
  echo "internal/web/dist differs from a fresh build of web/: run (cd web && npm ci && npm run build) and commit" >&2
  git status --short internal/web/dist >&2
  exit 1
fi
# First-load budget: the JS and CSS index.html loads, gzip-compressed.
budget=153600
first=$(node web/scripts/first-load.mjs internal/web/dist)
echo "web first load: $first bytes gzip (budget $budget)"
[ "$first" -lt "$budget" ] || { echo "first-load budget exceeded" >&2; exit 1; }
