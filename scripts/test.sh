#!/usr/bin/env bash
# Runs every check and test layer of the project, after installing whatever
# is missing (scripts/setup.sh):
#
#   format        cargo fmt --check
#   clippy        -D warnings, natively and for wasm32
#   native        cargo test for the whole workspace (engine, app logic, tidy)
#   browser       wasm-bindgen-test in headless Chromium (tests/*.rs, wasm32)
#   lab runtime   the code lab's Python side: MicroPython under Node and in a
#                 headless Chromium worker (tests/lab)
#   release       trunk build --release --offline (wasm-opt included)
#   end-to-end    Playwright journeys against the release build (tests/e2e)
#
# Every layer runs even if an earlier one failed (the end-to-end journeys
# need the release build, so they are skipped without one). The run ends
# with a table of layers and the line `N passed, M failed`: N counts tests,
# M counts failed tests plus failed checks. Exit status 0 means all green.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || exit 1
source scripts/env.sh

LOGS="target/test-logs"
mkdir -p "$LOGS"
started=$SECONDS

names=()
results=()
counts=()
times=()
total_passed=0
total_failed=0

record() { # name result tests seconds
  names+=("$1")
  results+=("$2")
  counts+=("$3")
  times+=("$4")
}

banner() {
  printf '\n=== %s ===\n' "$1"
}

# Runs one layer, showing its output and keeping a copy in $LOGS/<slug>.log.
# Sets $status and $log.
run_layer() {
  local slug="$1"
  shift
  log="$LOGS/$slug.log"
  "$@" </dev/null 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
}

# A check passes or fails as a whole; a failure counts as one failure.
check() { # name slug command...
  local name="$1" slug="$2" begin=$SECONDS
  shift 2
  banner "$name"
  run_layer "$slug" "$@"
  if [ "$status" -eq 0 ]; then
    record "$name" ok - $((SECONDS - begin))
  else
    record "$name" FAILED - $((SECONDS - begin))
    total_failed=$((total_failed + 1))
  fi
}

# Sums libtest's "test result: ok. 3 passed; 0 failed; ..." lines (cargo test
# and wasm-bindgen-test-runner print the same).
count_libtest() {
  awk '/test result:/ {
         for (i = 1; i <= NF; i++) {
           if ($(i + 1) ~ /^passed/) p += $i
           if ($(i + 1) ~ /^failed/) f += $i
         }
       }
       END { print p + 0, f + 0 }' "$1"
}

# Reads node's spec reporter summary: "ℹ pass 5" and "ℹ fail 0".
count_node() {
  awk '$2 == "pass" { p = $3 } $2 == "fail" { f = $3 } END { print p + 0, f + 0 }' "$1"
}

# A test layer reports how many tests passed and failed; a layer that fails
# without reporting a failed test (say, a compile error) counts as one failure.
tests() { # name slug counter command...
  local name="$1" slug="$2" counter="$3" begin=$SECONDS passed failed
  shift 3
  banner "$name"
  run_layer "$slug" "$@"
  read -r passed failed < <("$counter" "$log")
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
    echo "test: $name ran no tests" >&2
    status=1
    failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  local result=ok
  [ "$status" -eq 0 ] || result=FAILED
  record "$name" "$result" "$passed/$((passed + failed))" $((SECONDS - begin))
}

check "format (cargo fmt --check)" fmt cargo fmt --all --check
check "clippy, native" clippy-native \
  cargo clippy --workspace --all-targets --locked -- -D warnings
check "clippy, wasm32" clippy-wasm32 \
  cargo clippy --workspace --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
tests "native tests (cargo test)" native count_libtest \
  cargo test --workspace --locked --no-fail-fast
tests "browser tests (wasm-bindgen-test)" browser count_libtest \
  cargo test -p rocketmq-sim --locked --no-fail-fast --target wasm32-unknown-unknown --test '*'
tests "code lab runtime (MicroPython)" lab count_node \
  node --test --test-reporter=spec --test-concurrency=1 tests/lab/
check "release build (trunk)" release trunk build --release --offline
if [ "${results[${#results[@]} - 1]}" = ok ]; then
  tests "end-to-end (Playwright)" e2e count_node \
    node --test --test-reporter=spec --test-concurrency=1 tests/e2e/
else
  record "end-to-end (Playwright)" "not run" - 0
  total_failed=$((total_failed + 1))
fi

printf '\n%-36s %-8s %7s %7s\n' "layer" "result" "tests" "time"
printf '%-36s %-8s %7s %7s\n' "-----" "------" "-----" "----"
for i in "${!names[@]}"; do
  printf '%-36s %-8s %7s %6ss\n' "${names[$i]}" "${results[$i]}" "${counts[$i]}" "${times[$i]}"
done
printf '%-36s %-8s %7s %6ss\n' "total" "" "$total_passed" "$((SECONDS - started))"
echo "logs: $LOGS/"
echo
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
