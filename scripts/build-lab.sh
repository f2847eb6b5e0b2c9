#!/usr/bin/env bash
# Builds the code lab's own wasm (crates/lab) into the dist trunk is
# building: Trunk.toml runs it after every build (`trunk build`, `trunk
# serve`, release or debug, like the app). It writes lab/lab.js and
# lab/lab_bg.wasm next to the lab's runtime files (static/lab, copied by
# index.html). The app fetches them the first time the lab opens, so the
# first screen's download does not include the lab.
set -euo pipefail
cd "${TRUNK_SOURCE_DIR:-$(dirname "${BASH_SOURCE[0]}")/..}"
source scripts/env.sh
out="${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml hook)}/lab"
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
