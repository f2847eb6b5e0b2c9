#!/usr/bin/env bash
# What the app fetches later rather than carrying in its first download,
# written into the dist trunk is building (Trunk.toml runs this after every
# build: `trunk build`, `trunk serve`, release or debug, like the app):
#
# - lab/lab.js and lab/lab_bg.wasm: the code lab's own wasm (crates/lab),
#   next to its runtime files (static/lab, copied by index.html), fetched the
#   first time the lab opens;
# - challenges.json: the built-in challenge documents
#   (crates/rmqsim/challenges/*.json, by name), fetched when the Challenges
#   mode opens;
# - in a release build, sw.js's build id and offline list (see the end).
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "${BASH_SOURCE[0]}")/..}"
source scripts/env.sh
staging="${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml hook)}"
out="$staging/lab"
node -e '
  const fs = require("fs"), path = require("path");
  const dir = "crates/rmqsim/challenges", docs = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    docs[path.basename(f, ".json")] = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  }
  fs.writeFileSync(process.argv[1], JSON.stringify(docs));
' "$staging/challenges.json"
profile="${TRUNK_PROFILE:-debug}"
mode=()
[ "$profile" = release ] && mode=(--release)
cargo build "${mode[@]}" --locked --target wasm32-unknown-unknown -p rmqsim-lab --lib
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name lab \
  "$target/wasm32-unknown-unknown/$profile/rmqsim_lab.wasm"
if [ "$profile" = release ]; then
  # The features Rust's wasm32 target emits, as trunk passes them for the app.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$out/lab_bg.wasm" "$out/lab_bg.wasm"
fi
# A release build's sw.js gets its build id and the list of files to cache
# for offline use (scripts/precache.mjs); a debug build's caches nothing.
if [ "$profile" = release ]; then
  node scripts/precache.mjs "$staging"
fi
