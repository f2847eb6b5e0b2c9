#!/usr/bin/env bash
# Benchmarks that print figures (never assertions): the engine's standard
# workload natively and compiled to wasm32 inside headless Chromium, their
# ratio, and the release bundle's gzipped size. Run: bash scripts/bench.sh
# (after scripts/setup.sh). MESSAGES sets the native message count.
#
# Not yet here (issue #7): load time, frame intervals with 1,000 messages in
# flight, the one-hour virtual-time run, and committed baselines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

MESSAGES="${MESSAGES:-1000000}"

echo "== engine, native ($MESSAGES messages)"
cargo build --release --locked -q -p rmqsim --bin rmqsim
native=$(target/release/rmqsim bench --messages "$MESSAGES" --json)
echo "$native"

echo "== engine, wasm32 in headless Chromium (300,000 messages)"
out=$(cargo test --release --locked -p rocketmq-sim --target wasm32-unknown-unknown --test bench_wasm \
  -- --include-ignored --nocapture 2>&1) || { echo "$out" | tail -n 20 >&2; exit 1; }
wasm=$(printf '%s\n' "$out" | sed -n 's/.*BENCH \({.*}\).*/\1/p' | sed -n 1p)
if [ -z "$wasm" ]; then
  echo "bench: the wasm benchmark printed no BENCH line" >&2
  exit 1
fi
echo "$wasm"

echo "== bundle (release build with wasm-opt)"
trunk build --release --offline >/dev/null 2>&1
bundle=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -e "$f" ] || continue
  size=$(gzip -9 -c "$f" | wc -c)
  bundle=$((bundle + size))
  printf '  %-48s %8d bytes gzipped\n' "$(basename "$f")" "$size"
done

node - "$native" "$wasm" "$bundle" <<'JS'
const [native, wasm, bundle] = [JSON.parse(process.argv[2]), JSON.parse(process.argv[3]), Number(process.argv[4])];
const row = (name, value, target) => console.log(`${name.padEnd(34)} ${String(value).padStart(14)}   ${target}`);
console.log("\nbenchmark                          figure           target");
row("native messages/s", Math.round(native.messages_per_s), ">= 1,000,000");
row("native events/s", Math.round(native.events_per_s), "");
row("wasm messages/s", Math.round(wasm.messages_per_s), "");
row("wasm events/s", Math.round(wasm.events_per_s), "");
row("wasm / native (messages/s)", (wasm.messages_per_s / native.messages_per_s).toFixed(2), ">= 0.60");
row("bundle, gzipped (wasm+js+css)", `${(bundle / 1024).toFixed(0)} KB`, "<= 400 KB");
JS
