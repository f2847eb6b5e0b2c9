#!/usr/bin/env bash
# Every benchmark, printed as one table (figure, target, baseline, change);
# figures only, never assertions. Run: bash scripts/bench.sh [--save]
# (after scripts/setup.sh).
#
#   native   the standard workload (rmqsim::bench) at 1 M messages, best of 3;
#            cost growth at 10 K / 100 K / 1 M / 10 M messages: ns per message
#            and peak RSS (/usr/bin/time)
#   wasm     the same workload compiled to wasm32 in headless Chromium
#            (tests/bench_wasm.rs): first run and best of 3 warm runs, one virtual
#            hour at 1,000 messages/s (3.6 M messages), the better of 2 runs
#   bundle   release build (trunk + wasm-opt) into $DIST, gzip -9 of wasm+js+css
#   page     scripts/bench-browser.mjs on that build: load time, frame
#            intervals with ~1,100 messages in flight, one full render
#   lab      scripts/bench-lab.mjs on that build: the code lab's first run,
#            cold (Python fetched and started, the tutorial's two programs
#            run to a 1-minute horizon, the first event drawn) and warm
#   first    scripts/bench-mobile.mjs on that build: the first download
#            (gzip and brotli); navigation → first step text, Next working,
#            the step's events drawn, on a desktop and on a slow phone
#            (Lighthouse's mobile throttling through CDP), gzip and brotli;
#            Lighthouse's mobile scores
#
# --save writes the figures to bench/baseline.json (committed, so a
# regression shows in review); without it the file is only read.
# DIST (default target/bench-dist) is where the release build goes, so the
# shared dist/ is left alone. Figures on a shared 2-core machine are noisy:
# compare with the load average printed under the table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

SAVE=""
for arg in "$@"; do
  case "$arg" in
    --save) SAVE="--save" ;;
    *) echo "usage: bash scripts/bench.sh [--save]" >&2; exit 2 ;;
  esac
done
DIST="${DIST:-$PWD/target/bench-dist}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== engine, native" >&2
cargo build --release --locked -q -p rmqsim --bin rmqsim
# native N RUNS: the best of RUNS runs of N messages, as JSON plus "rss_kb".
native() {
  local best="" best_s=""
  for _ in $(seq "$2"); do
    local out
    local rss s
    if [ -x /usr/bin/time ]; then
      out=$(/usr/bin/time -f 'RSS %M' target/release/rmqsim bench --messages "$1" --json 2>"$work/time")
      rss=$(sed -n 's/^RSS //p' "$work/time")
    else
      # Debian's `time` package is not installed: no peak memory rows.
      out=$(target/release/rmqsim bench --messages "$1" --json)
      rss=null
    fi
    s=$(printf '%s' "$out" | sed -n 's/.*"wall_s":\([0-9.]*\).*/\1/p')
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best_s)}"; then
      best="${out%\}},\"rss_kb\":$rss}"
      best_s="$s"
    fi
  done
  printf '%s\n' "$best"
}
n10k=$(native 10000 5)
n100k=$(native 100000 3)
n1m=$(native 1000000 3)
n10m=$(native 10000000 1)
printf '%s\n' "$n10k" "$n100k" "$n1m" "$n10m" >&2

echo "== engine, wasm32 in headless Chromium" >&2
out=$(cargo test --release --locked -p rocketmq-sim --target wasm32-unknown-unknown --test bench_wasm \
  -- --include-ignored --nocapture 2>&1) || { echo "$out" | tail -n 20 >&2; exit 1; }
bench_line() { printf '%s\n' "$out" | sed -n "s/.*BENCH \({\"where\":\"$1\".*}\).*/\1/p" | sed -n 1p; }
wasm=$(bench_line wasm)
cold=$(bench_line wasm-cold)
hour=$(bench_line wasm-hour)
if [ -z "$wasm" ] || [ -z "$cold" ] || [ -z "$hour" ]; then
  echo "bench: the wasm benchmark did not print its BENCH lines" >&2
  exit 1
fi
printf '%s\n' "$cold" "$wasm" "$hour" >&2
# The native 1 M figure again, right after the wasm one, so that the ratio is
# not skewed by another job starting or stopping between the two (best of all).
again=$(native 1000000 2)
if awk "BEGIN{exit !($(printf '%s' "$again" | sed -n 's/.*"wall_s":\([0-9.]*\).*/\1/p') < $(printf '%s' "$n1m" | sed -n 's/.*"wall_s":\([0-9.]*\).*/\1/p'))}"; then
  n1m="$again"
fi

echo "== bundle (release build with wasm-opt, into $DIST)" >&2
trunk build --release --offline --dist "$DIST" >"$work/trunk.log" 2>&1 || { tail -n 20 "$work/trunk.log" >&2; exit 1; }
bundle=0
for f in "$DIST"/*.wasm "$DIST"/*.js "$DIST"/*.css; do
  [ -e "$f" ] || continue
  size=$(gzip -9 -c "$f" | wc -c)
  bundle=$((bundle + size))
  printf '  %-48s %8d bytes gzipped\n' "$(basename "$f")" "$size" >&2
done

echo "== page, headless Chromium" >&2
page=$(DIST="$DIST" node scripts/bench-browser.mjs)
printf '%s\n' "$page" >&2

echo "== code lab, headless Chromium" >&2
lab=$(DIST="$DIST" node scripts/bench-lab.mjs)
printf '%s\n' "$lab" >&2

echo "== first screen, desktop and slow phone, and Lighthouse" >&2
first=$(DIST="$DIST" node scripts/bench-mobile.mjs)
printf '%s\n' "$first" >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

node - "$work/figures.json" "$n10k" "$n100k" "$n1m" "$n10m" "$cold" "$wasm" "$hour" "$bundle" "$page" \
  "$load_before" "$load_after" "$lab" "$first" <<'JS'
const [out, ...args] = process.argv.slice(2);
const lab = JSON.parse(args[11]);
const first = JSON.parse(args[12]);
const [n10k, n100k, n1m, n10m, cold, wasm, hour] = args.slice(0, 7).map((a) => JSON.parse(a));
const bundle = Number(args[7]);
const page = JSON.parse(args[8]);
const ns = (r) => Math.round((r.wall_s * 1e9) / r.messages);
const mb = (r) => (r.rss_kb ? Math.round(r.rss_kb / 1024) : undefined);
const figures = {
  native_msgs_per_s: Math.round(n1m.messages_per_s),
  native_events_per_s: Math.round(n1m.events_per_s),
  wasm_msgs_per_s: Math.round(wasm.messages_per_s),
  wasm_events_per_s: Math.round(wasm.events_per_s),
  wasm_cold_msgs_per_s: Math.round(cold.messages_per_s),
  wasm_native_ratio: Math.round((wasm.messages_per_s / n1m.messages_per_s) * 100) / 100,
  hour_wall_s: hour.wall_s,
  ns_per_msg_10k: ns(n10k),
  ns_per_msg_100k: ns(n100k),
  ns_per_msg_1m: ns(n1m),
  ns_per_msg_10m: ns(n10m),
  rss_mb_10k: mb(n10k),
  rss_mb_100k: mb(n100k),
  rss_mb_1m: mb(n1m),
  rss_mb_10m: mb(n10m),
  bundle_kb: Math.round(bundle / 1024),
  load_ms: page.load_ms,
  frame_p50_ms: page.frame_p50_ms,
  frame_p95_ms: page.frame_p95_ms,
  frame_p99_ms: page.frame_p99_ms,
  frames_missed_pct: page.frames_missed_pct,
  render_ms: page.render_ms,
  lab_runtime_ms: lab.lab_runtime_ms,
  lab_cold_run_ms: lab.lab_cold_run_ms,
  lab_first_event_ms: lab.lab_first_event_ms,
  lab_warm_run_ms: lab.lab_warm_run_ms,
  ...first,
  machine: `${require('node:os').cpus().length} cores, load average ${args[9]} before, ${args[10]} after`,
  note: `load average ${args[9]} before, ${args[10]} after (2 cores); ` +
    `${page.packets_drawn} packets drawn per frame on average, ` +
    `the engine ${page.engine_behind ? 'behind' : 'keeping up with'} the 1,000x play (the time bar says so); ` +
    `the wasm figures run 1 M messages like native, "warm" is the best of 3 runs after the first in the same page, the hour the better of 2; ` +
    `the first-screen times are medians of 3 loads; Lighthouse audits not passed: ${first.lh_failing || 'none'}; its LCP element: ${first.lh_lcp_element || '?'}`,
};
require('node:fs').writeFileSync(out, JSON.stringify(figures));
JS
echo >&2
node scripts/bench-table.mjs "$work/figures.json" $SAVE
