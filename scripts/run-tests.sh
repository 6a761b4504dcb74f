#!/usr/bin/env bash
# Every test suite: the main one on SQLite, again on PostgreSQL every test that reaches the
# database (tests/conftest.py: the others cannot behave otherwise there), then the browser
# journeys. Without a reachable PostgreSQL or /usr/bin/chromium a suite is skipped
# with one line, except under CI (CI=true), where a missing one fails the run.
# The PostgreSQL suite groups the tests that start servers (xdist_group "processes": the
# topology and fault tests of tests/pg) on one worker, one after another.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/banchengshi}
mkdir -p test-output
status=0

run() {
  echo "== $1"
  shift
  "$@" || status=1
}

missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAILED: $1 (required under CI)"
    status=1
  else
    echo "skipped: $1"
  fi
}

run "main suite (SQLite)" $BIN/pytest -q -p xdist -n 2 --ignore=tests/browser --ignore=tests/pg

if $BIN/python scripts/pg_ready.py "$PG_URL"; then
  run "PostgreSQL suite ($PG_URL): the tests that reach the database" \
    env DATABASE_URL="$PG_URL" BANCHENGSHI_TESTS_TOUCHING_THE_DATABASE=1 \
    $BIN/pytest -q -p xdist -n 2 --dist loadgroup --ignore=tests/browser
else
  missing "PostgreSQL suite: no server answers at $PG_URL"
fi

if [ -x /usr/bin/chromium ]; then
  run "browser suite (/usr/bin/chromium)" $BIN/pytest -q tests/browser
else
  missing "browser suite: /usr/bin/chromium is not installed (apt-get install chromium)"
fi
exit $status
