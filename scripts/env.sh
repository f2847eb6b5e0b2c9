# Sourced by setup.sh, start.sh and test.sh (not run on its own): where the
# project's tools live and which versions it pins. Changing a version here (or
# the wasm-bindgen pin in Cargo.toml) makes the next setup install it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Tools installed by cargo and by npm (wasm-opt comes from npm `binaryen`).
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The Rust toolchain pinned in rust-toolchain.toml, e.g. 1.95.0.
RUST_CHANNEL="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml")"

TRUNK_VERSION="0.21.14"

# wasm-bindgen-cli must match the wasm-bindgen crate exactly; read it from
# Cargo.lock (or the `=` pin in Cargo.toml before a lock file exists).
WASM_BINDGEN_VERSION="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' "$ROOT/Cargo.lock" 2>/dev/null)"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen *= *"=\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
fi

# Debian's Chromium and its matching ChromeDriver drive the browser tests.
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

# `cargo test --target wasm32-unknown-unknown` runs tests in headless Chromium
# (also set in .cargo/config.toml; repeated so an outer config cannot win).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
